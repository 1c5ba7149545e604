"""Banco do Brasil (001) CNAB 240 records: "Layout de Arquivo Retorno/Remessa CNAB 240 —
Cobrança" (BB, FEBRABAN 240 version 08.4; file layout 083, batch layout 042).

The convênio de cobrança is written in the headers as 20 positions: convênio (9) + "0014"
(cobrança cedente) + carteira (2) + variação da carteira (3, the account's `modalidade`) +
2 reserved. The nosso número (38-57 in P and T) is left-aligned: for a convênio of 7 digits
the 17 digits "convênio + sequencial de 10" with no DV; for 4 or 6 digits, the 11 digits and
their DV. The code of the carteira at 58 is "7" for carteira 17 Simples, "1" for 11/12.
Positions checked against the public implementation kivanio/brcobranca
(lib/brcobranca/remessa/cnab240/banco_brasil.rb and its base.rb, read, not copied).
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

# carteira -> "código da carteira" of segment P, position 58 (simple collection).
CARTEIRA_CODES = {"11": "1", "12": "1", "17": "7"}


class BancoDoBrasilLayout(Layout):
    bank_code = "001"
    bank_name = "BANCO DO BRASIL S.A."
    returns = ReturnPositions(
        nosso_numero=(38, 57),
        document_number=(59, 73),
        due_date=(74, 81),
        value=(82, 96),
        fees=(199, 213),
        reasons=(214, 223),
    )

    def returned_nosso_numero(self, line: str) -> str:
        """38-57, left-aligned: 17 digits (convênio of 7) or 11 + DV (convênio of 4/6)."""
        text = line[37:57].strip()
        return text[:11] if len(text) == 12 else text

    def _convenio(self, b: Beneficiary) -> list:
        account = b.account
        carteira = only_digits(account.carteira)
        variacao = only_digits(account.modalidade)
        if len(carteira) != 2:
            raise DomainError(
                _("Banco do Brasil: the carteira has 2 digits (e.g. 17)."), field="carteira"
            )
        if not variacao:
            raise DomainError(
                _(
                    "Banco do Brasil: fill in the carteira's variação (3 digits, e.g. 019) "
                    "in the Modalidade field; the bank needs it in the remessa."
                ),
                field="modalidade",
            )
        return [only_digits(account.convenio).zfill(9), "0014", carteira, variacao.zfill(3)]

    def _account_fields(self, b: Beneficiary, first: int) -> list:
        """Agência (5) + DV + conta (12) + DV + DV agência/conta (blank): 20 positions."""
        account = b.account
        return [
            (first, first + 4, only_digits(account.agencia), "9"),
            (first + 5, first + 5, account.agencia_dv or "0", "X"),
            (first + 6, first + 17, only_digits(account.conta), "9"),
            (first + 18, first + 18, account.conta_dv or "0", "X"),
            (first + 19, first + 19, "", "X"),
        ]

    def _convenio_fields(self, b: Beneficiary, first: int) -> list:
        convenio, cobranca, carteira, variacao = self._convenio(b)
        return [
            (first, first + 8, convenio, "9"),
            (first + 9, first + 12, cobranca, "9"),
            (first + 13, first + 14, carteira, "9"),
            (first + 15, first + 17, variacao, "9"),
            (first + 18, first + 19, "", "X"),
        ]

    def file_header(self, b: Beneficiary, file_number: int, at: datetime) -> str:
        return record(
            (1, 3, self.bank_code, "9"),
            (4, 7, 0, "9"),
            (8, 8, 0, "9"),
            (9, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 32, b.document, "9"),
            *self._convenio_fields(b, 33),
            *self._account_fields(b, 53),
            (73, 102, b.name, "X"),
            (103, 132, self.bank_name, "X"),
            (133, 142, "", "X"),
            (143, 143, 1, "9"),  # remessa
            (144, 151, ddmmyyyy(at.date()), "9"),
            (152, 157, at.strftime("%H%M%S"), "9"),
            (158, 163, file_number, "9"),
            (164, 166, "083", "9"),
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
            (14, 16, "042", "9"),
            (17, 17, "", "X"),
            (18, 18, document_kind(b.document), "9"),
            (19, 33, b.document, "9"),
            *self._convenio_fields(b, 34),
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
        carteira = only_digits(b.account.carteira)
        self._convenio(b)
        return record(
            *self._detail(seq, "P"),
            *self._account_fields(b, 18),
            (38, 57, t.nosso_numero.digits + t.nosso_numero.dv, "X"),
            (58, 58, CARTEIRA_CODES.get(carteira, "1"), "9"),
            (59, 59, 1, "9"),  # com cadastramento (registrada)
            (60, 60, 1, "9"),  # tradicional
            (61, 61, 0, "9"),  # emissão / distribuição: not read by BB
            (62, 62, "0", "X"),
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
            (224, 224, 0, "9"),  # baixa: not read by BB (its own term applies)
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
