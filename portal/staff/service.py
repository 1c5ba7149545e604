"""Staff accounts: creation from the CLI, and the password check at login."""

from sqlalchemy import select

from portal import db
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector
from portal.i18n import _
from portal.security.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)
from portal.staff import sessions
from portal.staff.models import StaffUser
from portal.text import normalize_email


def create_staff(email: str, password: str, name: str | None = None) -> StaffUser:
    errors = ErrorCollector()
    clean_email = errors.check(normalize_email, email, required=True)
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        errors.add(_password_length(), "password")
    if clean_email and db.session.scalar(select(StaffUser).where(StaffUser.email == clean_email)):
        errors.add(_("A user with this e-mail already exists."), "email")
    errors.raise_if_any()
    staff = StaffUser(
        email=clean_email,
        name=(name or clean_email.split("@")[0]).strip()[:120],
        password_hash=hash_password(password),
    )
    db.session.add(staff)
    db.session.flush()
    return staff


def _password_length() -> str:
    return _(
        "The password must have from %(min)s to %(max)s characters.",
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
    )


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active staff user with these credentials, or None; same work either way."""
    clean = (email or "").strip().lower()
    findable = clean and "\x00" not in clean  # PostgreSQL text cannot hold NUL: nobody has it
    staff = (
        db.session.scalar(select(StaffUser).where(StaffUser.email == clean)) if findable else None
    )
    ok, new_hash = verify_password(password, staff.password_hash if staff else None)
    if not ok or staff is None or not staff.is_active:
        return None
    if new_hash:
        staff.password_hash = new_hash
    staff.last_login_at = utcnow()
    return staff


def set_password(staff: StaffUser, password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise DomainError(_password_length(), field="password")
    staff.password_hash = hash_password(password)
    sessions.end_all(staff)  # every open session of this user ends
