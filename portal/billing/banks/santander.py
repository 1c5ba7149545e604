"""Santander (033): "Layout de Código de Barras Santander" (Jan/2015) and the CNAB 240
manual's note 15. Free field: 9 + código do beneficiário (7) + nosso número (12) + its DV +
IOF (0 except insurers) + carteira (3: 101 registrada rápida, 102 sem registro, 201 penhor).

The nosso número's DV: module 11, weights 2..9 from the right; remainder 0 or 1 gives 0,
remainder 10 gives 1, otherwise 11 - remainder.
"""

from portal.billing.banks.base import Account, Bank, NossoNumero, digits, sequence_digits
from portal.billing.digits import mod11_remainder


def nosso_numero_dv(number: str) -> str:
    remainder = mod11_remainder(number)
    if remainder in (0, 1):
        return "0"
    return "1" if remainder == 10 else str(11 - remainder)


class Santander(Bank):
    code = "033"
    name = "Santander"

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        number = sequence_digits(sequence, 12)
        return NossoNumero(number, nosso_numero_dv(number))

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        beneficiario = digits(account.convenio, 7, "Código do beneficiário", "convenio")
        carteira = digits(account.carteira or "101", 3, "Carteira", "carteira")
        return f"9{beneficiario}{nosso.digits}{nosso.dv}0{carteira}"
