"""Visit tracking on the request path: which requests are page views, the visitor cookie,
the record handed to the sink (`portal.visits.sink`, never the database), the pixel and
script for pages served elsewhere, and the links made at login and signup.

A page view is a GET answered 200 with an HTML page by the storefront (always) or by a host
page opted in with `clientela.track_pages(app)` (every host page, or the blueprints named).
Never recorded: the back office, the API, static files, HEAD/OPTIONS and other methods,
redirects and errors, bots (crawlerdetect, or no user agent), `DNT: 1` / `Sec-GPC: 1` while
CLIENTELA_VISITS_HONOUR_DNT is on, anything while CLIENTELA_VISITS_TRACKING is off. Those
requests get no visitor cookie either.
"""

import logging
import re
import uuid
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request, session
from werkzeug.wrappers import Response as BaseResponse

from portal import db
from portal.config import setting
from portal.db import utcnow
from portal.extension_points import client_logged_in, client_saved
from portal.extensions import limiter
from portal.storefront.auth import SESSION_KEY
from portal.visits import rules, service, sink

logger = logging.getLogger(__name__)

COOKIE_MAX_AGE = 365 * 24 * 3600
# 1x1 transparent GIF.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b"
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_EXCLUDED_BLUEPRINTS = ("clientela_admin", "clientela_api", "clientela")
SCRIPT = """(function(){var s=document.currentScript;if(!s)return;
var u=s.src.replace(/v\\.js(\\?.*)?$/,'v.gif');var l=window.location;
var i=new Image(1,1);i.referrerPolicy='no-referrer-when-downgrade';
i.src=u+'?p='+encodeURIComponent(l.pathname+l.search)+'&t='+encodeURIComponent(document.title||'')
+'&r='+encodeURIComponent(document.referrer||'');})();
"""


def visitor_id() -> str | None:
    """The visitor cookie's id, when it holds a valid one."""
    value = request.cookies.get(setting("CLIENTELA_VISITS_COOKIE"))
    return value if service.valid_visitor_id(value) else None


def _refused() -> bool:
    """Tracking off, the browser asks not to be tracked, or a bot."""
    if not setting("CLIENTELA_VISITS_TRACKING"):
        return True
    if setting("CLIENTELA_VISITS_HONOUR_DNT") and (
        request.headers.get("DNT", "").strip() == "1"
        or request.headers.get("Sec-GPC", "").strip() == "1"
    ):
        return True
    return rules.is_bot(request.headers.get("User-Agent"))


def _client_id() -> int | None:
    """The signed-in client's id as the (signed) session says; no database query."""
    stored = session.get(SESSION_KEY) if SESSION_KEY in session else None
    if isinstance(stored, str) and ":" in stored:
        client_id = stored.split(":", 1)[0]
        return int(client_id) if client_id.isdigit() else None
    return None


def _secrets() -> frozenset[str]:
    return rules.secret_names(setting("CLIENTELA_VISITS_SECRET_PARAMS"))


def _route_secrets() -> tuple[str, ...]:
    """Values of the route's own variables named like secrets (`/nova-senha/<token>`)."""
    secrets = _secrets()
    return tuple(
        str(value)
        for name, value in (request.view_args or {}).items()
        if name.lower() in secrets or name.lower().endswith("token")
    )


def _record(path: str, query: str, title: str | None, referrer: str | None, vid: str) -> None:
    secrets = _secrets()
    values = {
        "v": vid,
        "c": _client_id(),
        "at": utcnow().isoformat(),
        "p": path,
        "q": rules.strip_query(query, secrets) or None,
        "t": title,
        "r": rules.strip_url(referrer, secrets),
        "ua": (request.headers.get("User-Agent") or "")[:1000],
        "ip": rules.anonymise_ip(request.remote_addr),
        "h": request.host,
    }
    sink.record(current_app._get_current_object(), values)


