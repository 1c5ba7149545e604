"""Santander (033) CNAB 240 records: "Layout de Arquivo Padrão 240 — Cobrança" v2.5, Sep/2014
(layout 040, batch 030). The file is identified by the bank's "código de transmissão"; the
nosso número (12 + DV) sits at 45-57 in P and at 41-53 in T. The conta cobrança (33-42) is
the account itself."""

from datetime import datetime

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


class SantanderLayout(Layout):
    bank_code = "033"
    bank_name = "BANCO SANTANDER"
    returns = ReturnPositions(
        nosso_numero=(41, 52),
        document_number=(55, 69),
        due_date=(70, 77),
        value=(78, 92),
        fees=(194, 208),
        reasons=(209, 218),
    )

    def _transmission(self, b: Beneficiary) -> str:
        code = only_digits(b.transmission_code)
        if not code:
            raise DomainError(
                _("Santander: the account's código de transmissão is missing."),
                field="transmission_code",
            )
        return code

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 16, "", "X"),
            (17, 17, document_kind(b.document), "9"),
            (18, 32, b.document, "9"),
            (33, 47, self._transmission(b), "9"),
            (48, 72, "", "X"),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, "", "X"),
            (158, 163, file_number, "9"),
            (164, 166, "040", "9"),
            (167, 240, "", "X"),
        )

    def batch_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 1, "9"),
            (8, 8, 1, "9"),
            (9, 9, "R", "X"),
            (10, 11, "01", "9"),
            (12, 13, "", "X"),
            (14, 16, "030", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            (34, 53, "", "X"),
            (54, 68, self._transmission(b), "9"),
            (69, 73, "", "X"),
            (74, 103, b.name, "X"),
            (104, 143, "", "X"),
            (144, 183, "", "X"),
            (184, 191, file_number, "9"),
            (192, 199, ddmmyyyy(at.date()), "9"),
            (200, 240, "", "X"),
        )

    def segment_p(self, b: Beneficiary, t: Title, seq: int) -> str:
        account = b.account
        conta = only_digits(account.conta)
        return record(
            *self._detail(seq, "P"),
            (18, 21, only_digits(account.agencia), "9"),
            (22, 22, account.agencia_dv or "0", "9"),
            (23, 31, conta, "9"),
            (32, 32, account.conta_dv or "0", "9"),
            (33, 41, conta, "9"),  # conta cobrança
            (42, 42, account.conta_dv or "0", "9"),
            (43, 44, "", "X"),
            (45, 57, t.nosso_numero.digits + t.nosso_numero.dv, "9"),
            (58, 58, 5, "9"),  # cobrança simples rápida com registro
            (59, 59, 1, "9"),  # registrada
            (60, 60, 1, "9"),  # tradicional
            (61, 62, "", "X"),
            (63, 77, t.document_number, "X"),
            (78, 85, ddmmyyyy(t.due_date), "9"),
            (86, 100, cents(t.value), "9"),
            (101, 104, 0, "9"),
            (105, 105, 0, "9"),
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
            (221, 221, 0, "9"),  # não protestar
            (222, 223, 0, "9"),
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 225, 0, "9"),
            (226, 227, min(t.days_to_write_off, 99), "9"),
            (228, 229, "00", "9"),  # real
            (230, 240, "", "X"),
        )

    def segment_q(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "Q"),
            *self._payer(t),
            (210, 221, 0, "9"),  # no carnê
            (222, 240, "", "X"),
        )

    def segment_r(self, b: Beneficiary, t: Title, seq: int) -> str:
        return record(
            *self._detail(seq, "R"),
            (18, 18, 0, "9"),
            (19, 26, 0, "9"),
            (27, 41, 0, "9"),
            (42, 65, "", "X"),
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
            (24, 240, "", "X"),
        )
