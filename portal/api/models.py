"""API keys (stored as SHA-256 digests) and the responses kept for `Idempotency-Key` retries."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.staff.models import StaffUser


class ApiKey(Base):
    __tablename__ = "clientela_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The public part of the key (`ck_<prefix>_<secret>`): finds the row without a scan.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the whole key; the key has 256 random bits, so no slow hash is needed.
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_staff_users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[StaffUser | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(Base):
    """The first answer to a POST carrying `Idempotency-Key`, replayed to its retries."""

    __tablename__ = "clientela_api_idempotency"
    __table_args__ = (
        UniqueConstraint("api_key_id", "key", name="clientela_uq_api_idempotency_api_key_id_key"),
        Index("clientela_ix_api_idempotency_api_key_id_created_at", "api_key_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("clientela_api_keys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
