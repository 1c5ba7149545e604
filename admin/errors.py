"""The back office's error pages, in the back-office layout and the staff's language.

Only our URLs get them; a host shop's pages keep whatever error pages the host has:

- errors raised in our views are caught by handlers on the `clientela_admin` blueprint,
  one per status code (so they win over a host's app-level handler for the same code, which
  Flask would otherwise ask first);
- errors raised before any view is chosen (an unknown URL under our prefix, a wrong method)
  belong to no blueprint: one app-level handler for `HTTPException` answers them when the
  path is under our prefix and hands every other path to the handler the host had (or to
  Werkzeug's default page). Flask asks code-specific handlers first, so a host's own
  `@app.errorhandler(404)` still answers its pages, and ours too when it has one.

An invalid or expired CSRF token on a form page (a route taking GET and POST: it shows its
form on GET and saves on POST) does not lose what was typed: the view runs again on the same
POST with the request marked rejected (nothing it does can be committed); its FlaskForm fails
its own CSRF check, so it re-renders the form with the typed values, a fresh token, and the
message `form_errors` shows for a CSRF failure (status 400; 422 for htmx, which swaps
only that error status into a popup). Actions without a form page (delete,
revoke, bulk, sign out) get the 400 page instead.
"""

import json
import logging

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    render_template,
    request,
)
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from portal import db
from portal.admin import auth, messages, unit_of_work
from portal.admin.menu import menu_html
from portal.i18n import _, _l

logger = logging.getLogger(__name__)

TEMPLATE = "clientela/admin/error.html"
CSRF_RENEWED_EVENT = "clientela:csrfToken"
_REDISPATCHED = "clientela_csrf_redispatched"

# status: (title, what to do); other codes get a generic text.
PAGES = {
    400: (_l("Invalid request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("You are not allowed to open this page.")),
    404: (
        _l("Page not found"),
        _l("This page does not exist, or the record was deleted. Check the address."),
    ),
    405: (
        _l("Operation not allowed"),
        _l("This address does not accept this kind of request. Use the page's buttons."),
    ),
    413: (
        _l("Data too large"),
        _l("What was sent is larger than the back office accepts. Send less at a time."),
    ),
    429: (
        _l("Too many requests"),
        _l("Too many requests in a short time. Wait a minute and try again."),
    ),
    500: (
        _l("Internal error"),
        _l("Something went wrong on our side and nothing was saved. Try again in a moment."),
    ),
}
CSRF_PAGE = (
    _l("Form session expired"),
    _l("Your form session expired. Go back, reload the page and save again."),
)


def install(bp: Blueprint) -> None:
    """Hook our error pages on `bp` and, for paths under its prefix, on the app."""
    for code in default_exceptions:
        if code >= 400:
            bp.register_error_handler(code, _page)
    bp.register_error_handler(CSRFError, _csrf_failed)

    @bp.record_once
    def _outside_views(state) -> None:
        _install_on_app(state.app, state.url_prefix or bp.url_prefix or "")


def _install_on_app(app: Flask, url_prefix: str) -> None:
    prefix = url_prefix.rstrip("/")
    host_handler = app.error_handler_spec[None][None].get(HTTPException)

    def outside_views(error: HTTPException):
        path = request.path
        if path == prefix or path.startswith(prefix + "/"):
            return _page(error)
        if host_handler is not None:
            return host_handler(error)
        return error

    app.register_error_handler(HTTPException, outside_views)


def _context() -> dict:
    """What the layout needs when no blueprint context processor ran (a 404 outside views)."""
    staff = None
    try:
        staff = auth.signed_in_staff._get_current_object()
    except Exception:  # a broken transaction (a 500): show the page without the menu
        db.session.rollback()
    return {
        "current_staff": staff,
        "admin_menu_html": menu_html,
        "order_tabs": lambda order: [],
        "clientela_messages": messages.take_messages,
        "csrf_token": generate_csrf,
    }


def _page(error: HTTPException):
    if isinstance(error, InternalServerError) or error.code is None or error.code >= 500:
        db.session.rollback()
    code = error.code or 500
    title, text = PAGES.get(code, (_l("Error"), _l("The request could not be completed.")))
    if isinstance(error, CSRFError):
        title, text = CSRF_PAGE
    if code == 413:
        text = _too_large_text()
    if request.headers.get("HX-Request"):  # a popup: a short text htmx shows as an error
        return str(text), code
    response = current_app.make_response(
        (render_template(TEMPLATE, code=code, title=title, text=text, **_context()), code)
    )
    for name, value in getattr(error, "get_headers", lambda: [])():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def _too_large_text() -> str:
    """The 413 text names the limit that applied (ours, or the host's when smaller)."""
    limits = [
        current_app.config["CLIENTELA_MAX_BODY_BYTES"],
        current_app.config.get("MAX_CONTENT_LENGTH"),
    ]
    size = min(limit for limit in limits if limit) // 1024
    return _(
        "What you sent is larger than the back office accepts (%(size)s KB). "
        "Nothing was saved: send less at a time.",
        size=size,
    )


def _csrf_failed(error: CSRFError):
    rule = request.url_rule
    redispatch = (
        rule is not None
        and {"GET", "POST"} <= set(rule.methods or ())
        and request.method == "POST"
        and not g.get(_REDISPATCHED)
    )
    if not redispatch:
        return _page(error)
    g.setdefault(_REDISPATCHED, True)
    unit_of_work.reject()  # whatever the view does now is rolled back, never committed
    view = current_app.view_functions[request.endpoint]
    response = current_app.make_response(view(**(request.view_args or {})))
    if response.status_code < 400:  # the view acted (it should not have): refuse plainly
        logger.warning("back office: %s ran past an invalid CSRF token", request.endpoint)
        return _page(error)
    response.status_code = 400
    if request.headers.get("HX-Request"):
        response.status_code = 422  # what htmx swaps into the popup (a form with errors)
        # the page's own htmx header token is stale too: hand it the fresh one
        response.headers["HX-Trigger"] = json.dumps({CSRF_RENEWED_EVENT: generate_csrf()})
    return response
