"""Every Sefaz consultation the shop made (or reused), kept as its audit trail."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.sefaz.messages import Verdict
from portal.staff.models import StaffUser


class SefazConsultation(Base):
    """One answer (or failure) about a document in a UF; the newest one is the client's verdict.

    `client_id` is empty while the client is still being typed in the form; saving the
    client adopts the row. `is_cached` marks a copy of an earlier answer (SEFAZ_CACHE_SECONDS):
    copies are never used as a cache source themselves, so an answer cannot outlive its age.
    """

    __tablename__ = "clientela_sefaz_consultations"
    __table_args__ = (
        Index("clientela_ix_sefaz_consultations_client_id_at", "client_id", "at"),
        Index("clientela_ix_sefaz_consultations_document_uf_at", "document", "uf", "at"),
        Index("clientela_ix_sefaz_consultations_uf_c_stat_at", "uf", "c_stat", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="CASCADE")
    )
    document: Mapped[str] = mapped_column(String(14))
    uf: Mapped[str] = mapped_column(String(2))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_staff_users.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verdict: Mapped[str] = mapped_column(String(20))
    c_stat: Mapped[int | None] = mapped_column(Integer)
    x_motivo: Mapped[str | None] = mapped_column(Text)
    # Why the situation is unknown, for the operator (failures only): written in the language
    # of the request or command that made the consultation (the shop's, pt_BR by default).
    reason: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(30))
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    raw_xml: Mapped[str | None] = mapped_column(Text)
    is_cached: Mapped[bool] = mapped_column(Boolean, default=False)

    staff: Mapped[StaffUser | None] = relationship()

    @property
    def situation(self) -> Verdict:
        return Verdict(self.verdict)

    @property
    def is_answer(self) -> bool:
        """Sefaz stated a registry situation (habilitado, não habilitado, não cadastrado)."""
        return self.situation is not Verdict.NAO_VERIFICADO

    @property
    def principal(self) -> dict[str, Any] | None:
        """The establishment to pre-fill from: an enabled one when there is one."""
        establishments = (self.parsed or {}).get("estabelecimentos") or []
        enabled = [item for item in establishments if item.get("cSit") == 1]
        return (enabled or establishments or [None])[0]
