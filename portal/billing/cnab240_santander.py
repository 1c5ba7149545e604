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
    file_layout = "040"
    batch_layout = "030"
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
            (164, 166, self.file_layout, "9"),
            (167, 240, "", "X"),
        )

    def _batch_ids(self, b: Beneficiary) -> list:
        return [(34, 53, "", "X"), (54, 68, self._transmission(b), "9"), (69, 73, "", "X")]

    def _batch_header_tail(self) -> list:
        return [(200, 240, "", "X")]

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
            *self._due_and_value(t),
            (101, 104, 0, "9"),
            (105, 105, 0, "9"),
            (106, 106, "", "X"),
            *self._kind_and_issue(t),
            *self._interest(t),
            *self._no_discount_to_protest(t, protest=0),  # não protestar (Santander's code)
            (224, 224, 1, "9"),  # baixar / devolver
            (225, 225, 0, "9"),
            (226, 227, min(t.days_to_write_off, 99), "9"),
            (228, 229, "00", "9"),  # real
            (230, 240, "", "X"),
        )

    def _q_tail(self) -> list:
        return [(210, 221, 0, "9"), (222, 240, "", "X")]  # no carnê

    def _more_discounts(self) -> list:
        return [(18, 18, 0, "9"), (19, 26, 0, "9"), (27, 41, 0, "9"), (42, 65, "", "X")]

    def _batch_totals(self, titles: list[Title]) -> list:
        return [(24, 240, "", "X")]
