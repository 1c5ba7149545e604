"""CNAB 240 (FEBRABAN) for boletos: the remessa that registers them and the retorno that says
what became of them. Pure functions over dataclasses; storing the outcome is the caller's.

    text = build_remessa(beneficiary, titles, file_number=7, generated_at=now)
    result = parse_retorno(uploaded_bytes, known={"14000000000000006", ...})
    for row in result.rows: row.status, row.nosso_numero, row.amount_paid, row.reasons
    for problem in result.problems: problem.line_number, problem.message

Banks: Banco do Brasil (001), Bradesco (237), Caixa (104, SIGCB), Itaú (341), Santander
(033) and Sicoob (756); the records they share are in `cnab240_records`, what each bank
changes in `cnab240_bb`, `cnab240_bradesco`, `cnab240_caixa`, `cnab240_itau`,
`cnab240_santander` and `cnab240_sicoob`.
A remessa has one batch: file header, batch header, segments P + Q (+ R when the title has
a multa or messages) per title, batch trailer, file trailer; 240 characters a line, CRLF.
A retorno is read line by line: a malformed line becomes a problem with its number, never
an exception; so does a nosso número that is not in `known` (when given).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from portal.billing import cnab_codes
from portal.billing.cnab240_bb import BancoDoBrasilLayout
from portal.billing.cnab240_bradesco import BradescoLayout
from portal.billing.cnab240_caixa import CaixaLayout
from portal.billing.cnab240_itau import ItauLayout
from portal.billing.cnab240_records import LINE, Beneficiary, Layout, Payer, Title
from portal.billing.cnab240_santander import SantanderLayout
from portal.billing.cnab240_sicoob import SicoobLayout
from portal.errors import DomainError
from portal.i18n import _

__all__ = [
    "Beneficiary",
    "Payer",
    "Problem",
    "Reason",
    "Retorno",
    "RetornoRow",
    "Title",
    "build_remessa",
    "layout_for",
    "parse_retorno",
]
CRLF = "\r\n"
LAYOUTS: dict[str, Layout] = {
    layout.bank_code: layout
    for layout in (
        BancoDoBrasilLayout(),
        BradescoLayout(),
        CaixaLayout(),
        ItauLayout(),
        SantanderLayout(),
        SicoobLayout(),
    )
}


def layout_for(bank_code: str) -> Layout:
    layout = LAYOUTS.get(bank_code)
    if layout is None:
        raise DomainError(
            _(
                "CNAB 240 files are made here for these banks only: %(banks)s.",
                banks=", ".join(sorted(LAYOUTS)),
            ),
            field="bank_code",
        )
    return layout


# Remessa ------------------------------------------------------------------------------------


def build_remessa(
    beneficiary: Beneficiary, titles: list[Title], file_number: int, generated_at: datetime
) -> str:
    """The remessa file's text (CRLF line ends, a final CRLF), one batch with every title."""
    if not titles:
        raise DomainError(_("There are no boletos to send."))
    layout = layout_for(beneficiary.account.bank_code)
    batch: list[str] = [layout.batch_header(beneficiary, file_number, generated_at)]
    seq = 0
    for title in titles:
        seq += 1
        batch.append(layout.segment_p(beneficiary, title, seq))
        seq += 1
        batch.append(layout.segment_q(beneficiary, title, seq))
        if title.fine_percent or title.messages:
            seq += 1
            batch.append(layout.segment_r(beneficiary, title, seq))
    batch.append(layout.batch_trailer(len(batch) + 1, titles))
    lines = [layout.file_header(beneficiary, file_number, generated_at), *batch]
    lines.append(layout.file_trailer(1, len(lines) + 1))
    return CRLF.join(lines) + CRLF


# Retorno ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    text: str


@dataclass
class RetornoRow:
    """One boleto's news: segment T (and the U after it)."""

    line_number: int
    nosso_numero: str  # as the bank's nosso número digits, without the DV
    movement: str  # the bank's code (02, 03, 06...)
    movement_label: str
    status: str  # cnab_codes.REGISTERED | PAID | REJECTED | WRITTEN_OFF | OTHER
    document_number: str
    due_date: date | None
    value: Decimal
    fees: Decimal
    reasons: list[Reason] = field(default_factory=list)
    occurred_on: date | None = None
    credited_on: date | None = None
    amount_paid: Decimal | None = None
    net_credited: Decimal | None = None
    interest: Decimal | None = None  # juros / multa / encargos paid
    discount: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    line_number: int
    code: str  # short, fixed: "length", "header", "bank", "field", "orphan_u", "unknown"...
    message: str


@dataclass
class Retorno:
    bank_code: str | None = None
    file_number: int | None = None
    generated_on: date | None = None
    rows: list[RetornoRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, first: int, last: int, value: str):
        super().__init__(value)
        self.first, self.last, self.value = first, last, value


def _text(line: str, first: int, last: int) -> str:
    return line[first - 1 : last]


def _int(line: str, first: int, last: int) -> int:
    value = _text(line, first, last)
    if not value.strip():
        return 0
    if not value.isdigit():
        raise _Bad(first, last, value)
    return int(value)


def _money(line: str, first: int, last: int) -> Decimal:
    return (Decimal(_int(line, first, last)) / 100).quantize(Decimal("0.01"))


