"""The printed boleto: every field of the slip (`Slip`) and its PDF (`render_boleto_pdf`).

    pdf = render_boleto_pdf([slip_1, slip_2, slip_3])  # one A4 page per instalment

The layout is FEBRABAN's standard one (the banks' manuals, e.g. Banco do Brasil's "Layout de
boleto" Jan/2016, Caixa SIGCB): on top the **recibo do pagador** (the payer's receipt), then
a cut line, then the **ficha de compensação**: bank name | bank code-DV | linha digitável;
local de pagamento / vencimento; beneficiário (name, CNPJ, address) / agência-código do
beneficiário; data do documento, nº do documento, espécie doc., aceite, data do
processamento / nosso número; uso do banco, carteira, espécie, quantidade, valor / (=) valor
do documento; instruções / (-) desconto, (-) outras deduções, (+) mora-multa, (+) outros
acréscimos, (=) valor cobrado; pagador (name, CPF/CNPJ, address); sacador/avalista;
autenticação mecânica; and the barcode (`portal.billing.barcode`, vector, 103 x 13 mm).

Rendering needs an app context (the template and the catalogue), never a request.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import segno
from flask import render_template
from flask_babel import format_decimal, get_locale
from markupsafe import Markup
from sqlalchemy.orm import object_session

from portal.billing import barcode as itf
from portal.billing import pix
from portal.billing.codes import PaymentCode, linha_from_barcode
from portal.billing.digits import mod11_arrecadacao
from portal.billing.models import OPEN_STATUSES
from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.config import setting
from portal.errors import DomainError
from portal.i18n import pgettext

TEMPLATE = "clientela/billing/boleto.html"
STYLESHEET = "clientela/billing/boleto.css"

BANK_NAMES = {
    "001": "Banco do Brasil",
    "033": "Santander",
    "104": "Caixa",
    "237": "Bradesco",
    "341": "Itaú",
    "756": "Sicoob",
}


def bank_code_dv(bank_code: str) -> str:
    """The bank's compensation code with its check digit, as printed: "001-9", "341-7".

    Module 11, weights 2..9 from the right, DV = 11 - remainder; 10 and 11 give 0 (001-9,
    033-7, 104-0, 237-2, 341-7, 756-0)."""
    code = str(bank_code).zfill(3)
    return f"{code}-{mod11_arrecadacao(code)}"


def format_linha(linha: str) -> str:
    """`AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE` from the 47 digits."""
    return PaymentCode(
        kind="boleto",
        barcode="",
        linha_digitavel=linha,
        bank_code=None,
        value=None,
        due_date=None,
        due_factor=None,
    ).formatted_linha


def linha_groups(linha: str) -> list[str]:
    """The formatted linha's groups, for a screen that breaks lines between them."""
    return format_linha(linha).split(" ")


