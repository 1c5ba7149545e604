"""An account's CNAB 240 files: the remessa of boletos not yet sent, the retorno imported.

    remessa = build_remessa_for_account(account_id, actor)   # text, file name, boletos
    report = import_retorno(account_id, uploaded_bytes, actor)
    for line in report.lines: line.line_number, line.nosso_numero, line.outcome, line.message

Both flush; the caller commits. A remessa takes the account's next file number (one
`UPDATE ... RETURNING`, like nosso números) and marks its boletos `sent_in_remessa_at`
("Enviado ao banco"). A retorno never raises on its content: each row registers, pays or
rejects its boleto, or is reported (unknown nosso número, malformed line, another bank's
file); a row that finds its boleto already in that state changes nothing, so importing the
same file twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal import db
from portal.billing import cnab240, cnab_codes, status
from portal.billing.banks import bank_for
from portal.billing.models import (
    SOURCE_ISSUED,
    STATUS_ISSUED,
    BillingAccount,
    Boleto,
    BoletoEvent,
)
from portal.db import utcnow
from portal.errors import DomainError, NotFound
from portal.i18n import _
from portal.orders.models import Order
from portal.orders.service import Actor

MAX_RETORNO_BYTES = 5 * 1024 * 1024


def supports_cnab(bank_code: str) -> bool:
    return bank_code in cnab240.LAYOUTS


def _account(account_id: int) -> BillingAccount:
    account = db.session.get(BillingAccount, account_id)
    if account is None:
        raise NotFound(_("Billing account not found."))
    return account


def _require_layout(account: BillingAccount) -> None:
    if not supports_cnab(account.bank_code):
        raise DomainError(
            _(
                "CNAB 240 files for %(bank)s are not made here yet (only %(banks)s): "
                "register this account's boletos in the bank's own system.",
                bank=bank_for(account.bank_code).name,
                banks=", ".join(bank_for(code).name for code in sorted(cnab240.LAYOUTS)),
            )
        )


# Remessa ------------------------------------------------------------------------------------


@dataclass
class Remessa:
    file_name: str
    text: str
    boletos: list[Boleto]
    file_number: int


def pending_boletos(account_id: int) -> list[Boleto]:
    """The account's boletos issued here and not yet sent to the bank (index account, sent)."""
    return list(
        db.session.scalars(
            select(Boleto)
            .where(
                Boleto.account_id == account_id,
                Boleto.sent_in_remessa_at.is_(None),
                Boleto.source == SOURCE_ISSUED,
                Boleto.status == STATUS_ISSUED,
            )
            .order_by(Boleto.id)
        )
    )


def _payer(order: Order) -> cnab240.Payer:
    client = order.client
    address = order.delivery_address or next(
        (a for a in getattr(client, "addresses", []) if getattr(a, "is_active", True)), None
    )
    values = {"name": client.name, "document": client.document or ""}
    if address is not None:
        values |= {
            "street": f"{address.street}, {address.number}",
            "district": address.district,
            "cep": address.cep,
            "city": address.city,
            "uf": address.uf,
        }
    return cnab240.Payer(**values)


def _title(account: BillingAccount, boleto: Boleto, order: Order) -> cnab240.Title:
    from portal.billing.banks import NossoNumero

    interest = None
    if account.interest_percent_per_day:
        interest = (boleto.amount * account.interest_percent_per_day / 100).quantize(
            Decimal("0.01")
        )
    lines = [
        line.strip()[:40] for line in (account.instructions or "").splitlines() if line.strip()
    ]
    return cnab240.Title(
        nosso_numero=NossoNumero(boleto.nosso_numero or "", boleto.nosso_numero_dv or ""),
        document_number=boleto.document_number[:15],
        due_date=boleto.due_date,
        value=boleto.amount,
        issue_date=boleto.issued_on,
        payer=_payer(order),
        interest_per_day=interest or None,
        fine_percent=account.fine_percent or None,
        messages=tuple(lines[:2]),
    )


def build_remessa_for_account(
    account_id: int, actor: Actor, now: datetime | None = None
) -> Remessa:
    account = _account(account_id)
    _require_layout(account)
    boletos = pending_boletos(account.id)
    if not boletos:
        raise DomainError(_("There are no boletos to send: every one was sent already."))
    orders = {
        o.id: o
        for o in db.session.scalars(
            select(Order)
            .where(Order.id.in_({b.order_id for b in boletos}))
            .options(selectinload(Order.client), selectinload(Order.delivery_address))
        )
    }
    table = BillingAccount.__table__
    number = (
        db.session.execute(
            update(table)
            .where(table.c.id == account.id)
            .values(next_remessa_number=table.c.next_remessa_number + 1)
            .returning(table.c.next_remessa_number)
        ).scalar_one()
        - 1
    )
    now = now or utcnow()
    beneficiary = cnab240.Beneficiary(
        name=account.beneficiary_name,
        document=account.beneficiary_document,
        account=account.bank_account(),
        transmission_code=account.transmission_code or "",
    )
    titles = [_title(account, b, orders[b.order_id]) for b in boletos]
    text = cnab240.build_remessa(beneficiary, titles, file_number=number, generated_at=now)
    note = _("Sent to the bank in remessa no. %(number)s", number=number)
    for boleto in boletos:
        boleto.sent_in_remessa_at = now
        boleto.events.append(
            BoletoEvent(
                at=now,
                staff_user_id=actor.staff.id if actor.staff else None,
                actor_label=actor.label[:200],
                from_status=boleto.status,
                to_status=boleto.status,
                note=note,
            )
        )
    db.session.flush()
    name = f"remessa-{account.bank_code}-{number:06d}-{now:%Y%m%d}.rem"
    return Remessa(name, text, boletos, number)


