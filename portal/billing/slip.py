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

import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import render_template
from flask_babel import format_decimal, get_locale
from markupsafe import Markup

from portal.billing import barcode as itf
from portal.billing import pix
from portal.billing.codes import PaymentCode, linha_from_barcode
from portal.billing.digits import mod11_arrecadacao
from portal.brazil.documents import format_document
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
        if not self.pix_payload:
            return None
        return Markup(pix.qr_svg(self.pix_payload, scale=2))


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
