"""Caixa (104) CNAB 240 records: "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança
Bancária CAIXA — SIGCB" (remessa layout 101, batch 060; retorno 040 / 030). The nosso número
goes as modality (41-42) + 15 digits (43-57) in P, and at 40-56 (+ DV at 57) in T."""

from portal.billing.cnab240_records import (
    Beneficiary,
    Layout,
    ReturnPositions,
    Title,
    only_digits,
    record,
)


class CaixaLayout(Layout):
    bank_code = "104"
    bank_name = "CAIXA ECONOMICA FEDERAL"
    file_layout = "101"
    batch_layout = "060"
    returns = ReturnPositions(
        nosso_numero=(40, 56),
        document_number=(59, 69),
    )

    def _ids(self, b: Beneficiary) -> tuple[str, str, str]:
        account = b.account
        agencia = only_digits(account.agencia)
        return agencia, account.agencia_dv or "0", only_digits(account.convenio)

    def _file_ids(self, b: Beneficiary) -> list:
        agencia, agencia_dv, convenio = self._ids(b)
        return [
            (33, 52, 0, "9"),
            (53, 57, agencia, "9"),
            (58, 58, agencia_dv, "X"),
            (59, 64, convenio, "9"),
            (65, 71, 0, "9"),
            (72, 72, 0, "9"),
        ]

    def _file_header_tail(self) -> list:
        return [
            (167, 171, 0, "9"),
            (172, 191, "", "X"),
            (192, 211, "REMESSA-PRODUCAO", "X"),
            (212, 215, "", "X"),
            (216, 240, "", "X"),
        ]

    def _batch_layout(self) -> list:
        return [(12, 13, 0, "9"), (14, 16, self.batch_layout, "9")]

    def _batch_ids(self, b: Beneficiary) -> list:
        agencia, agencia_dv, convenio = self._ids(b)
        return [
            (34, 39, convenio, "9"),
            (40, 53, 0, "9"),
            (54, 58, agencia, "9"),
            (59, 59, agencia_dv, "X"),
            (60, 65, convenio, "9"),
            (66, 72, 0, "9"),
            (73, 73, 0, "9"),
        ]

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        number = t.nosso_numero.digits  # 17: carteira (2) + 15
        return record(
            *self._detail(seq, "P"),
            (18, 22, agencia, "9"),
            (23, 23, agencia_dv, "X"),
            (24, 29, convenio, "9"),
            (30, 37, 0, "9"),
            (38, 39, 0, "9"),
            (40, 40, 0, "9"),  # nosso número of 17 positions
            (41, 42, number[:2], "9"),
            (43, 57, number[2:], "9"),
            (58, 58, 1, "9"),  # cobrança simples
            (59, 59, 1, "9"),  # registrada
            (60, 60, "2", "X"),  # escritural
            (61, 61, 2, "9"),  # the beneficiary issues the boleto
            (62, 62, "0", "X"),  # ... and delivers it
            (63, 73, t.document_number, "X"),
            (74, 77, "", "X"),
            *self._due_and_value(t),
            (101, 105, 0, "9"),
            (106, 106, "0", "X"),
            *self._kind_and_issue(t),
            *self._interest(t),
            *self._no_discount_to_protest(t),
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 227, f"{t.days_to_write_off:03d}", "X"),
            *self._currency("1"),  # no partial payment
        )

    def _batch_totals(self, titles: list[Title]) -> list:
        return [
            *self._simple_collection(titles),
            (47, 52, 0, "9"),
            (53, 69, 0, "9"),
            (70, 75, 0, "9"),
            (76, 92, 0, "9"),
            (93, 123, "", "X"),
            (124, 240, "", "X"),
        ]
