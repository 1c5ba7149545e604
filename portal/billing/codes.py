"""Payment codes: the boleto's 44-digit barcode and 47-digit linha digitável (FEBRABAN), and
the utility bill's ("arrecadação", 44/48 digits, starting with 8).

    code = parse("34191.09008 22335.021238 45678.900007 1 71950000060000")
    code.kind, code.bank_code, code.value    # "boleto", "341", Decimal("600.00")
    code.due_date                            # in the window around today
    code.barcode, code.linha_digitavel, code.formatted_linha

    boleto("001", date(2025, 2, 22), Decimal("1026.56"), campo_livre)  # builds one

An invalid code raises `InvalidCode` naming the check digit that failed (`check_digit` is
"field-1".."field-3", "general", or "block-1".."block-4" for utility bills).

Due dates travel as a 4-digit factor: days since 1997-10-07 up to 9999 (2025-02-21), then
1000 again from 2025-02-22. A factor read back names one date per 9,000-day cycle; the one
kept is inside the window banks accept around today (3,000 days before, 5,500 after).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from portal.billing.digits import mod10, mod11_arrecadacao, mod11_barcode
from portal.errors import DomainError
from portal.i18n import _

KIND_BOLETO = "boleto"
KIND_ARRECADACAO = "arrecadacao"

FACTOR_BASE = date(1997, 10, 7)  # factor 0 (factor 1000 = 2000-07-03, the cycles' origin)
CYCLE_ORIGIN = date(2000, 7, 3)
CYCLE_DAYS = 9000
WINDOW_BEFORE = 3000  # days before today a due date may lie
WINDOW_AFTER = 5500  # ... and after
MAX_CENTS = 99_999_999_99  # 10 digits
SEPARATORS = " .-\t\r\n"


class InvalidCode(DomainError):
    """A payment code that does not check: `check_digit` names the digit that failed, if any."""

    def __init__(self, message: str, check_digit: str | None = None):
        code = f"check_digit_{check_digit.replace('-', '_')}" if check_digit else "invalid_code"
        super().__init__(message, field="code", code=code)
        self.check_digit = check_digit


# Due-date factor ----------------------------------------------------------------------------


def due_factor(due: date | None) -> int:
    """The 4-digit factor of a due date (0 = no due date); both cycles, one formula."""
    if due is None:
        return 0
    if due < CYCLE_ORIGIN:
        days = (due - FACTOR_BASE).days
        if days < 1:
            raise DomainError(_("A boleto's due date is from 1997-10-08 on."), field="due_date")
        return days
    return 1000 + (due - CYCLE_ORIGIN).days % CYCLE_DAYS


def factor_date(factor: int, today: date | None = None) -> date | None:
    """The due date a factor names, in the window around `today` (None for factor 0).

    Factors under 1000 only existed before 2000-07-03. Otherwise the candidates are 9,000 days
    apart; the window (8,500 days) holds at most one. In the 500-day gap between windows the
    candidate nearest to the window is taken."""
    if factor == 0:
        return None
    if factor < 1000:
        return FACTOR_BASE + timedelta(days=factor)
    today = today or date.today()
    first = CYCLE_ORIGIN + timedelta(days=factor - 1000)
    latest = today + timedelta(days=WINDOW_AFTER + CYCLE_DAYS)
    candidates = [first]
    while candidates[-1] < latest:
        candidates.append(candidates[-1] + timedelta(days=CYCLE_DAYS))

    def distance(candidate: date) -> int:
        offset = (candidate - today).days
        return max(-WINDOW_BEFORE - offset, offset - WINDOW_AFTER, 0)

    return min(candidates, key=distance)


# The result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentCode:
    kind: str  # KIND_BOLETO | KIND_ARRECADACAO
    barcode: str  # 44 digits
    linha_digitavel: str  # 47 (boleto) or 48 (arrecadação) digits
    bank_code: str | None  # boleto only
    value: Decimal | None  # None: "valor variável" (or a utility bill's reference quantity)
    due_date: date | None
    due_factor: int | None  # boleto only; 0 = no due date
    currency: str | None = None  # boleto: "9" = real
    campo_livre: str | None = None  # boleto: barcode positions 20-44
    segment: str | None = None  # arrecadação: 1 prefeituras, 2 saneamento, 3 energia e gás...

    @property
    def formatted_linha(self) -> str:
        """`AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE` (boleto) or four blocks
        `NNNNNNNNNNN-D` (utility bill)."""
        line = self.linha_digitavel
        if self.kind == KIND_ARRECADACAO:
            return " ".join(f"{line[i : i + 11]}-{line[i + 11]}" for i in range(0, 48, 12))
        return (
            f"{line[0:5]}.{line[5:10]} {line[10:15]}.{line[15:21]} "
            f"{line[21:26]}.{line[26:32]} {line[32]} {line[33:47]}"
        )

    def to_json_dict(self) -> dict:
        return {
            "kind": self.kind,
            "bank_code": self.bank_code,
            "value": None if self.value is None else format(self.value, "f"),
            "due_date": None if self.due_date is None else self.due_date.isoformat(),
            "due_factor": self.due_factor,
            "barcode": self.barcode,
            "linha_digitavel": self.linha_digitavel,
            "formatted_linha": self.formatted_linha,
        }


# Parsing ------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Digits of a code typed with or without dots, spaces and hyphens; anything else refused."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidCode(_("Type the linha digitável or the barcode's 44 digits."))
    digits = "".join(ch for ch in text if ch not in SEPARATORS)
    if not digits.isascii() or not digits.isdigit():
        raise InvalidCode(
            _("A payment code holds digits only (dots, spaces and hyphens are ignored).")
        )
    return digits


def parse(text: str, today: date | None = None) -> PaymentCode:
    """A boleto or utility bill from its linha digitável or barcode; `InvalidCode` if it
    does not check."""
    digits = clean(text)
    if len(digits) == 48:
        if digits[0] != "8":
            raise InvalidCode(_("A 48-digit code is a utility bill's and starts with 8."))
        return _arrecadacao_from_linha(digits)
    if len(digits) == 44:
        if digits[0] == "8":
            return _arrecadacao_from_barcode(digits)
        return _boleto_from_barcode(digits, today)
    if len(digits) == 47:
        return _boleto_from_linha(digits, today)
    raise InvalidCode(
        _(
            "A payment code has 44 digits (barcode), 47 (a boleto's linha digitável) or 48 "
            "(a utility bill's); this one has %(count)s.",
            count=len(digits),
        )
    )


def linha_from_barcode(barcode: str) -> str:
    """The boleto's 47-digit linha from its 44-digit barcode (field DVs computed here)."""
    field1 = barcode[0:4] + barcode[19:24]
    field2 = barcode[24:34]
    field3 = barcode[34:44]
    return (
        f"{field1}{mod10(field1)}{field2}{mod10(field2)}{field3}{mod10(field3)}"
        f"{barcode[4]}{barcode[5:19]}"
    )


