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

from datetime import datetime
from decimal import Decimal

from portal.billing.cnab240_records import (
    Beneficiary,
    Layout,
    ReturnPositions,
    Title,
    cents,
    ddmmyyyy,
    document_kind,
    only_digits,
    record,
)
from portal.errors import DomainError
from portal.i18n import _

FORM_A4 = "4"  # tipo de formulário: A4 sem envelopamento


class SicoobLayout(Layout):
    bank_code = "756"
    bank_name = "SICOOB"
    returns = ReturnPositions(
        nosso_numero=(40, 46),
        document_number=(59, 73),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

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

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            (33, 52, "", "X"),  # convênio: blanks at Sicoob
            *self._account_fields(b, 53, "0"),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "081", "9"),
            (167, 171, 0, "9"),
            (172, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, "", "X"),
            (14, 16, "040", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 53, "", "X"),
            *self._account_fields(b, 54, ""),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            (200, 207, 0, "9"),
            (208, 240, "", "X"),
        )

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
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 105, 0, "9"),
            (106, 106, "", "X"),
            (107, 108, "02", "9"),  # duplicata mercantil
            (109, 109, "N", "X"),
            (110, 117, ddmmyyyy(t.issue_date), "9"),
            *self._interest(t),
            (142, 142, 0, "9"),
            (143, 150, 0, "9"),
            (151, 165, 0, "9"),
            (166, 180, 0, "9"),
            (181, 195, 0, "9"),
            (196, 220, t.document_number, "X"),
            (221, 221, 3, "9"),  # não protestar
            (222, 223, 0, "9"),
            (224, 224, 0, "9"),  # baixa: Sicoob's own term
            (225, 227, "", "X"),
            (228, 229, "09", "9"),
            (230, 239, 0, "9"),
            (240, 240, "", "X"),
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "Q"),
            *self._payer(t),
            (210, 212, 0, "9"),
            (213, 232, "", "X"),
            (233, 240, "", "X"),
        )

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "R"),
            (18, 18, 0, "9"),
            (19, 26, 0, "9"),
            (27, 41, 0, "9"),
            (42, 42, 0, "9"),
            (43, 50, 0, "9"),
            (51, 65, 0, "9"),
            *self._fine(t),
            (90, 99, "", "X"),
            *self._messages(t),
            (180, 199, "", "X"),
            (200, 207, 0, "9"),
            (208, 210, 0, "9"),
            (211, 215, 0, "9"),
            (216, 216, "", "X"),
            (217, 228, 0, "9"),
            (229, 230, "", "X"),
            (231, 231, 0, "9"),
            (232, 240, "", "X"),
        )

    def batch_trailer(self, records: int, titles: list[Title]) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 5, "9"),
            (9, 17, "", "X"),
            (18, 23, records, "9"),
            (24, 29, len(titles), "9"),  # cobrança simples: titles and their total
            (30, 46, cents(sum((t.value for t in titles), Decimal(0))), "9"),
            (47, 115, 0, "9"),
            (116, 123, "", "X"),
            (124, 240, "", "X"),
        )

    def file_trailer(self, batches: int, records: int) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 9999, "9"),
            (8, 8, 9, "9"),
            (9, 17, "", "X"),
            (18, 23, batches, "9"),
            (24, 29, records, "9"),
            (30, 35, 0, "9"),  # contas para conciliação
            (36, 240, "", "X"),
        )
