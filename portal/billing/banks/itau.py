"""Itaú (341): "Cobrança Itaú — Layout do código de barras" (free field of the ordinary
carteiras): carteira (3) + nosso número (8) + DAC (1) + agência (4) + conta (5) + DAC of
agência/conta (1) + 000.

DACs are module 10: the nosso número's over agência + conta + carteira + nosso número (only
carteira + nosso número for carteiras 126, 131, 146, 150 and 168); the account's over
agência + conta (the account's DV as the bank gave it, when given). Carteiras 106, 107,
122, 142, 143, 195, 196 and 198 use another free field (with the client's code) and are
refused here.
"""

from portal.billing.banks.base import (
    Account,
    Bank,
    NossoNumero,
    digits,
    sequence_digits,
    unsupported,
)
from portal.billing.digits import mod10

SHORT_DAC = {"126", "131", "146", "150", "168"}
OTHER_LAYOUT = {"106", "107", "122", "142", "143", "195", "196", "198"}


class Itau(Bank):
    code = "341"
    name = "Itaú"

    def _parts(self, account: Account) -> tuple[str, str, str]:
        carteira = digits(account.carteira, 3, "Carteira", "carteira")
        if carteira in OTHER_LAYOUT:
            raise unsupported(self, f"carteira {carteira}")
        agencia = digits(account.agencia, 4, "Agência", "agencia")
        conta = digits(account.conta, 5, "Conta", "conta")
        return carteira, agencia, conta

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        carteira, agencia, conta = self._parts(account)
        number = sequence_digits(sequence, 8)
        base = carteira + number if carteira in SHORT_DAC else agencia + conta + carteira + number
        return NossoNumero(number, str(mod10(base)), prefix=f"{carteira}/")

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        carteira, agencia, conta = self._parts(account)
        dac = account.conta_dv.strip() or str(mod10(agencia + conta))
        return f"{carteira}{nosso.digits}{nosso.dv}{agencia}{conta}{digits(dac, 1, 'DAC')}000"
