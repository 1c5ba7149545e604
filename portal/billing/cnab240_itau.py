"""Itaú (341) CNAB 240 records: "Cobrança Itaú — CNAB 240" (file layout 040, batch 030).

The beneficiary is the agência (4) and the conta (5) with its DAC, each in a zero-padded
block (53-72 in the file header, 54-73 in the batch header, 18-37 in P). The nosso número
is carteira (3, at 38-40) + número (8, at 41-48) + DAC (49), in P and T alike. P keeps the
document number in 10 positions (63-72) and ends without a currency field (baixa 224-226,
zeros to 239).
Positions cross-checked with the public implementation eduardokum/laravel-boleto
(src/Cnab/Remessa/Cnab240/Banco/Itau.php; read, not copied).
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


class ItauLayout(Layout):
    bank_code = "341"
    bank_name = "BANCO ITAU SA"
    returns = ReturnPositions(
        nosso_numero=(41, 48),
        document_number=(59, 68),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

    def _account_fields(self, b: Beneficiary, first: int) -> list:
        account = b.account
        return [
            (first, first, 0, "9"),
            (first + 1, first + 4, only_digits(account.agencia), "9"),
            (first + 5, first + 5, "", "X"),
            (first + 6, first + 12, 0, "9"),
            (first + 13, first + 17, only_digits(account.conta), "9"),
            (first + 18, first + 18, "", "X"),
            (first + 19, first + 19, account.conta_dv or "0", "9"),
        ]

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            (33, 52, "", "X"),
            *self._account_fields(b, 53),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "040", "9"),
            (167, 171, 0, "9"),
            (172, 225, "", "X"),
            (226, 228, 0, "9"),
            (229, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, 0, "9"),
            (14, 16, "030", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 53, "", "X"),
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
            (41, 48, nosso.digits, "9"),
            (49, 49, nosso.dv or "0", "9"),
            (50, 57, "", "X"),
            (58, 62, 0, "9"),
            (63, 72, t.document_number, "X"),
            (73, 77, "", "X"),
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 105, 0, "9"),
            (106, 106, 0, "9"),
            (107, 108, "01", "9"),  # duplicata mercantil (Itaú's code)
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
            (224, 224, 0, "9"),
            (225, 226, 0, "9"),
            (227, 239, 0, "9"),
            (240, 240, "", "X"),
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        # Itaú: the payer's name in 30 positions (34-63), then 10 blanks
        payer = [
            field if field[0] != 34 else (34, 63, t.payer.name, "X") for field in self._payer(t)
        ]
        at = next(i for i, field in enumerate(payer) if field[0] == 34) + 1
        return record(
            *self._detail(seq, "Q"),
            *payer[:at],
            (64, 73, "", "X"),
            *payer[at:],
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
            (24, 29, len(titles), "9"),
            (30, 46, cents(sum((t.value for t in titles), Decimal(0))), "9"),
            (47, 115, 0, "9"),
            (116, 123, 0, "9"),
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
            (30, 35, 0, "9"),
            (36, 240, "", "X"),
        )
