"""Bradesco (237) CNAB 240 records: "Layout Cobrança Bradesco — Multi-Banco CNAB 240" (file
layout 084, density 01600; batch layout 042).

The company code in the headers (33-52 / 34-53) is the "código do cliente" of 17 digits:
carteira (4) + agência (5) + conta (7) + DV, zero-padded to 20. In P (and T) the
identification of the title at 38-57 is carteira (3) + 00000 + nosso número (11) + its DV
(0-9 or "P"); the return is read by its last 12 positions, so the nosso número is 46-56.
Positions cross-checked with the public implementation eduardokum/laravel-boleto
(src/Cnab/Remessa/Cnab240/Banco/Bradesco.php; read, not copied).
"""

from portal.billing.cnab240_records import (
    Beneficiary,
    Layout,
    ReturnPositions,
    Title,
    only_digits,
    record,
)


class BradescoLayout(Layout):
    bank_code = "237"
    bank_name = "BRADESCO"
    file_layout = "084"
    batch_layout = "042"
    returns = ReturnPositions(nosso_numero=(46, 56))

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

    def _file_ids(self, b: Beneficiary) -> list:
        return [(33, 52, self._client_code(b), "9"), *self._account_fields(b, 53)]

    def _file_header_tail(self) -> list:
        return [(167, 171, "01600", "9"), (172, 240, "", "X")]  # density 1600 bpi

    def _batch_ids(self, b: Beneficiary) -> list:
        return [(34, 53, self._client_code(b), "9"), *self._account_fields(b, 54)]

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
            *self._due_and_value(t),
            (101, 105, 0, "9"),
            (106, 106, "0", "X"),
            *self._kind_and_issue(t),
            *self._interest(t),
            *self._no_discount_to_protest(t),
            (224, 224, 2, "9"),  # não baixar (not read by Bradesco)
            (225, 227, 0, "9"),
            *self._currency(),
        )
