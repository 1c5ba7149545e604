"""CNAB 240 records, position by position, for the banks whose files are built and read here.

Each record is written as the manual prints it: `(first, last, value, kind)` with positions
counted from 1; `record()` checks that the fields follow each other and fill 240 characters,
so a slip in a layout fails at once rather than at the bank. Kinds: "9" numeric (zero-padded
on the left), "X" alphanumeric (upper-case ASCII, space-padded on the right).

Sources: Caixa "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança Bancária CAIXA —
SIGCB" (layout 101 / batch 060; return 040 / 030) and Santander "Layout de Arquivo Padrão 240
— Cobrança" v2.5, Sep/2014 (layout 040 / batch 030).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from portal.billing.banks import Account, NossoNumero
from portal.errors import DomainError
from portal.i18n import _

LINE = 240


# What a remessa is made of ------------------------------------------------------------------


@dataclass(frozen=True)
class Beneficiary:
    name: str
    document: str  # CPF (11) or CNPJ (14) digits
    account: Account
    transmission_code: str = ""  # Santander's "código de transmissão" (15 digits)


@dataclass(frozen=True)
class Payer:
    name: str
    document: str
    street: str = ""
    district: str = ""
    cep: str = ""
    city: str = ""
    uf: str = ""


@dataclass(frozen=True)
class Title:
    """One boleto to register ("entrada de título")."""

    nosso_numero: NossoNumero
    document_number: str  # "seu número": the shop's reference (order and installment)
    due_date: date
    value: Decimal
    issue_date: date
    payer: Payer
    interest_per_day: Decimal | None = None  # juros de mora in reais per day late
    fine_percent: Decimal | None = None  # multa, percent, from the day after the due date
    messages: tuple[str, ...] = field(default_factory=tuple)  # up to two, 40 characters
    days_to_write_off: int = 60  # baixa/devolução this many days after the due date


# Field helpers ------------------------------------------------------------------------------


def ascii_upper(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch if 32 <= ord(ch) < 127 else " " for ch in plain).upper()


def record(*fields: tuple[int, int, object, str]) -> str:
    parts = []
    expected = 1
    for first, last, value, kind in fields:
        if first != expected:
            raise AssertionError(f"CNAB field at {first}, expected {expected}")
        size = last - first + 1
        text = "" if value is None else str(value)
        if kind == "9":
            if not text.isdigit() and text:
                raise DomainError(
                    _("Position %(first)s-%(last)s takes digits only.", first=first, last=last)
                )
            if len(text) > size:
                raise DomainError(
                    _(
                        "Position %(first)s-%(last)s takes up to %(size)s digits.",
                        first=first,
                        last=last,
                        size=size,
                    )
                )
            text = text.zfill(size)
        else:
            text = ascii_upper(text)[:size].ljust(size)
        parts.append(text)
        expected = last + 1
    line = "".join(parts)
    if len(line) != LINE:
        raise AssertionError(f"CNAB record of {len(line)} characters")
    return line


def cents(value: Decimal | None) -> str:
    return "0" if value is None else str(int((Decimal(value) * 100).quantize(Decimal(1))))


def ddmmyyyy(day: date | None) -> str:
    return "00000000" if day is None else day.strftime("%d%m%Y")


def document_kind(document: str) -> str:
    return "2" if len(document) == 14 else "1"


def only_digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


# Layouts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnPositions:
    """Where a bank's segment T keeps what the return needs (first, last; from 1)."""

    nosso_numero: tuple[int, int]  # without the DV
    document_number: tuple[int, int]
    due_date: tuple[int, int]
    value: tuple[int, int]
    fees: tuple[int, int]
    reasons: tuple[int, int]


