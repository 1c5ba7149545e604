"""A boleto as a page shows it (storefront Pagamento tab, second copy, back office): the
payment code in groups, the barcode SVG, status, and for a boleto past due the updated amount.

    card = boleto_card(boleto)   # BoletoCard: plain values and safe SVG for a template
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from portal.billing import barcode as itf
from portal.billing.charges import Charges, charges
from portal.billing.models import (
    STATUS_CANCELLED,
    STATUS_ISSUED,
    STATUS_OVERDUE,
    STATUS_PAID,
    STATUS_REGISTERED,
    STATUS_REJECTED,
    Boleto,
)
from portal.billing.slip import format_linha, pix_payload, qr_svg
from portal.i18n import pgettext

SVG_CLASS = "boleto-barcode w-100 h-auto"  # as wide as its box, proportions kept

# Bootstrap badge colour per shown status.
BADGES = {
    STATUS_ISSUED: "secondary",
    STATUS_REGISTERED: "primary",
    STATUS_PAID: "success",
    STATUS_OVERDUE: "danger",
    STATUS_CANCELLED: "dark",
    STATUS_REJECTED: "warning",
}


def status_label(status: str) -> str:
    return {
        STATUS_ISSUED: pgettext("boleto status", "Issued"),
        STATUS_REGISTERED: pgettext("boleto status", "Registered"),
        STATUS_PAID: pgettext("boleto status", "Paid"),
        STATUS_OVERDUE: pgettext("boleto status", "Overdue"),
        STATUS_CANCELLED: pgettext("boleto status", "Cancelled"),
        STATUS_REJECTED: pgettext("boleto status", "Rejected"),
    }.get(status, status)


@dataclass
class BoletoCard:
    id: int
    order_id: int
    instalment: int
    instalments: int
    due_date: date
    amount: Decimal
    status: str  # as shown: stored, or "vencido"
    status_label: str
    badge: str
    linha_digitavel: str  # 47 digits (what the copy button copies)
    formatted_linha: str
    groups: list[str]
    barcode: str
    barcode_svg: Markup
    payable: bool  # open (emitido/registrado): the code may be paid
    printable: bool  # its PDF is offered: payable, or paid (a record); not cancelled/rejected
    updated: Charges | None  # vencido: amount + multa + juros as of today
    paid_on: date | None
    paid_amount: Decimal | None
    pdf_url: str | None  # the gateway's own PDF, when it sent one
    pix_payload: str | None
    pix_qr_svg: Markup | None


def boleto_card(boleto: Boleto, today: date | None = None, with_pix: bool = True) -> BoletoCard:
    today = today or date.today()
    shown = boleto.shown_status(today)
    account = boleto.account
    updated = None
    if shown == STATUS_OVERDUE:
        updated = charges(
            boleto.amount,
            boleto.due_date,
            today,
            account.fine_percent if account else None,
            account.interest_percent_per_day if account else None,
        )
    payable = shown in (STATUS_ISSUED, STATUS_REGISTERED, STATUS_OVERDUE)
    payload = pix_payload(account, boleto) if with_pix and payable and not updated else None
    formatted = format_linha(boleto.linha_digitavel)
    return BoletoCard(
        id=boleto.id,
        order_id=boleto.order_id,
        instalment=boleto.instalment,
        instalments=boleto.instalments,
        due_date=boleto.due_date,
        amount=boleto.amount,
        status=shown,
        status_label=status_label(shown),
        badge=BADGES.get(shown, "secondary"),
        linha_digitavel=boleto.linha_digitavel,
        formatted_linha=formatted,
        groups=formatted.split(" "),
        barcode=boleto.barcode,
        barcode_svg=Markup(
            itf.barcode_svg(
                boleto.barcode, responsive=True, css_class="boleto-barcode w-100 h-auto"
            )
        ),
        payable=payable,
        printable=payable or shown == STATUS_PAID,
        updated=updated,
        paid_on=boleto.paid_on,
        paid_amount=boleto.paid_amount,
        pdf_url=boleto.pdf_url,
        pix_payload=payload,
        pix_qr_svg=Markup(qr_svg(payload)) if payload else None,
    )
