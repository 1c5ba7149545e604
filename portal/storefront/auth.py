"""Client sign-in for the storefront.

A client's identity lives under its own session key (`clientela_client`), never in
flask-login's `_user_id` nor under the staff key: a host shop's own users, our staff and our
clients never share a session. The stored value carries the client's session token; a new
token (password change, logout) or none (the Situação stopped granting access) ends every
open session at its next request, and so does an e-mail left unconfirmed or a Situação
without access, checked on each request.
"""

import hmac
from functools import wraps

from flask import (
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import RateLimitExceeded
from werkzeug.local import LocalProxy

from portal import db
from portal.clients import accounts
from portal.clients.models import Client
from portal.extension_points import client_logged_in, send
from portal.extensions import limiter
from portal.i18n import _, _l
from portal.security.throttle import AccountThrottle
from portal.storefront.forms import LoginForm
from portal.storefront.messages import flash

SESSION_KEY = "clientela_client"
# One message for unknown e-mail, wrong password, unconfirmed e-mail and no access.
GENERIC_FAILURE = _l(
    "E-mail or password not accepted. If you just signed up, confirm your e-mail first "
    "(see the link we sent)."
)
ACCOUNT_THROTTLE = AccountThrottle("client-login", "CLIENTELA_LOGIN_LIMIT_ACCOUNT")
_G_KEY = "clientela_client_user"


def _load_client() -> Client | None:
    if not has_request_context() or "clientela" not in current_app.extensions:
        return None
    if _G_KEY not in g:
        setattr(g, _G_KEY, None)
        stored = session.get(SESSION_KEY)
        if isinstance(stored, str) and ":" in stored:
            client_id, token = stored.split(":", 1)
            client = db.session.get(Client, int(client_id)) if client_id.isdigit() else None
            if (
                client is not None
                and client.session_token
                and hmac.compare_digest(client.session_token, token)
                and accounts.may_sign_in(client)
            ):
                setattr(g, _G_KEY, client)
            else:
                session.pop(SESSION_KEY, None)
    return getattr(g, _G_KEY)


# The logged-in storefront client (or None), for our pages and the host's own.
current_client: Client | None = LocalProxy(_load_client)  # type: ignore[assignment]


def start_session(client: Client, remember: bool = False) -> None:
    """Rotate: nothing from the anonymous session (CSRF token included) survives."""
    for key in (SESSION_KEY, "csrf_token"):
        session.pop(key, None)
    session[SESSION_KEY] = f"{client.id}:{client.session_token}"
    session.permanent = bool(remember)
    setattr(g, _G_KEY, client)


def client_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if _load_client() is None:
            return redirect(url_for(".login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(".orders")


# Per address on every POST (decorated once, at import; see admin/auth.py). The per-account
# limit counts failures only.
@limiter.limit(lambda: current_app.config["CLIENTELA_LOGIN_LIMIT_IP"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = (form.email.data or "").strip().lower()[:254]
        if ACCOUNT_THROTTLE.is_blocked(account):
            return too_many_attempts(None)
        client = accounts.authenticate(account, form.password.data)
        if client is not None:
            db.session.commit()  # a rehash or a first token
            start_session(client, form.remember.data)
            send(client_logged_in, client=client)
            return redirect(safe_next(request.args.get("next")))
        db.session.rollback()
        ACCOUNT_THROTTLE.record_failure(account)
        form.form_errors.append(str(GENERIC_FAILURE))
    status = 401 if request.method == "POST" else 200
    return render_template("clientela/storefront/login.html", form=form), status


def too_many_attempts(_error: RateLimitExceeded | None):
    if _error is not None and _error.response is not None:
        return _error.response  # the limit's own answer (e.g. "Reenviar boleto": back to the tab)
    message = _("Too many attempts. For safety, wait a few minutes and try again.")
    if request.endpoint and request.endpoint.endswith(".login"):
        form = LoginForm()
        form.form_errors.append(message)
        return render_template("clientela/storefront/login.html", form=form), 429
    return render_template("clientela/storefront/notice.html", title=message, text=""), 429


def logout():
    client = _load_client()
    if client is not None:
        accounts.end_sessions(client)
        db.session.commit()
    session.pop(SESSION_KEY, None)
    session.pop("csrf_token", None)
    flash(_("You signed out."), "info")
    return redirect(url_for(".login"))
