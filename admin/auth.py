"""Staff sign-in for the back office.

Staff identity lives under its own session key (`clientela_staff`), never in flask-login's
`_user_id`: a host shop's logged-in users and our storefront clients can never be mistaken
for staff, whatever login manager the host runs. The stored value carries the user's
session token, so a password change or deactivation ends every open session.
"""

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
from portal.security.throttle import AccountThrottle
from portal.staff import service as staff_service
from portal.staff.forms import LoginForm
from portal.staff.models import StaffUser

SESSION_KEY = "clientela_staff"
GENERIC_FAILURE = _l("Wrong e-mail or password.")
ACCOUNT_THROTTLE = AccountThrottle("staff-login", "CLIENTELA_LOGIN_LIMIT_ACCOUNT")


def _load_staff() -> StaffUser | None:
    if "clientela_staff_user" not in g:
        g.clientela_staff_user = None
        stored = session.get(SESSION_KEY)
        if isinstance(stored, str) and ":" in stored:
            staff_id, token = stored.split(":", 1)
            staff = db.session.get(StaffUser, int(staff_id)) if staff_id.isdigit() else None
            if staff and staff.is_active and staff.session_token == token:
                g.clientela_staff_user = staff
            else:
                session.pop(SESSION_KEY, None)
    return g.clientela_staff_user


current_staff: StaffUser | None = LocalProxy(_load_staff)  # type: ignore[assignment]


def staff_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if _load_staff() is None:
            if request.headers.get("HX-Request"):
                response = current_app.response_class(status=401)
                response.headers["HX-Redirect"] = url_for(".login")
                return response
            return redirect(url_for(".login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(".clients_list")


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
            # Rotate: nothing from the anonymous session (CSRF token included) survives.
            for key in (SESSION_KEY, "csrf_token"):
                session.pop(key, None)
            session[SESSION_KEY] = f"{staff.id}:{staff.session_token}"
            return redirect(_safe_next(request.args.get("next")))
        ACCOUNT_THROTTLE.record_failure(account)
        form.form_errors.append(str(GENERIC_FAILURE))
    status = 401 if request.method == "POST" else 200
    return render_template("clientela/admin/login.html", form=form), status


def too_many_attempts(_error: RateLimitExceeded | None):
    form = LoginForm()
    form.form_errors.append(
        _("Too many sign-in attempts. For safety, wait a few minutes and try again.")
    )
    return render_template("clientela/admin/login.html", form=form), 429


def logout():
    session.pop(SESSION_KEY, None)
    session.pop("csrf_token", None)
    flash(_("You signed out of the back office."), "info")
    return redirect(url_for(".login"))