class Layout:
    bank_code = ""
    bank_name = ""
    returns: ReturnPositions

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        raise NotImplementedError

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        raise NotImplementedError

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        raise NotImplementedError

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        raise NotImplementedError

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        raise NotImplementedError

    def batch_trailer(self, records: int, titles: list[Title]) -> str:
        raise NotImplementedError

    # Shared by the FEBRABAN layouts --------------------------------------------------------

    def _detail(self, seq: int, segment: str) -> list:
        return [
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 3, "9"),
            (9, 13, seq, "9"),
            (14, 14, segment, "X"),
            (15, 15, "", "X"),
            (16, 17, "01", "9"),  # entrada de títulos
        ]

    def _payer(self, t: Title) -> list:
        payer = t.payer
        cep = only_digits(payer.cep).zfill(8) if payer.cep else "0"
        document = only_digits(payer.document)
        return [
            (18, 18, document_kind(document), "9"),
            (19, 33, document, "9"),
            (34, 73, payer.name, "X"),
            (74, 113, payer.street, "X"),
            (114, 128, payer.district, "X"),
            (129, 133, cep[:5] if payer.cep else "", "9"),
            (134, 136, cep[5:] if payer.cep else "", "9"),
            (137, 151, payer.city, "X"),
            (152, 153, payer.uf, "X"),
            (154, 154, 0, "9"),  # no sacador/avalista
            (155, 169, 0, "9"),
            (170, 209, "", "X"),
        ]

    def _interest(self, t: Title) -> list:
        if t.interest_per_day:
            return [
                (118, 118, 1, "9"),  # valor por dia
                (119, 126, ddmmyyyy(t.due_date.fromordinal(t.due_date.toordinal() + 1)), "9"),
                (127, 141, cents(t.interest_per_day), "9"),
            ]
        return [(118, 118, 3, "9"), (119, 126, 0, "9"), (127, 141, 0, "9")]  # isento

    def _fine(self, t: Title) -> list:
        if t.fine_percent:
            after = t.due_date.fromordinal(t.due_date.toordinal() + 1)
            return [
                (66, 66, 2, "9"),
                (67, 74, ddmmyyyy(after), "9"),
                (75, 89, cents(t.fine_percent), "9"),
            ]
        return [(66, 66, 0, "9"), (67, 74, 0, "9"), (75, 89, 0, "9")]

    def _messages(self, t: Title) -> list:
        messages = [*t.messages, "", ""]
        return [(100, 139, messages[0], "X"), (140, 179, messages[1], "X")]

    def file_trailer(self, batches: int, records: int) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 9999, "9"),
            (8, 8, 9, "9"),
            (9, 17, "", "X"),
            (18, 23, batches, "9"),
            (24, 29, records, "9"),
            (30, 240, "", "X"),
        )


class CaixaLayout(Layout):
    bank_code = "104"
    bank_name = "CAIXA ECONOMICA FEDERAL"
    returns = ReturnPositions(
        nosso_numero=(40, 56),
        document_number=(59, 69),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

    def _ids(self, b: Beneficiary) -> tuple[str, str, str]:
        account = b.account
        agencia = only_digits(account.agencia)
        return agencia, account.agencia_dv or "0", only_digits(account.convenio)

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            (33, 52, 0, "9"),
            (53, 57, agencia, "9"),
            (58, 58, agencia_dv, "X"),
            (59, 64, convenio, "9"),
            (65, 71, 0, "9"),
            (72, 72, 0, "9"),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "101", "9"),
            (167, 171, 0, "9"),
            (172, 191, "", "X"),
            (192, 211, "REMESSA-PRODUCAO", "X"),
            (212, 215, "", "X"),
            (216, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, 0, "9"),
            (14, 16, "060", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 39, convenio, "9"),
            (40, 53, 0, "9"),
            (54, 58, agencia, "9"),
            (59, 59, agencia_dv, "X"),
            (60, 65, convenio, "9"),
            (66, 72, 0, "9"),
            (73, 73, 0, "9"),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            (200, 207, 0, "9"),
            (208, 240, "", "X"),
        )

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        number = t.nosso_numero.digits  # 17: carteira (2) + 15
        return record(
            *self._detail(seq, "P"),
            (18, 22, agencia, "9"),
            (23, 23, agencia_dv, "X"),
            (24, 29, convenio, "9"),
            (30, 37, 0, "9"),
            (38, 39, 0, "9"),
            (40, 40, 0, "9"),  # nosso número of 17 positions
            (41, 42, number[:2], "9"),
            (43, 57, number[2:], "9"),
            (58, 58, 1, "9"),  # cobrança simples
            (59, 59, 1, "9"),  # registrada
            (60, 60, "2", "X"),  # escritural
            (61, 61, 2, "9"),  # the beneficiary issues the boleto
            (62, 62, "0", "X"),  # ... and delivers it
            (63, 73, t.document_number, "X"),
            (74, 77, "", "X"),
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 105, 0, "9"),
            (106, 106, "0", "X"),
            (107, 108, "02", "9"),  # duplicata mercantil
            (109, 109, "N", "X"),
            (110, 117, ddmmyyyy(t.issue_date), "9"),
            *self._interest(t),
            (142, 142, 0, "9"),
            (143, 150, 0, "9"),
            (151, 165, 0, "9"),
            (166, 180, 0, "9"),
            (181, 195, 0, "9"),
            (196, 220, t.document_number, "X"),
            (221, 221, 3, "9"),  # não protestar
            (222, 223, 0, "9"),
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 227, f"{t.days_to_write_off:03d}", "X"),
            (228, 229, "09", "9"),
            (230, 239, 0, "9"),
            (240, 240, "1", "X"),  # no partial payment
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "Q"),
            *self._payer(t),
            (210, 212, 0, "9"),
            (213, 232, "", "X"),
            (233, 240, "", "X"),
        )

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "R"),
            (18, 18, 0, "9"),
            (19, 26, 0, "9"),
            (27, 41, 0, "9"),
            (42, 42, 0, "9"),
            (43, 50, 0, "9"),
            (51, 65, 0, "9"),
            *self._fine(t),
            (90, 99, "", "X"),
            *self._messages(t),
            (180, 229, "", "X"),
            (230, 240, "", "X"),
        )

    def batch_trailer(self, records: int, titles: list[Title]) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 5, "9"),
            (9, 17, "", "X"),
            (18, 23, records, "9"),
            (24, 29, len(titles), "9"),
            (30, 46, cents(sum((t.value for t in titles), Decimal(0))), "9"),
            (47, 52, 0, "9"),
            (53, 69, 0, "9"),
            (70, 75, 0, "9"),
            (76, 92, 0, "9"),
            (93, 123, "", "X"),
            (124, 240, "", "X"),
        )