def _date(line: str, first: int, last: int) -> date | None:
    value = _text(line, first, last)
    if not value.strip() or set(value) == {"0"}:
        return None
    try:
        return datetime.strptime(value, "%d%m%Y").date()
    except ValueError:
        raise _Bad(first, last, value) from None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_retorno(
    data: bytes | str, known: Collection[str] | Callable[[str], bool] | None = None
) -> Retorno:
    """The rows and problems of a return file. `known`: the account's nosso números (a set
    or a predicate); rows outside it are reported as problems instead of rows."""
    result = Retorno()
    lines = _decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        result.problems.append(Problem(0, "empty", _("The file is empty.")))
        return result
    is_known = known if callable(known) or known is None else known.__contains__
    layout: Layout | None = None
    pending: RetornoRow | None = None
    pending_broken = False
    for number, line in enumerate(lines, start=1):
        if len(line) != LINE:
            result.problems.append(_length_problem(number, line))
            pending, pending_broken = None, True
            continue
        kind = line[7]
        if number == 1 or layout is None:
            layout = _header(result, number, line)
            if layout is None:
                return result
            continue
        if kind != "3":
            continue  # batch header, trailers: nothing to import
        segment = line[13]
        try:
            if segment == "T":
                pending_broken = False
                pending = _segment_t(layout, number, line)
                if is_known is not None and not is_known(pending.nosso_numero):
                    result.problems.append(_unknown(number, pending.nosso_numero))
                    pending, pending_broken = None, True
                    continue
                result.rows.append(pending)
            elif segment == "U":
                if pending is None:
                    if pending_broken:  # the U of a T already reported
                        pending_broken = False
                    else:
                        result.problems.append(
                            Problem(
                                number,
                                "orphan_u",
                                _("Line %(line)s: a segment U without its segment T.", line=number),
                            )
                        )
                    continue
                _segment_u(pending, line)
                pending = None
        except _Bad as bad:
            if segment == "U" and pending is not None:
                result.rows.remove(pending)
            pending, pending_broken = None, True
            result.problems.append(
                Problem(
                    number,
                    "field",
                    _(
                        "Line %(line)s: positions %(first)s-%(last)s hold “%(value)s”, which "
                        "is not a valid number or date; the line was skipped.",
                        line=number,
                        first=bad.first,
                        last=bad.last,
                        value=bad.value.strip(),
                    ),
                )
            )
    if layout is None:
        result.problems.append(_no_header(len(lines)))
    return result


def _no_header(number: int) -> Problem:
    return Problem(
        number,
        "header",
        _(
            "Line %(line)s: a CNAB 240 file starts with its file header (record type 0); "
            "nothing was imported.",
            line=number,
        ),
    )


def _length_problem(number: int, line: str) -> Problem:
    return Problem(
        number,
        "length",
        _(
            "Line %(line)s: a CNAB 240 line has 240 characters; this one has %(length)s. "
            "The line was skipped.",
            line=number,
            length=len(line),
        ),
    )


def _unknown(number: int, nosso_numero: str) -> Problem:
    return Problem(
        number,
        "unknown",
        _(
            "Line %(line)s: nosso número %(number)s is not a boleto of this account.",
            line=number,
            number=nosso_numero,
        ),
    )


def _header(result: Retorno, number: int, line: str) -> Layout | None:
    if line[7] != "0" or line[3:7] != "0000":
        result.problems.append(_no_header(number))
        return None
    bank_code = line[0:3]
    layout = LAYOUTS.get(bank_code)
    if layout is None:
        result.problems.append(
            Problem(
                number,
                "bank",
                _(
                    "Line %(line)s: return files of bank %(bank)s are not read here "
                    "(banks: %(banks)s); nothing was imported.",
                    line=number,
                    bank=bank_code,
                    banks=", ".join(sorted(LAYOUTS)),
                ),
            )
        )
        return None
    result.bank_code = bank_code
    if line[142] != "2":
        result.problems.append(
            Problem(
                number,
                "not_retorno",
                _(
                    "Line %(line)s: this is a remessa (a file sent to the bank), not a "
                    "return file; nothing was imported.",
                    line=number,
                ),
            )
        )
        return None
    try:
        result.generated_on = _date(line, 144, 151)
        result.file_number = _int(line, 158, 163)
    except _Bad:
        pass  # the header's date and number are informative only
    return layout


def _segment_t(layout: Layout, number: int, line: str) -> RetornoRow:
    where = layout.returns
    movement = _text(line, 16, 17)
    status, label = cnab_codes.MOVEMENTS.get(movement, (cnab_codes.OTHER, f"Movimento {movement}"))
    nosso = layout.returned_nosso_numero(line)
    if not nosso.isdigit():
        raise _Bad(*where.nosso_numero, nosso)
    reasons_text = _text(line, *where.reasons)
    reasons = [
        Reason(code, cnab_codes.reason_text(movement, code))
        for code in (reasons_text[i : i + 2] for i in range(0, len(reasons_text), 2))
        if code.strip() and code != "00"
    ]
    return RetornoRow(
        line_number=number,
        nosso_numero=nosso,
        movement=movement,
        movement_label=label,
        status=status,
        document_number=_text(line, *where.document_number).strip(),
        due_date=_date(line, *where.due_date),
        value=_money(line, *where.value),
        fees=_money(line, *where.fees),
        reasons=reasons,
    )


def _segment_u(row: RetornoRow, line: str) -> None:
    """FEBRABAN's segment U: the same positions at every bank read here."""
    row.interest = _money(line, 18, 32)
    row.discount = _money(line, 33, 47)
    row.amount_paid = _money(line, 78, 92)
    row.net_credited = _money(line, 93, 107)
    row.occurred_on = _date(line, 138, 145)
    row.credited_on = _date(line, 146, 153)
    if row.status != cnab_codes.PAID:
        row.amount_paid = row.amount_paid or None
        row.net_credited = row.net_credited or None
