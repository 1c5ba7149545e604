"""Boletos the shop's payment gateway issued: checked, then stored on the order.

    boleto, created = register(order_id, code, due_date, value, actor, pdf_url=..., bank_code=...)

The code (linha digitável or barcode) must check (its check digits), be a boleto (not a
utility bill), and carry the value and due date sent (the due date is compared by its factor,
the only thing a code holds); a `bank_code`, when sent, must be the code's. The same code
again for the same order answers the boleto already stored (`created=False`); on another
order it is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from portal import db
from portal.billing import codes
from portal.billing.models import SOURCE_GATEWAY, STATUS_ISSUED, Boleto, BoletoEvent
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector, NotFound
from portal.i18n import _
from portal.orders.models import Order
from portal.orders.service import Actor

MAX_PDF_URL = 500


def _check_pdf_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    if len(url) > MAX_PDF_URL or not url.lower().startswith(("https://", "http://")):
        raise DomainError(
            _("PDF address: an http(s):// address of up to 500 characters."), field="pdf_url"
        )
    return url


def register(
    order_id: int,
    code_text: str,
    due_date: date,
    value: Decimal,
    actor: Actor,
    *,
    pdf_url: str | None = None,
    bank_code: str | None = None,
    today: date | None = None,
) -> tuple[Boleto, bool]:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("Order not found."))
    code = codes.parse(code_text, today=today)  # InvalidCode names the failing check digit
    if code.kind != codes.KIND_BOLETO:
        raise DomainError(
            _("This is a utility bill's code (arrecadação), not a boleto's."), field="code"
        )
    existing = db.session.scalars(select(Boleto).where(Boleto.barcode == code.barcode)).first()
    if existing is not None:
        if existing.order_id != order.id:
            raise DomainError(
                _("This boleto is already registered on another order."),
                field="code",
                code="conflict",
            )
        return existing, False
    errors = ErrorCollector()
    if bank_code is not None and bank_code.strip().zfill(3) != code.bank_code:
        errors.add(
            _(
                "Bank: the code is from bank %(found)s, not %(sent)s.",
                found=code.bank_code,
                sent=bank_code,
            ),
            "bank_code",
        )
    if value is None or value <= 0:
        errors.add(_("Value: send the boleto's value, more than zero."), "value")
    elif code.value is None:
        errors.add(
            _("Value: the code has no value (“valor variável”); it must hold %(value)s.",
              value=format(value, "f")),
            "value",
        )  # fmt: skip
    elif code.value != Decimal(value).quantize(Decimal("0.01")):
        errors.add(
            _(
                "Value: the code holds %(found)s, not %(sent)s.",
                found=format(code.value, "f"),
                sent=format(value, "f"),
            ),
            "value",
        )
    try:
        expected_factor = codes.due_factor(due_date)
    except DomainError as exc:
        errors.add(exc.message, "due_date")
    else:
        if code.due_factor != expected_factor:
            found = code.due_date.isoformat() if code.due_date else _("no due date")
            errors.add(
                _(
                    "Due date: the code's due date is %(found)s (factor %(factor)s), not %(sent)s.",
                    found=found,
                    factor=str(code.due_factor).zfill(4),
                    sent=due_date.isoformat(),
                ),
                "due_date",
            )
    url = errors.check(_check_pdf_url, pdf_url)
    errors.raise_if_any()
    count = db.session.scalar(select(func.count()).where(Boleto.order_id == order.id)) or 0
    now = utcnow()
    boleto = Boleto(
        account_id=None,
        order_id=order.id,
        client_id=order.client_id,
        instalment=count + 1,
        instalments=count + 1,
        nosso_numero=None,
        nosso_numero_dv="",
        document_number=f"{order.number}-{count + 1}",
        issued_on=(today or date.today()),
        due_date=due_date,
        amount=code.value,
        barcode=code.barcode,
        linha_digitavel=code.linha_digitavel,
        status=STATUS_ISSUED,
        source=SOURCE_GATEWAY,
        pdf_url=url,
        created_at=now,
        updated_at=now,
    )
    boleto.events.append(
        BoletoEvent(
            at=now,
            staff_user_id=actor.staff.id if actor.staff else None,
            actor_label=actor.label[:200],
            from_status=None,
            to_status=STATUS_ISSUED,
            note=_("Issued by the payment gateway"),
        )
    )
    db.session.add(boleto)
    db.session.flush()
    return boleto, True
