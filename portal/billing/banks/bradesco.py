"""Bradesco (237): "Boleto de Cobrança Bradesco — Layout" (free field): agência (4) +
carteira (2) + nosso número (11) + conta (7) + 0.

The nosso número's DV: module 11 with weights 2..7 from the right over carteira + nosso
número; remainder 0 gives 0, remainder 1 gives "P", otherwise 11 - remainder.
"""

from portal.billing.banks.base import Account, Bank, NossoNumero, digits, sequence_digits
from portal.billing.digits import weighted_sum


def nosso_numero_dv(carteira: str, number: str) -> str:
    remainder = weighted_sum(carteira + number, range(2, 8)) % 11
    if remainder == 0:
        return "0"
    return "P" if remainder == 1 else str(11 - remainder)


class Bradesco(Bank):
    code = "237"
    name = "Bradesco"

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        carteira = digits(account.carteira, 2, "Carteira", "carteira")
        number = sequence_digits(sequence, 11)
        return NossoNumero(number, nosso_numero_dv(carteira, number), prefix=f"{carteira}/")

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        agencia = digits(account.agencia, 4, "Agência", "agencia")
        carteira = digits(account.carteira, 2, "Carteira", "carteira")
        conta = digits(account.conta, 7, "Conta", "conta")
        return f"{agencia}{carteira}{nosso.digits}{conta}0"
