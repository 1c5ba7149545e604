"""Bradesco (237) CNAB 240 records: "Layout Cobrança Bradesco — Multi-Banco CNAB 240" (file
layout 084, density 01600; batch layout 042).

The company code in the headers (33-52 / 34-53) is the "código do cliente" of 17 digits:
carteira (4) + agência (5) + conta (7) + DV, zero-padded to 20. In P (and T) the
identification of the title at 38-57 is carteira (3) + 00000 + nosso número (11) + its DV
(0-9 or "P"); the return is read by its last 12 positions, so the nosso número is 46-56.
Positions cross-checked with the public implementation eduardokum/laravel-boleto
(src/Cnab/Remessa/Cnab240/Banco/Bradesco.php; read, not copied).
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


class BradescoLayout(Layout):
    bank_code = "237"
    bank_name = "BRADESCO"
    returns = ReturnPositions(
        nosso_numero=(46, 56),
        document_number=(59, 73),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

    def returned_nosso_numero(self, line: str) -> str:
        """38-57 ends with the nosso número (11) and its DV: the 11 digits before the DV."""
        return line[37:57].rstrip()[-12:-1]

    def _client_code(self, b: Beneficiary) -> str:
        account = b.account
        return (
            only_digits(account.carteira).zfill(4)
            + only_digits(account.agencia).zfill(5)
            + only_digits(account.conta).zfill(7)
            + (only_digits(account.conta_dv) or "0")
        )

    def _account_fields(self, b: Beneficiary, first: int) -> list:
        account = b.account
        return [
            (first, first + 4, only_digits(account.agencia), "9"),
            (first + 5, first + 5, account.agencia_dv or "0", "X"),
            (first + 6, first + 17, only_digits(account.conta), "9"),
            (first + 18, first + 18, account.conta_dv or "0", "X"),
            (first + 19, first + 19, "", "X"),
        ]

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            (33, 52, self._client_code(b), "9"),
            *self._account_fields(b, 53),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "084", "9"),
            (167, 171, "01600", "9"),
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
            (14, 16, "042", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 53, self._client_code(b), "9"),
            *self._account_fields(b, 54),
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
        return record(
            *self._detail(seq, "P"),
            *self._account_fields(b, 18),
            (38, 40, only_digits(b.account.carteira), "9"),
            (41, 45, 0, "9"),
            (46, 56, nosso.digits, "9"),
            (57, 57, nosso.dv, "X"),
            (58, 58, 1, "9"),  # cobrança simples
            (59, 59, 1, "9"),  # registrada
            (60, 60, 1, "9"),  # tradicional
            (61, 61, 2, "9"),  # the beneficiary issues the boleto
            (62, 62, "2", "X"),  # ... and delivers it
            (63, 77, t.document_number, "X"),
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 105, 0, "9"),
            (106, 106, "0", "X"),
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
            (224, 224, 2, "9"),  # não baixar (not read by Bradesco)
            (225, 227, 0, "9"),
            (228, 229, "09", "9"),
            (230, 239, 0, "9"),
            (240, 240, "", "X"),
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "Q"),
            *self._payer(t),
            (210, 212, 0, "9"),
            (213, 240, "", "X"),
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
            (180, 240, "", "X"),
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