def barcode_from_linha(linha: str) -> str:
    """The boleto's barcode from its linha (the field DVs are not part of the barcode)."""
    return linha[0:4] + linha[32] + linha[33:47] + linha[4:9] + linha[10:20] + linha[21:31]


def _check_general(barcode: str) -> None:
    expected = mod11_barcode(barcode[:4] + barcode[5:])
    if int(barcode[4]) != expected:
        raise InvalidCode(
            _(
                "The general check digit (field 4, barcode position 5) does not match: "
                "expected %(expected)s, found %(found)s.",
                expected=expected,
                found=barcode[4],
            ),
            check_digit="general",
        )


def _boleto_from_barcode(barcode: str, today: date | None) -> PaymentCode:
    _check_general(barcode)
    return _boleto(barcode, linha_from_barcode(barcode), today)


def _boleto_from_linha(linha: str, today: date | None) -> PaymentCode:
    for number, (start, end) in enumerate(((0, 9), (10, 20), (21, 31)), start=1):
        expected = mod10(linha[start:end])
        if int(linha[end]) != expected:
            raise InvalidCode(
                _(
                    "The check digit of field %(field)s does not match: expected "
                    "%(expected)s, found %(found)s.",
                    field=number,
                    expected=expected,
                    found=linha[end],
                ),
                check_digit=f"field-{number}",
            )
    barcode = barcode_from_linha(linha)
    _check_general(barcode)
    return _boleto(barcode, linha, today)


