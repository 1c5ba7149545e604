"""Banco do Brasil (001) CNAB 240 records: "Layout de Arquivo Retorno/Remessa CNAB 240 —
Cobrança" (BB, FEBRABAN 240 version 08.4; file layout 083, batch layout 042).

The convênio de cobrança is written in the headers as 20 positions: convênio (9) + "0014"
(cobrança cedente) + carteira (2) + variação da carteira (3, the account's `modalidade`) +
2 reserved. The nosso número (38-57 in P and T) is left-aligned: for a convênio of 7 digits
the 17 digits "convênio + sequencial de 10" with no DV; for 4 or 6 digits, the 11 digits and
their DV. The code of the carteira at 58 is "7" for carteira 17 Simples, "1" for 11/12.
Positions checked against the public implementation kivanio/brcobranca
(lib/brcobranca/remessa/cnab240/banco_brasil.rb and its base.rb, read, not copied).
"""

from portal.billing.cnab240_records import (
    Beneficiary,
    Layout,
    ReturnPositions,
    Title,
    only_digits,
    record,
)
from portal.errors import DomainError
from portal.i18n import _

# carteira -> "código da carteira" of segment P, position 58 (simple collection).
CARTEIRA_CODES = {"11": "1", "12": "1", "17": "7"}


class BancoDoBrasilLayout(Layout):
    bank_code = "001"
    bank_name = "BANCO DO BRASIL S.A."
    file_layout = "083"
    batch_layout = "042"
    returns = ReturnPositions(nosso_numero=(38, 57))

    def returned_nosso_numero(self, line: str) -> str:
        """38-57, left-aligned: 17 digits (convênio of 7) or 11 + DV (convênio of 4/6)."""
        text = line[37:57].strip()
        return text[:11] if len(text) == 12 else text

    def _convenio(self, b: Beneficiary) -> list:
        account = b.account
        carteira = only_digits(account.carteira)
        variacao = only_digits(account.modalidade)
        if len(carteira) != 2:
            raise DomainError(
                _("Banco do Brasil: the carteira has 2 digits (e.g. 17)."), field="carteira"
            )
        if not variacao:
            raise DomainError(
                _(
                    "Banco do Brasil: fill in the carteira's variação (3 digits, e.g. 019) "
                    "in the Modalidade field; the bank needs it in the remessa."
                ),
                field="modalidade",
            )
        return [only_digits(account.convenio).zfill(9), "0014", carteira, variacao.zfill(3)]

    def _account_fields(self, b: Beneficiary, first: int) -> list:
        """Agência (5) + DV + conta (12) + DV + DV agência/conta (blank): 20 positions."""
        account = b.account
        return [
            (first, first + 4, only_digits(account.agencia), "9"),
            (first + 5, first + 5, account.agencia_dv or "0", "X"),
            (first + 6, first + 17, only_digits(account.conta), "9"),
            (first + 18, first + 18, account.conta_dv or "0", "X"),
            (first + 19, first + 19, "", "X"),
        ]

    def _convenio_fields(self, b: Beneficiary, first: int) -> list:
        convenio, cobranca, carteira, variacao = self._convenio(b)
        return [
            (first, first + 8, convenio, "9"),
            (first + 9, first + 12, cobranca, "9"),
            (first + 13, first + 14, carteira, "9"),
            (first + 15, first + 17, variacao, "9"),
            (first + 18, first + 19, "", "X"),
        ]

    def _file_ids(self, b: Beneficiary) -> list:
        return [*self._convenio_fields(b, 33), *self._account_fields(b, 53)]

    def _batch_ids(self, b: Beneficiary) -> list:
        return [*self._convenio_fields(b, 34), *self._account_fields(b, 54)]

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        carteira = only_digits(b.account.carteira)
        self._convenio(b)
        return record(
            *self._detail(seq, "P"),
            *self._account_fields(b, 18),
            (38, 57, t.nosso_numero.digits + t.nosso_numero.dv, "X"),
            (58, 58, CARTEIRA_CODES.get(carteira, "1"), "9"),
            (59, 59, 1, "9"),  # com cadastramento (registrada)
            (60, 60, 1, "9"),  # tradicional
            (61, 61, 0, "9"),  # emissão / distribuição: not read by BB
            (62, 62, "0", "X"),
            (63, 77, t.document_number, "X"),
            *self._due_and_value(t),
            (101, 105, 0, "9"),
            (106, 106, "", "X"),
            *self._kind_and_issue(t),
            *self._interest(t),
            *self._no_discount_to_protest(t),
            (224, 224, 0, "9"),  # baixa: not read by BB (its own term applies)
            (225, 227, 0, "9"),
            *self._currency(),
        )

    def _r_tail(self) -> list:
        return self._no_debit_account()