class SantanderLayout(Layout):
    bank_code = "033"
    bank_name = "BANCO SANTANDER"
    returns = ReturnPositions(
        nosso_numero=(41, 52),
        document_number=(55, 69),
        due_date=(70, 77),
        value=(78, 92),
        fees=(194, 208),
        reasons=(209, 218),
    )

    def _transmission(self, b: Beneficiary) -> str:
        code = only_digits(b.transmission_code)
        if not code:
            raise DomainError(
                _("Santander: the account's código de transmissão is missing."),
                field="transmission_code",
            )
        return code

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 16, "", "X"),
            (17, 17, document_kind(b.document), "9"),
            (18, 32, b.document, "9"),
            (33, 47, self._transmission(b), "9"),
            (48, 72, "", "X"),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, "", "X"),
            (158, 163, file_number, "9"),
            (164, 166, "040", "9"),
            (167, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, "", "X"),
            (14, 16, "030", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 53, "", "X"),
            (54, 68, self._transmission(b), "9"),
            (69, 73, "", "X"),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            (200, 240, "", "X"),
        )

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        account = b.account
        conta = only_digits(account.conta)
        return record(
            *self._detail(seq, "P"),
            (18, 21, only_digits(account.agencia), "9"),
            (22, 22, account.agencia_dv or "0", "9"),
            (23, 31, conta, "9"),
            (32, 32, account.conta_dv or "0", "9"),
            (33, 41, conta, "9"),  # conta cobrança
            (42, 42, account.conta_dv or "0", "9"),
            (43, 44, "", "X"),
            (45, 57, t.nosso_numero.digits + t.nosso_numero.dv, "9"),
            (58, 58, 5, "9"),  # cobrança simples rápida com registro
            (59, 59, 1, "9"),  # registrada
            (60, 60, 1, "9"),  # tradicional
            (61, 62, "", "X"),
            (63, 77, t.document_number, "X"),
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 104, 0, "9"),
            (105, 105, 0, "9"),
            (106, 106, "", "X"),
            (107, 108, "02", "9"),  # duplicata mercantil
            (109, 109, "N", "X"),
            (110, 117, ddmmyyyy(t.issue_date), "9"),
            *self._interest(t),
            (142, 142, 0, "9"),
            (143, 150, 0, "9"),
            (151, 165, 0, "9"),
            (166, 180, 0, "9"),
            (181, 195, 0, "9"),
            (196, 220, t.document_number, "X"),
            (221, 221, 0, "9"),  # não protestar
            (222, 223, 0, "9"),
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 225, 0, "9"),
            (226, 227, min(t.days_to_write_off, 99), "9"),
            (228, 229, "00", "9"),  # real
            (230, 240, "", "X"),
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "Q"),
            *self._payer(t),
            (210, 221, 0, "9"),  # no carnê
            (222, 240, "", "X"),
        )

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "R"),
            (18, 18, 0, "9"),
            (19, 26, 0, "9"),
            (27, 41, 0, "9"),
            (42, 65, "", "X"),
            *self._fine(t),
            (90, 99, "", "X"),
            *self._messages(t),
            (180, 240, "", "X"),
        )

    def batch_trailer(self, records: int, titles: list[Title]) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 5, "9"),
            (9, 17, "", "X"),
            (18, 23, records, "9"),
            (24, 240, "", "X"),
        )


LAYOUTS: dict[str, Layout] = {
    layout.bank_code: layout for layout in (CaixaLayout(), SantanderLayout())
}