def _ensure_cookie(response: BaseResponse) -> str:
    vid = visitor_id()
    if vid is None:
        vid = uuid.uuid4().hex
        response.set_cookie(
            setting("CLIENTELA_VISITS_COOKIE"),
            vid,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return vid


def _title_of(response: BaseResponse) -> str | None:
    if response.is_streamed or response.direct_passthrough:
        return None
    match = _TITLE.search(response.get_data()[:8192])
    if not match:
        return None
    text = match.group(1).decode("utf-8", "replace")
    return re.sub(r"\s+", " ", text).strip()[:300] or None


def track_response(response: BaseResponse) -> BaseResponse:
    """after_request: record the page view (storefront blueprint, opted-in host pages)."""
    try:
        if (
            request.method == "GET"
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not (request.endpoint or "").endswith("static")
            and not _refused()
        ):
            vid = _ensure_cookie(response)
            path = rules.strip_path(request.path, _route_secrets())
            query = request.query_string.decode("utf-8", "replace")
            _record(path, query, _title_of(response), request.referrer, vid)
    except Exception:  # tracking must never cost the page
        logger.exception("visits: page view not recorded")
    return response


def _host_hook(blueprints: tuple[str, ...] | None):
    def track_host_page(response: BaseResponse) -> BaseResponse:
        names = request.blueprints
        if names and names[-1].startswith(_EXCLUDED_BLUEPRINTS):
            return response  # ours: the storefront tracks itself, the rest never
        if blueprints is not None and not (set(names) & set(blueprints)):
            return response
        return track_response(response)

    return track_host_page


def track_pages(app: Flask, blueprints: list[str] | tuple[str, ...] | None = None) -> None:
    """Record the host shop's own pages too: every page, or only those of `blueprints`."""
    app.after_request(_host_hook(tuple(blueprints) if blueprints is not None else None))


def pixel():
    """GET /conta/v.gif?p=<path or URL>&t=<title>&r=<referrer>: a page view of a page served
    elsewhere (a static catalogue), recorded like ours; answers a 1x1 GIF."""
    response = Response(PIXEL, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store"
    try:
        raw = (request.args.get("p") or "").strip()[:2000]
        if raw and not _refused():
            parts = urlsplit(raw)
            path = parts.path if parts.path.startswith("/") else "/" + parts.path
            vid = _ensure_cookie(response)
            title = (request.args.get("t") or "").strip()[:300] or None
            referrer = request.args.get("r") or None
            _record(rules.strip_path(path), parts.query, title, referrer, vid)
    except Exception:
        logger.exception("visits: pixel page view not recorded")
    return response


def script():
    """GET /conta/v.js: `<script src=".../conta/v.js" async></script>` on a page served
    elsewhere sends that page's view through the pixel."""
    response = Response(SCRIPT, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# Per address (decorated once, at import), so the pixel cannot be used to flood the log.
limited_pixel = limiter.limit(lambda: current_app.config["CLIENTELA_VISITS_PIXEL_LIMIT"])(pixel)


# Links: the visitor becomes the client's when it signs in or signs up ----------------------


def _link_current_visitor(client) -> None:
    vid = visitor_id()
    if vid is None or client is None:
        return
    try:
        service.link_visitor(db.session, vid, client.id)
        db.session.commit()
    except Exception:  # the login or signup already happened: never undo it
        db.session.rollback()
        logger.exception("visits: visitor not linked to client %s", client.id)


def _on_login(_app, client=None, **_kwargs) -> None:
    _link_current_visitor(client)


def _on_client_saved(_app, client=None, created=False, source=None, **_kwargs) -> None:
    if created and source == "storefront":
        _link_current_visitor(client)


def init_app(app: Flask, storefront_blueprint) -> None:
    """Track the storefront's pages and link visitors at login and signup (this app)."""
    storefront_blueprint.after_request(track_response)
    client_logged_in.connect(_on_login, sender=app)
    client_saved.connect(_on_client_saved, sender=app)