def _boleto(barcode: str, linha: str, today: date | None) -> PaymentCode:
    factor = int(barcode[5:9])
    cents = int(barcode[9:19])
    return PaymentCode(
        kind=KIND_BOLETO,
        barcode=barcode,
        linha_digitavel=linha,
        bank_code=barcode[0:3],
        value=(Decimal(cents) / 100).quantize(Decimal("0.01")) if cents else None,
        due_date=factor_date(factor, today),
        due_factor=factor,
        currency=barcode[3],
        campo_livre=barcode[19:44],
    )


# Utility bills ------------------------------------------------------------------------------


def _arrecadacao_dv(identifier: str):
    if identifier in "67":
        return mod10
    if identifier in "89":
        return mod11_arrecadacao
    raise InvalidCode(
        _(
            "The third digit of a utility bill (the value identifier) is 6, 7, 8 or 9; "
            "this one has %(digit)s.",
            digit=identifier,
        )
    )


def _check_arrecadacao_general(barcode: str) -> None:
    expected = _arrecadacao_dv(barcode[2])(barcode[:3] + barcode[4:])
    if int(barcode[3]) != expected:
        raise InvalidCode(
            _(
                "The general check digit (barcode position 4) does not match: expected "
                "%(expected)s, found %(found)s.",
                expected=expected,
                found=barcode[3],
            ),
            check_digit="general",
        )


def _arrecadacao_from_linha(linha: str) -> PaymentCode:
    dv = _arrecadacao_dv(linha[2])
    for block in range(4):
        body, found = linha[block * 12 : block * 12 + 11], linha[block * 12 + 11]
        expected = dv(body)
        if int(found) != expected:
            raise InvalidCode(
                _(
                    "The check digit of block %(block)s does not match: expected "
                    "%(expected)s, found %(found)s.",
                    block=block + 1,
                    expected=expected,
                    found=found,
                ),
                check_digit=f"block-{block + 1}",
            )
    barcode = "".join(linha[i : i + 11] for i in range(0, 48, 12))
    _check_arrecadacao_general(barcode)
    return _arrecadacao(barcode, linha)


def _arrecadacao_from_barcode(barcode: str) -> PaymentCode:
    _check_arrecadacao_general(barcode)
    dv = _arrecadacao_dv(barcode[2])
    blocks = [barcode[i : i + 11] for i in range(0, 44, 11)]
    return _arrecadacao(barcode, "".join(f"{block}{dv(block)}" for block in blocks))


def _arrecadacao(barcode: str, linha: str) -> PaymentCode:
    effective = barcode[2] in "68"  # 6/8: an amount in reais; 7/9: a reference quantity
    cents = int(barcode[4:15])
    return PaymentCode(
        kind=KIND_ARRECADACAO,
        barcode=barcode,
        linha_digitavel=linha,
        bank_code=None,
        value=(Decimal(cents) / 100).quantize(Decimal("0.01")) if effective and cents else None,
        due_date=None,
        due_factor=None,
        segment=barcode[1],
    )


# Building -----------------------------------------------------------------------------------


def boleto(
    bank_code: str,
    due: date | None,
    value: Decimal | None,
    campo_livre: str,
    today: date | None = None,
) -> PaymentCode:
    """A boleto's codes from its parts: the bank's 25-digit free field, the due date (None:
    no due date) and the value (None: "valor variável")."""
    if len(bank_code) != 3 or not bank_code.isdigit():
        raise DomainError(_("The bank code has 3 digits."), field="bank_code")
    if len(campo_livre) != 25 or not campo_livre.isdigit():
        raise DomainError(_("The free field (campo livre) has 25 digits."), field="campo_livre")
    cents = 0 if value is None else int((Decimal(value) * 100).to_integral_value())
    if value is not None and (Decimal(value) * 100 != cents or not 0 < cents <= MAX_CENTS):
        raise DomainError(
            _("A boleto's value is from 0.01 to 99,999,999.99, in cents."), field="value"
        )
    body = f"{bank_code}9{due_factor(due):04d}{cents:010d}{campo_livre}"
    barcode = body[:4] + str(mod11_barcode(body)) + body[4:]
    code = _boleto(barcode, linha_from_barcode(barcode), today or due)
    return code if due is None else _with_due_date(code, due)


def _with_due_date(code: PaymentCode, due: date) -> PaymentCode:
    """An issued boleto keeps the due date it was made with (the factor is ambiguous)."""
    return replace(code, due_date=due)
