"""Caixa (104) CNAB 240 records: "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança
Bancária CAIXA — SIGCB" (remessa layout 101, batch 060; retorno 040 / 030). The nosso número
goes as modality (41-42) + 15 digits (43-57) in P, and at 40-56 (+ DV at 57) in T."""

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


class CaixaLayout(Layout):
    bank_code = "104"
    bank_name = "CAIXA ECONOMICA FEDERAL"
    returns = ReturnPositions(
        nosso_numero=(40, 56),
        document_number=(59, 69),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

    def _ids(self, b: Beneficiary) -> tuple[str, str, str]:
        account = b.account
        agencia = only_digits(account.agencia)
        return agencia, account.agencia_dv or "0", only_digits(account.convenio)

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            (33, 52, 0, "9"),
            (53, 57, agencia, "9"),
            (58, 58, agencia_dv, "X"),
            (59, 64, convenio, "9"),
            (65, 71, 0, "9"),
            (72, 72, 0, "9"),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "101", "9"),
            (167, 171, 0, "9"),
            (172, 191, "", "X"),
            (192, 211, "REMESSA-PRODUCAO", "X"),
            (212, 215, "", "X"),
            (216, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        agencia, agencia_dv, convenio = self._ids(b)
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, 0, "9"),
            (14, 16, "060", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 39, convenio, "9"),
            (40, 53, 0, "9"),
            (54, 58, agencia, "9"),
            (59, 59, agencia_dv, "X"),
            (60, 65, convenio, "9"),
            (66, 72, 0, "9"),
            (73, 73, 0, "9"),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            (200, 207, 0, "9"),
            (208, 240, "", "X"),
        )

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
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 227, f"{t.days_to_write_off:03d}", "X"),
            (228, 229, "09", "9"),
            (230, 239, 0, "9"),
            (240, 240, "1", "X"),  # no partial payment
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
            (180, 229, "", "X"),
            (230, 240, "", "X"),
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
            (47, 52, 0, "9"),
            (53, 69, 0, "9"),
            (70, 75, 0, "9"),
            (76, 92, 0, "9"),
            (93, 123, "", "X"),
            (124, 240, "", "X"),
        )