def decimal_br(value: Decimal | None) -> str:
    """1.234,56 (the ficha's value fields: the currency is in "Espécie")."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.00")


@dataclass
class Slip:
    """Everything printed on one boleto (one instalment)."""

    bank_code: str  # "001"
    barcode: str  # 44 digits
    beneficiary_name: str
    beneficiary_document: str  # CPF or CNPJ digits
    beneficiary_address: str
    agency_code: str  # "Agência / Código do beneficiário", as the bank prints it
    nosso_numero: str  # formatted per bank, e.g. "109/12345678-9"
    document_number: str
    document_date: date
    processing_date: date
    due_date: date | None
    amount: Decimal
    payer_name: str
    payer_document: str
    payer_address: str
    carteira: str = ""
    instructions: list[str] = field(default_factory=list)
    linha_digitavel: str = ""  # 47 digits; computed from the barcode when empty
    local_pagamento: str = ""  # empty: the standard sentence
    especie_doc: str = "DM"  # duplicata mercantil
    aceite: str = "N"
    especie: str = "R$"
    guarantor: str = ""  # sacador / avalista
    instalment: int | None = None
    instalments: int | None = None
    pix_payload: str | None = None  # Pix "copia e cola" (BR Code), printed with its QR
    bank_name: str = ""

    def __post_init__(self) -> None:
        if not self.linha_digitavel:
            self.linha_digitavel = linha_from_barcode(self.barcode)
        if not self.bank_name:
            self.bank_name = BANK_NAMES.get(self.bank_code, self.bank_code)

    @property
    def bank_code_dv(self) -> str:
        return bank_code_dv(self.bank_code)

    @property
    def formatted_linha(self) -> str:
        return format_linha(self.linha_digitavel)

    @property
    def payment_place(self) -> str:
        return self.local_pagamento or pgettext(
            "boleto", "Payable at any bank, also after the due date"
        )

    @property
    def beneficiary_document_formatted(self) -> str:
        return format_document(self.beneficiary_document)

    @property
    def payer_document_formatted(self) -> str:
        return format_document(self.payer_document)

    @property
    def document_kind(self) -> str:
        return "CPF" if len(self.payer_document or "") == 11 else "CNPJ"

    @property
    def beneficiary_document_kind(self) -> str:
        return "CPF" if len(self.beneficiary_document or "") == 11 else "CNPJ"

    def barcode_svg(self) -> Markup:
        return Markup(itf.barcode_svg(self.barcode))

    def pix_qr_svg(self) -> Markup | None:
        return Markup(qr_svg(self.pix_payload)) if self.pix_payload else None


def qr_svg(payload: str, css_class: str = "pix-qr") -> str:
    """The payload's QR code as a scalable SVG (a viewBox, no size: CSS sizes it)."""
    qr = segno.make_qr(payload, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", omitsize=True, xmldecl=False, svgns=True, svgclass=css_class)
    return out.getvalue().decode("utf-8")


# From the database -------------------------------------------------------------------------

# "Agência / Código do beneficiário" as each bank prints it: the account number, or the
# convênio (Caixa's código do beneficiário, Santander's and Sicoob's código do cliente).
_CODE_IS_CONVENIO = {"033", "104", "756"}
_CITY = re.compile(r"([^,\-/]+?)\s*/\s*([A-Z]{2})\b")


def _with_dv(number: str, dv: str | None) -> str:
    return f"{number}-{dv}" if dv else number


def agency_code(account) -> str:
    agency = _with_dv(account.agency, account.agency_digit)
    if account.bank_code in _CODE_IS_CONVENIO and account.convenio:
        return f"{agency} / {account.convenio}"
    return f"{agency} / {_with_dv(account.account, account.account_digit)}"


def format_address(address) -> str:
    """ "Rua X, 10, Sala 2, Centro, Campinas/SP, CEP 13010-000" ('' without an address)."""
    if address is None:
        return ""
    parts = [address.street, address.number, address.complement, address.district]
    text = ", ".join(p for p in parts if p)
    return f"{text}, {address.city}/{address.uf}, CEP {format_cep(address.cep)}"


def payer_address(order) -> str:
    """The client's billing address: the active default one, else the order's delivery one."""
    client = order.client
    chosen = next((a for a in client.addresses if a.is_active and a.kind == "padrao"), None)
    return format_address(chosen or order.delivery_address)


def _instructions(account, boleto) -> list[str]:
    typed = [line.strip() for line in (account.instructions or "").splitlines() if line.strip()]
    if typed:
        return typed
    lines = []
    if account.fine_percent:
        lines.append(
            pgettext(
                "boleto",
                "After the due date, charge a fine of %(percent)s%%.",
                percent=format_decimal(account.fine_percent, format="#,##0.00"),
            )
        )
    if account.interest_percent_per_day:
        lines.append(
            pgettext(
                "boleto",
                "After the due date, charge interest of %(percent)s%% a day (R$ %(value)s a day).",
                percent=format_decimal(account.interest_percent_per_day, format="#,##0.0###"),
                value=decimal_br(
                    (boleto.amount * account.interest_percent_per_day / 100).quantize(
                        Decimal("0.01")
                    )
                ),
            )
        )
    return lines


def pix_payload(account, boleto) -> str | None:
    """The Pix "copia e cola" for the boleto's amount when the account has a Pix key (the
    city for the BR Code comes from the beneficiary's address, "Cidade/UF")."""
    if not account or not account.pix_key:
        return None
    found = _CITY.findall(account.beneficiary_address or "")
    city = found[-1][0].strip() if found else "Brasil"
    try:
        return pix.brcode(
            account.pix_key,
            account.beneficiary_name,
            city,
            amount=boleto.amount,
            txid=f"BOLETO{boleto.id}",
        )
    except DomainError:
        return None


def slip_for(boleto, today: date | None = None) -> Slip:
    """The slip of a stored boleto: its account (beneficiary), its order's client (payer)."""
    order = boleto.order if hasattr(boleto, "order") else None
    if order is None:
        from portal.orders.models import Order

        order = object_session(boleto).get(Order, boleto.order_id)
    client = order.client
    account = boleto.account
    payable = boleto.status in OPEN_STATUSES and not boleto.is_overdue(today)
    if account is not None:
        beneficiary = (
            account.beneficiary_name,
            account.beneficiary_document,
            account.beneficiary_address or "",
        )
        code, carteira = agency_code(account), account.carteira or ""
        instructions = _instructions(account, boleto)
    else:  # the gateway's boleto: the shop is the beneficiary the client knows
        beneficiary = (setting("CLIENTELA_SHOP_NAME"), setting("CLIENTELA_SHOP_CNPJ") or "", "")
        code, carteira, instructions = "", "", []
    return Slip(
        bank_code=boleto.barcode[:3],
        barcode=boleto.barcode,
        linha_digitavel=boleto.linha_digitavel,
        beneficiary_name=beneficiary[0],
        beneficiary_document=beneficiary[1],
        beneficiary_address=beneficiary[2],
        agency_code=code,
        nosso_numero=boleto.nosso_numero_formatted or boleto.nosso_numero or "",
        document_number=boleto.document_number or f"{order.number}/{boleto.instalment}",
        document_date=boleto.issued_on,
        processing_date=boleto.issued_on,
        due_date=boleto.due_date,
        amount=boleto.amount,
        payer_name=client.name,
        payer_document=client.document or "",
        payer_address=payer_address(order),
        carteira=carteira,
        instructions=instructions,
        instalment=boleto.instalment,
        instalments=boleto.instalments,
        # Pix for the boleto's own amount: not for one past due (its value grew) or closed.
        pix_payload=None if not payable else pix_payload(account, boleto),
    )


# Rendering ----------------------------------------------------------------------------------

_lock = threading.Lock()
_fonts = None
_stylesheet = None


def _resources():
    """One font configuration and one parsed stylesheet per process (fonts cost more than
    a page's layout)."""
    global _fonts, _stylesheet
    from flask import current_app
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        if _fonts is None:
            _fonts = FontConfiguration()
        if _stylesheet is None:
            env = current_app.jinja_env
            source, _filename, _uptodate = env.loader.get_source(env, STYLESHEET)
            _stylesheet = CSS(string=source, font_config=_fonts)
        return _fonts, _stylesheet


def render_boleto_html(slips: list[Slip]) -> str:
    lang = str(get_locale() or "pt_BR").replace("_", "-")
    return render_template(TEMPLATE, slips=slips, lang=lang, decimal_br=decimal_br)


def render_boleto_pdf(slips: list[Slip]) -> bytes:
    """The boletos as one A4 PDF, one page each (weasyprint; nothing fetched from outside)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fonts, stylesheet = _resources()
    html = render_boleto_html(slips)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )
