"""Staff sign-in for the back office.

Staff identity lives under its own session key (`clientela_staff`), never in flask-login's
`_user_id`: a host shop's logged-in users and our storefront clients can never be mistaken
for staff, whatever login manager the host runs. The stored value names a server-side
session (`portal.staff.sessions`): signing out deletes it, so a copied cookie stops working;
"sign out of every device", a password change or deactivation end every open session.
"""

from datetime import timedelta
from functools import wraps

from flask import (
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import RateLimitExceeded
from werkzeug.local import LocalProxy

from portal import db
from portal.admin.messages import flash
from portal.extensions import limiter
from portal.i18n import _, _l
from portal.security.redirects import request_path, safe_redirect_target
from portal.security.throttle import AccountThrottle
from portal.staff import service as staff_service
from portal.staff import sessions as staff_sessions
from portal.staff.forms import LoginForm
from portal.staff.models import StaffUser

SESSION_KEY = "clientela_staff"
GENERIC_FAILURE = _l("Wrong e-mail or password.")
ACCOUNT_THROTTLE = AccountThrottle("staff-login", "CLIENTELA_LOGIN_LIMIT_ACCOUNT")


def _max_age() -> timedelta:
    return timedelta(days=current_app.config["CLIENTELA_STAFF_SESSION_DAYS"])


def _signed_in() -> staff_sessions.SignedIn | None:
    """Who this request is signed in as (one plain read per request), or None."""
    if "clientela_signed_in" not in g:
        g.clientela_signed_in = None
        stored = session.get(SESSION_KEY)
        if stored is not None:
            g.clientela_signed_in = staff_sessions.resolve(stored, _max_age())
            if g.clientela_signed_in is None:
                session.pop(SESSION_KEY, None)
    return g.clientela_signed_in


def _load_staff() -> StaffUser | None:
    """The signed-in user as the ORM object, loaded only by views that record who acted
    (when a service first touches it: without flushing the service's half-built changes)."""
    signed_in = _signed_in()
    if signed_in is None:
        return None
    with db.session.no_autoflush:
        return db.session.get(StaffUser, signed_in.id)


current_staff: StaffUser | None = LocalProxy(_load_staff)  # type: ignore[assignment]
# For templates and guards: id, name and e-mail, without loading the user.
signed_in_staff: staff_sessions.SignedIn | None = LocalProxy(_signed_in)  # type: ignore[assignment]


def staff_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if _signed_in() is None:
            if request.headers.get("HX-Request"):
                response = current_app.response_class(status=401)
                response.headers["HX-Redirect"] = url_for(".login")
                return response
            here = request_path(request.script_root, request.path, request.query_string)
            return redirect(url_for(".login", next=here))
        return view(*args, **kwargs)

    return wrapped


def _next_page() -> str:
    """Where to go after signing in: `next` when it is a back-office page, else the list."""
    return safe_redirect_target(
        request.args.get("next"),
        default=url_for(".clients_list"),
        within=url_for(".home").rstrip("/") or "/",
    )


# Per address, on every POST (decorated once, at import: flask-limiter keys route limits by
# the view's name, so decorating per app would stack them). The per-account limit is
# ACCOUNT_THROTTLE, which counts failures only.
@limiter.limit(lambda: current_app.config["CLIENTELA_LOGIN_LIMIT_IP"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = (form.email.data or "").strip().lower()[:254]
        if ACCOUNT_THROTTLE.is_blocked(account):
            return too_many_attempts(None)
        staff = staff_service.authenticate(account, form.password.data)
        if staff is not None:  # last login (and a rehash) are committed with the redirect
            # Rotate: nothing from the anonymous session (CSRF token included) survives,
            # and a session this browser had open before ends on the server too.
            staff_sessions.end(session.pop(SESSION_KEY, None))
            session.pop("csrf_token", None)
            session[SESSION_KEY] = staff_sessions.start(staff, _max_age())
            return redirect(_next_page())
        ACCOUNT_THROTTLE.record_failure(account)
        form.form_errors.append(str(GENERIC_FAILURE))
    status = 401 if request.method == "POST" else 200
    return render_template("clientela/admin/login.html", form=form), status


def too_many_attempts(_error: RateLimitExceeded | None):
    if _error is not None and _error.response is not None:
        return _error.response  # the limit's own answer (e.g. a boleto re-sent too often)
    form = LoginForm()
    form.form_errors.append(
        _("Too many sign-in attempts. For safety, wait a few minutes and try again.")
    )
    return render_template("clientela/admin/login.html", form=form), 429


def logout():
    staff_sessions.end(session.pop(SESSION_KEY, None))
    session.pop("csrf_token", None)
    flash(_("You signed out of the back office."), "info")
    return redirect(url_for(".login"))


def logout_everywhere():
    """Ends every session of the signed-in user: other browsers, phones, copied cookies."""
    staff_sessions.end_all(current_staff._get_current_object())
    session.pop(SESSION_KEY, None)
    session.pop("csrf_token", None)
    flash(_("You signed out of the back office on every device."), "info")
    return redirect(url_for(".login"))
