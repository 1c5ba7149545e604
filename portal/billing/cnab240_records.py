"""CNAB 240 records, position by position: what a remessa is made of, the field helpers and the
layout interface (each bank's records are in `cnab240_<bank>`).

Each record is written as the manual prints it: `(first, last, value, kind)` with positions
counted from 1; `record()` checks that the fields follow each other and fill 240 characters,
so a slip in a layout fails at once rather than at the bank. Kinds: "9" numeric (zero-padded
on the left), "X" alphanumeric (upper-case ASCII, space-padded on the right).
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

    def returned_nosso_numero(self, line: str) -> str:
        """The nosso número (without its DV) of a segment T, as `Boleto.nosso_numero`."""
        first, last = self.returns.nosso_numero
        return line[first - 1 : last]

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
