"""Banco do Brasil (001): "Especificações Técnicas para Confecção de Boleto de Cobrança do
Banco do Brasil" (Jan/2016), anexos VII-IX and XI.

The convênio's length picks the layout:
- 4 digits: nosso número CCCCNNNNNNN-X (11 + DV); free field = nosso número (11) +
  agência (4) + conta (8) + carteira (2);
- 6 digits: CCCCCCNNNNN-X, the same free field;
- 7 digits: CCCCCCCNNNNNNNNNN (17, no DV); free field = 000000 + nosso número + carteira.
The nosso número's DV: module 11, weights 9..2 from the right; remainder 10 = "X".
"""

from portal.billing.banks.base import Account, Bank, NossoNumero, digits, sequence_digits
from portal.billing.digits import weighted_sum
from portal.errors import DomainError
from portal.i18n import _

SEQUENCE_LENGTH = {4: 7, 6: 5, 7: 10}


def nosso_numero_dv(number: str) -> str:
    remainder = weighted_sum(number, (9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return "X" if remainder == 10 else str(remainder)


class BancoDoBrasil(Bank):
    code = "001"
    name = "Banco do Brasil"

    def _convenio(self, account: Account) -> str:
        convenio = account.convenio.strip()
        if not convenio.isdigit() or len(convenio) not in SEQUENCE_LENGTH:
            raise DomainError(
                _("Banco do Brasil: the convênio has 4, 6 or 7 digits."), field="convenio"
            )
        return convenio

    def nosso_numero(self, account: Account, sequence: int) -> NossoNumero:
        convenio = self._convenio(account)
        number = convenio + sequence_digits(sequence, SEQUENCE_LENGTH[len(convenio)])
        if len(convenio) == 7:
            return NossoNumero(number)
        return NossoNumero(number, nosso_numero_dv(number))

    def campo_livre(self, account: Account, nosso: NossoNumero) -> str:
        carteira = digits(account.carteira, 2, "Carteira", "carteira")
        if len(self._convenio(account)) == 7:
            return "000000" + nosso.digits + carteira
        agencia = digits(account.agencia, 4, "Agência", "agencia")
        conta = digits(account.conta, 8, "Conta", "conta")
        return nosso.digits + agencia + conta + carteira
