"""Caixa (104), SIGCB: "Especificação do Código de Barras para Boletos de Cobrança Sem
Registro e Registrada no SIGCB" (MO 67.119 v009, Jan/2016).

Nosso número: 17 digits, the carteira's two (1 registrada / 2 sem registro, then 4 =
issued by the beneficiary) + a 15-digit sequence, DV module 11 (weights 2..9; a result over
9 is 0). Free field: código do beneficiário (6) + its DV (module 11) + nosso número 3-5 +
its 1st digit + 6-8 + its 2nd digit + 9-17 + the free field's DV (module 11).
"""

from portal.billing.banks.base import (
    Account,
    Bank,
    NossoNumero,
    digits,
    sequence_digits,
    unsupported,
)
from portal.billing.digits import mod11_remainder

CARTEIRAS = {"14", "24"}


def caixa_dv(number: str) -> str:
    result = 11 - mod11_remainder(number)
    return "0" if result > 9 else str(result)


class Caixa(Bank):
    code = "104"
    name = "Caixa"

    def _carteira(self, account: Account) -> str:
        carteira = (account.carteira or "14").strip().upper().removeprefix("SIG")
        if carteira not in CARTEIRAS:
            raise unsupported(self, f"carteira {account.carteira}")
        return carteira

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        number = self._carteira(account) + sequence_digits(sequence, 15)
        return NossoNumero(number, caixa_dv(number))

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        beneficiario = digits(account.convenio, 6, "Código do beneficiário", "convenio")
        n = nosso.digits
        body = f"{beneficiario}{caixa_dv(beneficiario)}{n[2:5]}{n[0]}{n[5:8]}{n[1]}{n[8:17]}"
        return body + caixa_dv(body)