# Retorno ------------------------------------------------------------------------------------

CHANGED = "changed"
UNCHANGED = "unchanged"
PROBLEM = "problem"


@dataclass
class ReportLine:
    line_number: int
    nosso_numero: str
    outcome: str  # CHANGED | UNCHANGED | PROBLEM
    message: str


@dataclass
class ImportReport:
    lines: list[ReportLine] = field(default_factory=list)
    order_moves: list[tuple[int, int, int]] = field(default_factory=list)  # order, old, new

    @property
    def changed(self) -> int:
        return sum(1 for line in self.lines if line.outcome == CHANGED)

    @property
    def unchanged(self) -> int:
        return sum(1 for line in self.lines if line.outcome == UNCHANGED)

    @property
    def problems(self) -> int:
        return sum(1 for line in self.lines if line.outcome == PROBLEM)


def _money_br(value: Decimal | None) -> str:
    text = f"{value or 0:,.2f}"
    return "R$ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def import_retorno(account_id: int, data: bytes, actor: Actor) -> ImportReport:
    account = _account(account_id)
    report = ImportReport()
    if not supports_cnab(account.bank_code):
        _require_layout(account)
    if len(data) > MAX_RETORNO_BYTES:
        raise DomainError(_("The file is over 5 MB: is it a CNAB 240 return file?"), field="file")
    parsed = cnab240.parse_retorno(data)
    for problem in parsed.problems:
        report.lines.append(ReportLine(problem.line_number, "", PROBLEM, problem.message))
    if parsed.bank_code and parsed.bank_code != account.bank_code:
        report.lines.append(
            ReportLine(
                1,
                "",
                PROBLEM,
                _(
                    "This return file is from bank %(found)s, and the account is at bank "
                    "%(bank)s: nothing was imported.",
                    found=parsed.bank_code,
                    bank=account.bank_code,
                ),
            )
        )
        return report
    numbers = {row.nosso_numero for row in parsed.rows}
    boletos = {
        b.nosso_numero: b
        for b in db.session.scalars(
            select(Boleto)
            .where(Boleto.account_id == account.id, Boleto.nosso_numero.in_(numbers))
            .options(selectinload(Boleto.events))
        )
    } if numbers else {}  # fmt: skip
    for row in parsed.rows:
        boleto = boletos.get(row.nosso_numero)
        if boleto is None:
            report.lines.append(
                ReportLine(
                    row.line_number,
                    row.nosso_numero,
                    PROBLEM,
                    _(
                        "Line %(line)s: the nosso número %(number)s is not a boleto of this "
                        "account.",
                        line=row.line_number,
                        number=row.nosso_numero,
                    ),
                )
            )
            continue
        report.lines.append(_apply(row, boleto, actor, report))
    db.session.flush()
    return report


def _apply(row: cnab240.RetornoRow, boleto: Boleto, actor: Actor, report: ImportReport):
    where = (row.line_number, row.nosso_numero)
    note = _("Bank return: %(movement)s", movement=row.movement_label)
    if row.status == cnab_codes.REGISTERED:
        if status.registered(boleto, actor, note):
            return ReportLine(*where, CHANGED, _("Registered by the bank."))
        return ReportLine(*where, UNCHANGED, _("Already registered: nothing changed."))
    if row.status == cnab_codes.REJECTED:
        reason = "; ".join(f"{r.code} {r.text}" for r in row.reasons) or row.movement_label
        if status.rejected(boleto, reason, actor):
            return ReportLine(*where, CHANGED, _("Rejected by the bank: %(reason)s", reason=reason))
        return ReportLine(*where, UNCHANGED, _("Rejection of a boleto that is no longer "
                                                "waiting: nothing changed."))  # fmt: skip
    if row.status == cnab_codes.PAID:
        paid_on: date = row.occurred_on or row.credited_on or date.today()
        amount = row.amount_paid if row.amount_paid else row.value
        outcome = status.paid_by_bank(boleto, paid_on, amount, row.fees or Decimal("0"), actor,
                                      note)  # fmt: skip
        if outcome is None:
            return ReportLine(*where, UNCHANGED, _("Already paid or cancelled: nothing changed."))
        if outcome.order_status:
            report.order_moves.append((boleto.order_id, *outcome.order_status))
        return ReportLine(
            *where,
            CHANGED,
            _("Paid on %(date)s: %(amount)s (fees %(fees)s).",
              date=paid_on.strftime("%d/%m/%Y"), amount=_money_br(amount),
              fees=_money_br(row.fees)),
        )  # fmt: skip
    return ReportLine(*where, UNCHANGED, _("%(movement)s: nothing to change here.",
                                           movement=row.movement_label))  # fmt: skip
