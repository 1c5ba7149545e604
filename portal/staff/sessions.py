"""Staff sessions kept on the server, so signing out really ends them.

Flask's session is a signed cookie: deleting a key on sign-out changes only the browser that
signs out, and a copy of the old cookie would keep working. So each sign-in gets a row in
`clientela_staff_sessions` holding the SHA-256 of a random secret; the cookie carries
`<staff id>:<staff session_token>:<secret>`. A request is signed in only while its row exists,
is younger than the maximum age, and the user's `session_token` still matches:

- sign out (`end`): this browser's row goes;
- sign out everywhere (`end_all`) and password changes: every row of the user goes and the
  user's `session_token` changes, which also refuses any cookie minted before.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, delete, select

from portal import db
from portal.db import utcnow
from portal.staff.models import StaffSession, StaffUser, new_session_token


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parse(value: object) -> tuple[int, str, str] | None:
    if not isinstance(value, str) or value.count(":") != 2:
        return None
    staff_id, token, secret = value.split(":")
    if not staff_id.isdigit() or len(staff_id) > 10 or not token or not secret:
        return None
    return int(staff_id), token, secret


def start(staff: StaffUser, max_age: timedelta) -> str:
    """Opens a session for `staff` (flushed with the caller's transaction); returns the value
    to keep in the cookie. This user's sessions past `max_age` are deleted on the way."""
    db.session.execute(
        delete(StaffSession).where(
            StaffSession.staff_id == staff.id, StaffSession.created_at < utcnow() - max_age
        )
    )
    secret = secrets.token_urlsafe(32)
    db.session.add(StaffSession(staff_id=staff.id, token_hash=_hash(secret)))
    db.session.flush()
    return f"{staff.id}:{staff.session_token}:{secret}"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a request is signed in as: all that most back-office pages need (the guard, the
    name in the menu), read as a plain row. Building the ORM user for that was a sixth of
    a list page's time; views that record the staff user as an actor load it by id."""

    id: int
    name: str
    email: str

    @property
    def display_name(self) -> str:
        return self.name or self.email


_RESOLVE = (
    select(
        StaffUser.id,
        StaffUser.name,
        StaffUser.email,
        StaffUser.is_active,
        StaffUser.session_token,
        StaffSession.created_at,
    )
    .join(StaffSession, StaffSession.staff_id == StaffUser.id)
    .where(
        StaffSession.token_hash == bindparam("token_hash"),
        StaffUser.id == bindparam("staff_id"),
    )
)


def resolve(value: object, max_age: timedelta) -> SignedIn | None:
    """Who the open session `value` names, if it is open and its user active; else None."""
    parsed = _parse(value)
    if parsed is None:
        return None
    staff_id, token, secret = parsed
    row = db.session.read(_RESOLVE, {"token_hash": _hash(secret), "staff_id": staff_id}).first()
    if row is None:
        return None
    if not row.is_active or not hmac.compare_digest(row.session_token, token):
        return None
    if row.created_at < utcnow() - max_age:
        return None
    return SignedIn(row.id, row.name, row.email)


def end(value: object) -> None:
    """Ends the one session `value` names (sign out on this browser)."""
    parsed = _parse(value)
    if parsed is not None:
        db.session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash(parsed[2])))


def end_all(staff: StaffUser) -> None:
    """Ends every session of `staff`, on every browser and device."""
    db.session.execute(delete(StaffSession).where(StaffSession.staff_id == staff.id))
    staff.session_token = new_session_token()
    db.session.flush()
