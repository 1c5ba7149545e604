"""Itaú (341) CNAB 240 records: "Cobrança Itaú — CNAB 240" (file layout 040, batch 030).

The beneficiary is the agência (4) and the conta (5) with its DAC, each in a zero-padded
block (53-72 in the file header, 54-73 in the batch header, 18-37 in P). The nosso número
is carteira (3, at 38-40) + número (8, at 41-48) + DAC (49), in P and T alike. P keeps the
document number in 10 positions (63-72) and ends without a currency field (baixa 224-226,
zeros to 239).
Positions cross-checked with the public implementation eduardokum/laravel-boleto
(src/Cnab/Remessa/Cnab240/Banco/Itau.php; read, not copied).
"""

from portal.billing.cnab240_records import (
    Beneficiary,
    Layout,
    ReturnPositions,
    Title,
    only_digits,
    record,
)


class ItauLayout(Layout):
    bank_code = "341"
    bank_name = "BANCO ITAU SA"
    file_layout = "040"
    batch_layout = "030"
    returns = ReturnPositions(
        nosso_numero=(41, 48),
        document_number=(59, 68),
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

    def _file_ids(self, b: Beneficiary) -> list:
        return [(33, 52, "", "X"), *self._account_fields(b, 53)]

    def _file_header_tail(self) -> list:
        return [(167, 171, 0, "9"), (172, 225, "", "X"), (226, 228, 0, "9"), (229, 240, "", "X")]

    def _batch_layout(self) -> list:
        return [(12, 13, 0, "9"), (14, 16, self.batch_layout, "9")]

    def _batch_ids(self, b: Beneficiary) -> list:
        return [(34, 53, "", "X"), *self._account_fields(b, 54)]

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
            *self._due_and_value(t),
            (101, 105, 0, "9"),
            (106, 106, 0, "9"),
            *self._kind_and_issue(t, "01"),  # duplicata mercantil (Itaú's code)
            *self._interest(t),
            *self._no_discount_to_protest(t),
            (224, 224, 0, "9"),
            (225, 226, 0, "9"),
            (227, 239, 0, "9"),
            (240, 240, "", "X"),
        )

    def _payer(self, t: Title) -> list:
        """Itaú: the payer's name in 30 positions (34-63), then 10 blanks."""
        fields = []
        for field in super()._payer(t):
            if field[0] == 34:
                fields += [(34, 63, t.payer.name, "X"), (64, 73, "", "X")]
            else:
                fields.append(field)
        return fields

    def _batch_totals(self, titles: list[Title]) -> list:
        return [
            *self._simple_collection(titles),
            (47, 115, 0, "9"),
            (116, 123, 0, "9"),
            (124, 240, "", "X"),
        ]

    def _file_trailer_tail(self) -> list:
        return [(30, 35, 0, "9"), (36, 240, "", "X")]  # contas para conciliação
