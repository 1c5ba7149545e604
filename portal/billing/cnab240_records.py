"""CNAB 240 records, position by position: what a remessa is made of, the field helpers and
`Layout`, which writes the FEBRABAN records every bank shares (what each bank's manual
changes is in `cnab240_<bank>`).

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
    """Where a bank's segment T keeps what the return needs (first, last; from 1). The
    defaults are FEBRABAN's; the nosso número is where each bank puts it."""

    nosso_numero: tuple[int, int]  # without the DV
    document_number: tuple[int, int] = (59, 73)
    due_date: tuple[int, int] = (74, 81)
    value: tuple[int, int] = (82, 96)
    fees: tuple[int, int] = (199, 213)
    reasons: tuple[int, int] = (214, 223)


class Layout:
    """A bank's CNAB 240 remessa: the FEBRABAN records, with hooks for what each bank's
    layout puts in its own positions (the beneficiary's codes, reserved tails)."""

    bank_code = ""
    bank_name = ""
    file_layout = ""  # "layout do arquivo", 164-166 of the file header
    batch_layout = ""  # "layout do lote", 14-16 of the batch header
    returns: ReturnPositions

    def returned_nosso_numero(self, line: str) -> str:
        """The nosso número (without its DV) of a segment T, as `Boleto.nosso_numero`."""
        first, last = self.returns.nosso_numero
        return line[first - 1 : last]

    # Shared by the FEBRABAN layouts: a bank overrides the pieces its layout changes ---------

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            *self._file_ids(b),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, self.file_layout, "9"),
            *self._file_header_tail(),
        )

    def _file_ids(self, b: Beneficiary) -> list:
        """33-72 of the file header: the bank's codes for the beneficiary."""
        raise NotImplementedError

    def _file_header_tail(self) -> list:
        """167-240 of the file header: recording density, reserved."""
        return [(167, 171, 0, "9"), (172, 240, "", "X")]

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),  # cobrança
            *self._batch_layout(),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            *self._batch_ids(b),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            *self._batch_header_tail(),
        )

    def _batch_layout(self) -> list:
        """12-16 of the batch header: reserved, the batch layout's version."""
        return [(12, 13, "", "X"), (14, 16, self.batch_layout, "9")]

    def _batch_ids(self, b: Beneficiary) -> list:
        """34-73 of the batch header: the bank's codes for the beneficiary."""
        raise NotImplementedError

    def _batch_header_tail(self) -> list:
        """200-240 of the batch header: no credit date, reserved."""
        return [(200, 207, 0, "9"), (208, 240, "", "X")]

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        """Each bank's own: its nosso número and codes fill 18-62 (the rest is shared below)."""
        raise NotImplementedError

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(*self._detail(seq, "Q"), *self._payer(t), *self._q_tail())

    def _q_tail(self) -> list:
        """210-240 after the payer: no banco correspondente."""
        return [(210, 212, 0, "9"), (213, 240, "", "X")]

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "R"),
            *self._more_discounts(),
            *self._fine(t),
            (90, 99, "", "X"),
            *self._messages(t),
            *self._r_tail(),
        )

    def _more_discounts(self) -> list:
        """18-65 of segment R: descontos 2 and 3, none."""
        return [
            (18, 18, 0, "9"),
            (19, 26, 0, "9"),
            (27, 41, 0, "9"),
            (42, 42, 0, "9"),
            (43, 50, 0, "9"),
            (51, 65, 0, "9"),
        ]

    def _r_tail(self) -> list:
        return [(180, 240, "", "X")]

    def _no_debit_account(self) -> list:
        """180-240 of segment R with the débito em conta fields written out (none), as the
        banks that list them ask."""
        return [
            (180, 199, "", "X"),
            (200, 207, 0, "9"),
            (208, 210, 0, "9"),
            (211, 215, 0, "9"),
            (216, 216, "", "X"),
            (217, 228, 0, "9"),
            (229, 230, "", "X"),
            (231, 231, 0, "9"),
            (232, 240, "", "X"),
        ]

    def batch_trailer(self, records: int, titles: list[Title]) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 5, "9"),
            (9, 17, "", "X"),
            (18, 23, records, "9"),
            *self._batch_totals(titles),
        )

    def _batch_totals(self, titles: list[Title]) -> list:
        """24-240 of the batch trailer: cobrança simples, its titles and their total."""
        return [
            *self._simple_collection(titles),
            (47, 115, 0, "9"),
            (116, 123, "", "X"),
            (124, 240, "", "X"),
        ]

    def _simple_collection(self, titles: list[Title]) -> list:
        return [
            (24, 29, len(titles), "9"),
            (30, 46, cents(sum((t.value for t in titles), Decimal(0))), "9"),
        ]

    def _due_and_value(self, t: Title) -> list:
        """78-100 of segment P."""
        return [(78, 85, ddmmyyyy(t.due_date), "9"), (86, 100, cents(t.value), "9")]

    def _kind_and_issue(self, t: Title, kind: str = "02") -> list:
        """107-117 of segment P: espécie (duplicata mercantil), aceite, issue date."""
        return [
            (107, 108, kind, "9"),
            (109, 109, "N", "X"),
            (110, 117, ddmmyyyy(t.issue_date), "9"),
        ]

    def _no_discount_to_protest(self, t: Title, protest: int = 3) -> list:
        """142-223 of segment P: no discount, IOF or abatimento; the document number as the
        company's own reference; not protested (code 3, unless the bank says otherwise)."""
        return [
            (142, 142, 0, "9"),
            (143, 150, 0, "9"),
            (151, 165, 0, "9"),
            (166, 180, 0, "9"),
            (181, 195, 0, "9"),
            (196, 220, t.document_number, "X"),
            (221, 221, protest, "9"),
            (222, 223, 0, "9"),
        ]

    def _currency(self, last: str = "") -> list:
        """228-240 of segment P: real (09), no contract; 240 as the bank uses it."""
        return [(228, 229, "09", "9"), (230, 239, 0, "9"), (240, 240, last, "X")]

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
            *self._file_trailer_tail(),
        )

    def _file_trailer_tail(self) -> list:
        return [(30, 240, "", "X")]
