"""The banks that issue boletos here, one small module each, and `issue(...)`.

account = Account("341", agencia="1234", conta="56789", carteira="109")
boleto = issue(account, 223350, date(2027, 6, 19), Decimal("600.00"))
boleto.nosso_numero.formatted, boleto.code.linha_digitavel
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.billing import codes
from portal.billing.banks.banco_do_brasil import BancoDoBrasil
from portal.billing.banks.base import Account, Bank, NossoNumero
from portal.billing.banks.bradesco import Bradesco
from portal.billing.banks.caixa import Caixa
from portal.billing.banks.itau import Itau
from portal.billing.banks.santander import Santander
from portal.billing.banks.sicoob import Sicoob
from portal.errors import DomainError
from portal.i18n import _

__all__ = ["BANKS", "Account", "Bank", "IssuedBoleto", "NossoNumero", "bank_for", "issue"]

BANKS: dict[str, Bank] = {
    bank.code: bank
    for bank in (BancoDoBrasil(), Itau(), Bradesco(), Caixa(), Santander(), Sicoob())
}


def bank_for(code: str) -> Bank:
    bank = BANKS.get(str(code).zfill(3))
    if bank is None:
        names = ", ".join(f"{b.code} {b.name}" for b in BANKS.values())
        raise DomainError(
            _("Boletos are issued for these banks only: %(banks)s.", banks=names),
            field="bank_code",
        )
    return bank


@dataclass(frozen=True)
class IssuedBoleto:
    nosso_numero: NossoNumero
    code: codes.PaymentCode

    @property
    def campo_livre(self) -> str:
        return self.code.barcode[19:]


def issue(account: Account, sequence: int, due: date | None, value: Decimal | None) -> IssuedBoleto:
    """A boleto of `account` numbered `sequence`: its nosso número, barcode and linha."""
    bank = bank_for(account.bank_code)
    nosso = bank.nosso_numero(account, sequence)
    campo_livre = bank.campo_livre(account, nosso)
    return IssuedBoleto(nosso, codes.boleto(bank.code, due, value, campo_livre))
