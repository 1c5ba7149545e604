"""API keys: `ck_<prefix>_<secret>`, shown once, stored as a SHA-256 digest, revocable.

The secret has 256 random bits, so a fast digest is as safe as a slow password hash and keeps
every request cheap; the prefix finds the row by a unique index, the digest is compared in
constant time.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from portal import db
from portal.api.models import ApiKey, IdempotencyRecord
from portal.db import utcnow
from portal.errors import ErrorCollector, NotFound
from portal.i18n import _
from portal.staff.models import StaffUser
from portal.text import clean_text

KEY_TAG = "ck"
# `last_used_at` is written at most this often per key (reads stay reads).
LAST_USED_RESOLUTION = timedelta(minutes=1)
IDEMPOTENCY_TTL = timedelta(hours=24)


MAX_NAME = 120  # the key name (the form's maxlength reads it too)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(name: str | None, created_by: StaffUser | None = None) -> tuple[ApiKey, str]:
    """A new key and its plain text (returned once; only the digest is stored)."""
    errors = ErrorCollector()
    clean = errors.check(clean_text, name, "name", _("the key name"), MAX_NAME, required=True)
    errors.raise_if_any()
    prefix = secrets.token_hex(6)
    plain = f"{KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=clean, prefix=prefix, digest=_digest(plain), created_by=created_by)
    db.session.add(key)
    db.session.flush()
    return key, plain


def authenticate(plain: str | None) -> ApiKey | None:
    """The active key matching `plain`, or None. Marks it used (coarsely; flush only)."""
    if not plain or len(plain) > 200:
        return None
    parts = plain.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_TAG:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.digest, _digest(plain)):
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = now
        purge_expired_idempotency(key.id)
        db.session.flush()
    return key


def revoke(key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(_("API key not found."))
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    db.session.flush()
    return key


def all_keys() -> list[ApiKey]:
    return list(
        db.session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.name))
    )


def purge_expired_idempotency(api_key_id: int) -> None:
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == api_key_id,
            IdempotencyRecord.created_at < utcnow() - IDEMPOTENCY_TTL,
        )
    )
