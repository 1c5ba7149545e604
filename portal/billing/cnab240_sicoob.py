"""Sicoob (756) CNAB 240 records: "Layout de Arquivo CNAB 240 — Cobrança Bancária" of Sicoob
(file layout 081, batch layout 040).

The headers carry no convênio (20 blanks): the beneficiary is the cooperativa (agência, 5 +
DV) and the conta corrente (12 + DV). The nosso número field of P (38-57) is: número do
título with its DV (10: the 7-digit nosso número zero-padded to 9, then the DV), parcela (2,
"01"), modalidade (2, the account's), tipo de formulário (1, "4" A4 sem envelopamento) and 5
blanks. The return's T gives the same 10 digits at 38-47: the nosso número is 40-46.
Positions checked against the public implementation kivanio/brcobranca
(lib/brcobranca/remessa/cnab240/sicoob.rb, retorno/cnab240/sicoob.rb; read, not copied).
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

FORM_A4 = "4"  # tipo de formulário: A4 sem envelopamento


class SicoobLayout(Layout):
    bank_code = "756"
    bank_name = "SICOOB"
    file_layout = "081"
    batch_layout = "040"
    returns = ReturnPositions(nosso_numero=(40, 46))

    def _conta(self, b: Beneficiary) -> tuple[str, str]:
        """The conta corrente and its DV (falling back on the código do cliente)."""
        account = b.account
        conta, dv = only_digits(account.conta), account.conta_dv
        if not conta:
            conta, dv = only_digits(account.convenio), account.convenio_dv
        if not conta:
            raise DomainError(_("Sicoob: the account's conta corrente is missing."), field="conta")
        return conta, dv or "0"

    def _account_fields(self, b: Beneficiary, first: int, last_digit: str) -> list:
        conta, dv = self._conta(b)
        return [
            (first, first + 4, only_digits(b.account.agencia), "9"),
            (first + 5, first + 5, b.account.agencia_dv or "0", "X"),
            (first + 6, first + 17, conta, "9"),
            (first + 18, first + 18, dv, "X"),
            (first + 19, first + 19, last_digit, "X"),
        ]

    def _file_ids(self, b: Beneficiary) -> list:
        return [(33, 52, "", "X"), *self._account_fields(b, 53, "0")]  # convênio: blanks

    def _batch_ids(self, b: Beneficiary) -> list:
        return [(34, 53, "", "X"), *self._account_fields(b, 54, "")]

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        nosso = t.nosso_numero
        modalidade = only_digits(b.account.modalidade) or "01"
        return record(
            *self._detail(seq, "P"),
            *self._account_fields(b, 18, ""),
            (38, 47, nosso.digits + nosso.dv, "9"),
            (48, 49, "01", "9"),  # parcela
            (50, 51, modalidade, "9"),
            (52, 52, FORM_A4, "9"),
            (53, 57, "", "X"),
            (58, 58, 1, "9"),  # cobrança simples
            (59, 59, 0, "9"),
            (60, 60, "", "X"),
            (61, 61, 2, "9"),  # the beneficiary issues the boleto
            (62, 62, "2", "X"),  # ... and delivers it
            (63, 77, t.document_number, "X"),
            *self._due_and_value(t),
            (101, 105, 0, "9"),
            (106, 106, "", "X"),
            *self._kind_and_issue(t),
            *self._interest(t),
            *self._no_discount_to_protest(t),
            (224, 224, 0, "9"),  # baixa: Sicoob's own term
            (225, 227, "", "X"),
            *self._currency(),
        )

    def _r_tail(self) -> list:
        return self._no_debit_account()

    def _file_trailer_tail(self) -> list:
        return [(30, 35, 0, "9"), (36, 240, "", "X")]  # contas para conciliação
