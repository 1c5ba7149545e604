"""One unit of work per back-office request: views never commit or roll back themselves.

`install(bp)` hooks the blueprint:

- after each request, the session is committed when the answer is a success (status < 400)
  and the view did not `reject` the work; otherwise it is rolled back. Then the callbacks
  queued with `after_commit` run (only after a successful commit).
- a view that raised (a 500) is rolled back on teardown.

Services flush, so a broken rule (unique field, stale version) surfaces inside the view as a
`DomainError`. A commit that still fails (a race the flush could not see) is rolled back and
answered with a message, never a 500: htmx requests get 409 + `HX-Refresh`, others a 303
back to the page, with a flash either way.

The common paths in a view:

    try:
        client = clients.register(form.to_input(), actor=current_staff)
    except DomainError as exc:
        unit_of_work.reject(exc, form)        # rollback now, errors on the form
    else:
        return redirect(...)                  # committed after the view returns
    return render_template(...), 422

    return unit_of_work.saved(LIST_TEMPLATE, target="#addresses", message=_("..."), client=c)
"""

import json
import logging
from collections.abc import Callable

from flask import Blueprint, Response, g, make_response, redirect, render_template, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.admin.messages import flash
from portal.errors import DomainError
from portal.i18n import _
from portal.security.redirects import request_path

logger = logging.getLogger(__name__)

_STATE = "clientela_unit_of_work"
SAVED_EVENT = "clientela:saved"


class _State:
    def __init__(self) -> None:
        self.rejected = False
        self.after_commit: list[Callable[[], None]] = []


def _state() -> _State:
    if _STATE not in g:
        setattr(g, _STATE, _State())
    return getattr(g, _STATE)


def install(bp: Blueprint) -> None:
    """Commit or roll back every request of `bp` once, after its view."""
    bp.after_request(_finish)
    bp.teardown_request(_discard)
    # A flush inside a view that met a concurrent save (services turn theirs into StaleEdit;
    # this is the backstop): the same answer as a lost commit, never a 500.
    bp.register_error_handler(StaleDataError, _stale_in_view)


def reject(error: DomainError | None = None, form=None) -> None:
    """The view's work failed: roll back now (so the page re-renders from what is stored) and
    never commit this request. `error` is shown on `form` (its field, or the form as a whole);
    a form with its own `attach_errors` (the order form) uses it."""
    db.session.rollback()
    _state().rejected = True
    if error is not None and form is not None:
        attach = getattr(form, "attach_errors", None)
        if attach is not None:
            attach(error)
        else:
            error.attach_to(form)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once this request's work is committed (not at all if it is not).

    For steps that need the saved rows stored first (e.g. Sefaz after a client save). A
    callback commits its own work; one that raises is rolled back and logged."""
    _state().after_commit.append(callback)


def saved(
    template: str,
    *,
    target: str | None = None,
    message: str | None = None,
    events: dict | None = None,
    **context,
) -> Response:
    """The htmx answer to a save: `template` rendered with `context`, swapped (outerHTML) for
    the element `target` when given, firing `clientela:saved` with `message` (the page shows
    it as a toast) and any other `events` ({name: detail}) through `HX-Trigger`."""
    response = make_response(render_template(template, **context))
    if target:
        response.headers["HX-Retarget"] = target
        response.headers["HX-Reswap"] = "outerHTML"
    triggers = dict(events or {})
    if message is not None:
        triggers[SAVED_EVENT] = str(message)
    if triggers:
        response.headers["HX-Trigger"] = json.dumps(triggers)
    return response


def saved_message(message: str) -> Response:
    """The htmx answer to an action that changes nothing on the page: an empty body (swap
    nothing) firing `clientela:saved` with `message` (shown as a toast)."""
    response = make_response("")
    response.headers["HX-Trigger"] = json.dumps({SAVED_EVENT: str(message)})
    return response


def _finish(response: Response) -> Response:
    state = getattr(g, _STATE, None) or _State()
    if state.rejected or response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        logger.warning("back office: commit failed for %s %s", request.method, request.path)
        return _not_saved()
    for callback in state.after_commit:
        try:
            callback()
        except Exception:
            db.session.rollback()
            logger.exception("back office: a step after the commit failed (%s)", request.path)
    return response


def _discard(error: BaseException | None) -> None:
    if error is not None:
        db.session.rollback()


def _stale_in_view(_error: StaleDataError) -> Response:
    db.session.rollback()
    _state().rejected = True
    logger.warning("back office: stale flush in %s %s", request.method, request.path)
    return _not_saved()


def _not_saved() -> Response:
    flash(
        _(
            "Nothing was saved: another change reached this record first. "
            "Check the data and try again."
        ),
        "danger",
    )
    if request.headers.get("HX-Request"):
        response = make_response("", 409)
        response.headers["HX-Refresh"] = "true"
        return response
    return redirect(request_path(request.script_root, request.path, request.query_string), 303)
