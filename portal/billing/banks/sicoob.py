"""Sicoob (756): "Leiaute Cobrança Sicoob — Sistemas de Terceiros" (free field and nosso
número). Free field: carteira (1) + cooperativa/agência (4) + modalidade (2) + código do
cliente with its DV (7) + nosso número (7) + its DV + parcela (3, 001).

The nosso número's DV: cooperativa (4) + código do cliente with DV (10) + nosso número (7),
weights 3, 1, 9, 7 repeating from the left; remainder 0 or 1 gives 0, otherwise 11 - it.
"""

from portal.billing.banks.base import Account, Bank, NossoNumero, digits, sequence_digits

WEIGHTS = (3, 1, 9, 7)


def nosso_numero_dv(agencia: str, cliente: str, number: str) -> str:
    base = agencia + cliente.zfill(10) + number
    total = sum(int(ch) * WEIGHTS[i % 4] for i, ch in enumerate(base))
    remainder = total % 11
    return "0" if remainder in (0, 1) else str(11 - remainder)


class Sicoob(Bank):
    code = "756"
    name = "Sicoob"

    def _cliente(self, account: Account) -> str:
        return digits(account.convenio + account.convenio_dv, 7, "Código do cliente", "convenio")

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        agencia = digits(account.agencia, 4, "Cooperativa", "agencia")
        number = sequence_digits(sequence, 7)
        return NossoNumero(number, nosso_numero_dv(agencia, self._cliente(account), number))

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        carteira = digits(account.carteira or "1", 1, "Carteira", "carteira")
        agencia = digits(account.agencia, 4, "Cooperativa", "agencia")
        modalidade = digits(account.modalidade or "01", 2, "Modalidade", "modalidade")
        return f"{carteira}{agencia}{modalidade}{self._cliente(account)}{nosso.digits}{nosso.dv}001"
