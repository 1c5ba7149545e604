"""Billing tables: the shop's collection accounts, the boletos and their history.

Money and percentages use the exact integer `Fixed` type of the orders (SQLite has no exact
decimal): the column names carry the unit (`amount_cents`, `fine_percent_x100`...), the
attributes are plain Decimals.

Status: emitido -> registrado -> pago | cancelado | rejeitado. "Enviado ao banco" is not a
status but the timestamp `sent_in_remessa_at` (a boleto sent in a remessa and not yet
confirmed is still "emitido"). "Vencido" is computed: due_date < today and the status still
open (emitido/registrado); the index (client_id, status, due_date) serves that filter.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.orders.models import Fixed

STATUS_ISSUED = "emitido"
STATUS_REGISTERED = "registrado"
STATUS_PAID = "pago"
STATUS_OVERDUE = "vencido"  # computed, never stored
STATUS_CANCELLED = "cancelado"
STATUS_REJECTED = "rejeitado"
STORED_STATUSES = (
    STATUS_ISSUED,
    STATUS_REGISTERED,
    STATUS_PAID,
    STATUS_CANCELLED,
    STATUS_REJECTED,
)
OPEN_STATUSES = (STATUS_ISSUED, STATUS_REGISTERED)

SOURCE_ISSUED = "issued"
SOURCE_GATEWAY = "gateway"


class BillingAccount(Base):
    """A beneficiary's collection account ("conta de cobrança") boletos are issued on."""

    __tablename__ = "clientela_billing_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    bank_code: Mapped[str] = mapped_column(String(3))
    agency: Mapped[str] = mapped_column(String(10))
    agency_digit: Mapped[str] = mapped_column(String(2), default="")
    account: Mapped[str] = mapped_column(String(20))
    account_digit: Mapped[str] = mapped_column(String(2), default="")
    carteira: Mapped[str] = mapped_column(String(10), default="")
    convenio: Mapped[str] = mapped_column(String(20), default="")
    # Sicoob's modalidade / BB's variação da carteira (empty when the bank has none).
    modalidade: Mapped[str] = mapped_column(String(10), default="")
    # Santander's código de transmissão (CNAB 240 header).
    transmission_code: Mapped[str] = mapped_column(String(20), default="")
    beneficiary_name: Mapped[str] = mapped_column(String(120))
    beneficiary_document: Mapped[str] = mapped_column(String(14))
    beneficiary_address: Mapped[str] = mapped_column(String(300), default="")
    instructions: Mapped[str] = mapped_column(Text, default="")
    fine_percent: Mapped[Decimal] = mapped_column(
        "fine_percent_x100", Fixed(2), default=Decimal("0.00")
    )
    interest_percent_per_day: Mapped[Decimal] = mapped_column(
        "interest_percent_per_day_x10000", Fixed(4), default=Decimal("0.0000")
    )
    discount_amount: Mapped[Decimal | None] = mapped_column("discount_amount_cents", Fixed(2))
    discount_until_days: Mapped[int | None] = mapped_column(Integer)
    pix_key: Mapped[str | None] = mapped_column(String(77))
    next_nosso_numero: Mapped[int] = mapped_column(Integer, default=1)
    next_remessa_number: Mapped[int] = mapped_column(Integer, default=1)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def bank_account(self):
        """The account as the banks' code takes it (`portal.billing.banks.Account`)."""
        from portal.billing.banks import Account

        return Account(
            bank_code=self.bank_code,
            agencia=self.agency,
            conta=self.account,
            agencia_dv=self.agency_digit or "",
            conta_dv=self.account_digit or "",
            carteira=self.carteira or "",
            convenio=self.convenio or "",
            modalidade=self.modalidade or "",
        )


class Boleto(Base):
    """One boleto: an instalment of an order, issued here (`source='issued'`, on an account
    with a nosso número) or by the shop's gateway (`source='gateway'`, code checked)."""

    __tablename__ = "clientela_boletos"
    __table_args__ = (
        UniqueConstraint("account_id", "nosso_numero"),
        Index("clientela_ix_boletos_client_id_status_due_date", "client_id", "status", "due_date"),
        Index("clientela_ix_boletos_client_id_id", "client_id", "id"),
        Index("clientela_ix_boletos_order_id_instalment", "order_id", "instalment"),
        Index("clientela_ix_boletos_due_date_status", "due_date", "status"),
        Index("clientela_ix_boletos_account_id_sent", "account_id", "sent_in_remessa_at"),
        Index("clientela_ix_boletos_barcode", "barcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_billing_accounts.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("clientela_orders.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clientela_clients.id"))
    instalment: Mapped[int] = mapped_column(Integer, default=1)
    instalments: Mapped[int] = mapped_column(Integer, default=1)
    # The bank's nosso número digits without the check digit (what a retorno names).
    nosso_numero: Mapped[str | None] = mapped_column(String(20))
    nosso_numero_dv: Mapped[str] = mapped_column(String(2), default="")
    nosso_numero_formatted: Mapped[str | None] = mapped_column(String(30))
    document_number: Mapped[str] = mapped_column(String(20), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column("amount_cents", Fixed(2))
    barcode: Mapped[str] = mapped_column(String(44))
    linha_digitavel: Mapped[str] = mapped_column(String(47))
    status: Mapped[str] = mapped_column(String(12), default=STATUS_ISSUED)
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_amount: Mapped[Decimal | None] = mapped_column("paid_amount_cents", Fixed(2))
    fees: Mapped[Decimal | None] = mapped_column("fees_cents", Fixed(2))
    reject_reason: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_ISSUED)
    pdf_url: Mapped[str | None] = mapped_column(String(500))
    sent_in_remessa_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    account: Mapped[BillingAccount | None] = relationship()
    events: Mapped[list[BoletoEvent]] = relationship(
        back_populates="boleto", cascade="all, delete-orphan", order_by="BoletoEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < (today or date.today())

    def shown_status(self, today: date | None = None) -> str:
        """The status as people see it: stored, or "vencido" for an open boleto past due."""
        return STATUS_OVERDUE if self.is_overdue(today) else self.status

    @property
    def formatted_linha(self) -> str:
        line = self.linha_digitavel
        return (
            f"{line[0:5]}.{line[5:10]} {line[10:15]}.{line[15:21]} "
            f"{line[21:26]}.{line[26:32]} {line[32]} {line[33:47]}"
        )


class BoletoEvent(Base):
    """A boleto's history: who (staff, an API key, the bank's retorno), when, from, to."""

    __tablename__ = "clientela_boleto_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    boleto_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_boletos.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_staff_users.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(500), default="")

    boleto: Mapped[Boleto] = relationship(back_populates="events")
