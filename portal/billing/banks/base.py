"""What every bank's rules share: the beneficiary's account, the nosso número, the interface.

A bank supplies two things the FEBRABAN code leaves to it: the nosso número (the boleto's
number at the bank, with the bank's own check digit and format) and the 25-digit free field
("campo livre", barcode positions 20-44) built from the account and that number.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import DomainError
from portal.i18n import _


@dataclass(frozen=True)
class Account:
    """A beneficiary's collection account ("conta de cobrança") as the bank issued it."""

    bank_code: str
    agencia: str
    conta: str
    agencia_dv: str = ""
    conta_dv: str = ""
    carteira: str = ""
    convenio: str = ""  # convênio / código do beneficiário / código do cliente
    convenio_dv: str = ""
    modalidade: str = ""  # Sicoob's modalidade, BB's variação da carteira


@dataclass(frozen=True)
class NossoNumero:
    """The boleto's number at the bank: `digits` as printed before the check digit."""

    digits: str
    dv: str = ""  # "" when the bank's layout has no check digit
    prefix: str = ""  # printed before the number, e.g. Itaú's carteira "109/"

    @property
    def formatted(self) -> str:
        return f"{self.prefix}{self.digits}" + (f"-{self.dv}" if self.dv else "")


class Bank:
    """One bank's rules. Subclasses set `code`, `name` and the two methods."""

    code: str = ""
    name: str = ""

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        raise NotImplementedError

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        raise NotImplementedError


def digits(value: str | int, length: int, label: str, field: str | None = None) -> str:
    """`value` as exactly `length` digits, zero-padded on the left; too long or not digits
    raises a DomainError naming `label`."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > length:
        raise DomainError(
            _("%(label)s: use up to %(length)s digits.", label=label, length=length),
            field=field,
        )
    return text.zfill(length)


def sequence_digits(sequence: int, length: int) -> str:
    if not isinstance(sequence, int) or sequence < 0 or len(str(sequence)) > length:
        raise DomainError(
            _("The nosso número's sequence takes up to %(length)s digits.", length=length),
            field="nosso_numero",
        )
    return str(sequence).zfill(length)


def unsupported(bank: Bank, what: str) -> DomainError:
    return DomainError(
        _("%(bank)s: %(what)s is not supported.", bank=bank.name, what=what), field="carteira"
    )
