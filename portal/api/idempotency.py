"""`Idempotency-Key` on POST: the first successful answer is kept 24 h and replayed to retries.

The record is written in the same transaction as what the request created, under a unique
(key owner, key) constraint: a retry racing the original either finds the committed record
or loses the insert and then finds it, so a retry never creates a second client or order.
"""

import hashlib
from datetime import datetime

from sqlalchemy import insert, select

from portal import db
from portal.api.keys import IDEMPOTENCY_TTL
from portal.api.models import IdempotencyRecord
from portal.api.problems import Problem
from portal.db import utcnow
from portal.i18n import _

HEADER = "Idempotency-Key"


def check_key(raw: str) -> str:
    key = raw.strip()
    if not 1 <= len(key) <= 255 or not all(33 <= ord(c) <= 126 for c in key):
        raise Problem(
            400,
            _("Invalid Idempotency-Key: use 1 to 255 visible characters (e.g. a UUID)."),
            "idempotency-key-invalid",
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def find(api_key_id: int, key: str, now: datetime | None = None) -> IdempotencyRecord | None:
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == api_key_id, IdempotencyRecord.key == key
        )
    )
    if record is not None and record.created_at < (now or utcnow()) - IDEMPOTENCY_TTL:
        db.session.delete(record)
        db.session.flush()
        return None
    return record


def ensure_same_request(record: IdempotencyRecord, print_: str) -> None:
    if record.fingerprint != print_:
        raise Problem(
            422,
            _(
                "This Idempotency-Key was already used with another request: make a new key "
                "for each different operation."
            ),
            "idempotency-key-reused",
        )


def store(api_key_id: int, key: str, print_: str, status: int, body, location) -> None:
    """One INSERT in the caller's transaction (no unit of work: nothing reads it back)."""
    db.session.execute(
        insert(IdempotencyRecord.__table__).values(
            api_key_id=api_key_id,
            key=key,
            fingerprint=print_,
            status_code=status,
            body=body,
            location=location,
            created_at=utcnow(),
        )
    )
