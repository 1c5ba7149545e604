"""CNAB 240 of Banco do Brasil, Sicoob and Bradesco: remessas checked position by position,
and return files (segments T and U, written here from the layouts, not by the code under
test) read.

Layouts: BB "Layout de Arquivo Retorno/Remessa CNAB 240 — Cobrança" (file layout 083, batch
042: convênio 9 + "0014" + carteira + variação at 33-52 / 34-53; nosso número left-aligned at
38-57); Sicoob "CNAB 240 — Cobrança Bancária" (file 081, batch 040; número do título + DV at
38-47, parcela 48-49, modalidade 50-51, tipo de formulário 52). Positions cross-checked with
the public implementation kivanio/brcobranca (remessa/cnab240/banco_brasil.rb, sicoob.rb,
base.rb; retorno/cnab240/sicoob.rb). Bradesco "Multi-Banco CNAB 240" (file 084, density
01600, batch 042; código do cliente at 33-52; carteira + 00000 + nosso número + DV at 38-57),
cross-checked with eduardokum/laravel-boleto (Cnab/Remessa/Cnab240/Banco/Bradesco.php).
Itaú "Cobrança Itaú — CNAB 240" (file 040, batch 030; agência/conta blocks, carteira +
nosso número + DAC at 38-49), cross-checked with laravel-boleto's Cnab240/Banco/Itau.php.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.billing import cnab_codes
from portal.billing.banks import Account
from portal.billing.banks.bradesco import nosso_numero_dv as bradesco_dv
from portal.billing.banks.sicoob import nosso_numero_dv
from portal.billing.cnab240 import Beneficiary, build_remessa, parse_retorno
from portal.errors import DomainError
from tests.billing.test_cnab240 import AT, at, header, record, titles, trailers, u

BB = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account("001", agencia="1234", agencia_dv="3", conta="123456", conta_dv="X",
                    carteira="17", convenio="1234567", modalidade="019"),
)  # fmt: skip
SICOOB = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account("756", agencia="4434", agencia_dv="0", conta="77426", conta_dv="0",
                    carteira="1", convenio="119987", convenio_dv="0", modalidade="01"),
)  # fmt: skip

BRADESCO = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account("237", agencia="1234", agencia_dv="5", conta="1234567", conta_dv="8",
                    carteira="09"),
)  # fmt: skip

ITAU = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account("341", agencia="1234", conta="12345", conta_dv="6", carteira="109"),
)


def kinds(lines: list[str]) -> list[str]:
    return [at(x, 8, 8) + at(x, 14, 14).strip() * (at(x, 8, 8) == "3") for x in lines]


def test_bb_remessa_positions():
    text = build_remessa(BB, titles(BB), file_number=7, generated_at=AT)
    lines = text.split("\r\n")[:-1]
    assert text.endswith("\r\n") and all(len(line) == 240 for line in lines)
    assert kinds(lines) == ["0", "1", "3P", "3Q", "3P", "3Q", "3R", "5", "9"]
    header_, batch, p1, q1, p2, _q2, r2, trailer, end = lines
    # file header: convênio 9 + 0014 + carteira + variação; agência/conta with DVs
    assert at(header_, 1, 8) == "00100000" and at(header_, 18, 32) == "212345678000195"
    assert at(header_, 33, 52) == "001234567" + "0014" + "17" + "019" + "  "
    assert at(header_, 53, 72) == "01234" + "3" + "000000123456" + "X" + " "
    assert at(header_, 103, 132).rstrip() == "BANCO DO BRASIL S.A."
    assert at(header_, 143, 166) == "1" + "28112026" + "143005" + "000007" + "083"
    # batch header: the same convênio one position on, layout 042
    assert at(batch, 9, 17) == "R01  042 " and at(batch, 19, 33) == "012345678000195"
    assert at(batch, 34, 53) == at(header_, 33, 52) and at(batch, 54, 73) == at(header_, 53, 72)
    assert at(batch, 184, 199) == "00000007" + "28112026"
    # segment P: nosso número 17 digits (convênio 7 + sequence 10), carteira 17 -> "7"
    assert at(p1, 9, 17) == "00001P 01" and at(p1, 18, 37) == at(header_, 53, 72)
    assert at(p1, 38, 57) == "12345670000000006   " and at(p1, 58, 60) == "711"
    assert at(p1, 63, 77) == "P000123-1      "
    assert at(p1, 78, 100) == "28122026" + "000000000050000"
    assert at(p1, 107, 117) == "02N28112026" and at(p1, 118, 118) == "3"
    assert at(p2, 38, 57) == "12345670000000007   "
    assert at(p2, 118, 141) == "1" + "28012027" + "000000000000017"
    assert at(p1, 221, 229) == "3" + "00" + "0" + "000" + "09" and at(p1, 240, 240) == " "
    # segment Q: payer; R: multa 2 % and message
    assert at(q1, 18, 33) == "1000052998224725" and at(q1, 129, 136) == "01310100"
    assert at(r2, 66, 89) == "2" + "28012027" + "000000000000200"
    assert at(r2, 100, 139).rstrip() == "NAO RECEBER APOS 30 DIAS"
    # trailers: 7 records in the batch, 2 titles of R$ 750,10; 9 records in the file
    assert at(trailer, 18, 46) == "000007" + "000002" + "00000000000075010"
    assert at(end, 1, 8) == "00199999" and at(end, 18, 29) == "000001000009"


def test_bb_requires_the_variacao():
    no_variation = Beneficiary(BB.name, BB.document, Account(
        "001", agencia="1234", conta="123456", carteira="17", convenio="1234567"))  # fmt: skip
    with pytest.raises(DomainError) as caught:
        build_remessa(no_variation, titles(no_variation), 1, AT)
    assert caught.value.field == "modalidade"


def test_sicoob_remessa_positions():
    text = build_remessa(SICOOB, titles(SICOOB), file_number=12, generated_at=AT)
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines)
    assert kinds(lines) == ["0", "1", "3P", "3Q", "3P", "3Q", "3R", "5", "9"]
    header_, batch, p1, q1, _p2, _q2, r2, trailer, end = lines
    assert at(header_, 1, 3) == "756" and at(header_, 33, 52) == " " * 20
    assert at(header_, 53, 72) == "04434" + "0" + "000000077426" + "0" + "0"
    assert at(header_, 103, 132).rstrip() == "SICOOB"
    assert at(header_, 143, 171) == "1" + "28112026" + "143005" + "000012" + "081" + "00000"
    assert at(batch, 14, 16) == "040" and at(batch, 34, 53) == " " * 20
    assert at(batch, 54, 73) == "04434" + "0" + "000000077426" + "0" + " "
    assert at(batch, 184, 191) == "00000012"
    # segment P: número do título (9) + DV, parcela 01, modalidade 01, formulário 4
    dv = nosso_numero_dv("4434", "1199870", "0000006")
    assert at(p1, 18, 37) == "04434" + "0" + "000000077426" + "0" + " "
    assert at(p1, 38, 57) == "000000006" + dv + "01" + "01" + "4" + "     "
    assert at(p1, 58, 62) == "10 22" and at(p1, 63, 77) == "P000123-1      "
    assert at(p1, 78, 100) == "28122026" + "000000000050000"
    assert at(p1, 221, 240) == "3" + "00" + "0" + "   " + "09" + "0" * 10 + " "
    assert at(q1, 34, 73).rstrip() == "JOSE DA CONCEICAO"
    assert at(r2, 66, 74) == "228012027"
    assert at(trailer, 18, 46) == "000007" + "000002" + "00000000000075010"
    assert at(end, 18, 35) == "000001" + "000009" + "000000"


# Return files -------------------------------------------------------------------------------


def bb_t(seq, movement, nosso, value, fees=0, reasons=""):
    return record("001", 1, "3", (9, 13, seq), (14, 14, "T"), (16, 17, movement),
                  (18, 22, 1234), (23, 23, "3"), (24, 35, 123456), (36, 36, "X"),
                  (38, 57, nosso), (58, 58, "7"), (59, 73, "P000123-1"), (74, 81, "28122026"),
                  (82, 96, value), (97, 99, 1), (199, 213, fees), (214, 223, reasons))  # fmt: skip


def sicoob_t(seq, movement, number10, value, fees=0, reasons=""):
    return record("756", 1, "3", (9, 13, seq), (14, 14, "T"), (16, 17, movement),
                  (18, 22, 4434), (23, 23, "0"), (24, 35, 77426), (36, 36, "0"),
                  (38, 47, number10), (48, 49, "01"), (50, 51, "01"), (52, 52, "4"),
                  (58, 58, "1"), (59, 73, "P000123-2"), (74, 81, "27012027"), (82, 96, value),
                  (97, 99, 756), (199, 213, fees), (214, 223, reasons))  # fmt: skip


def test_bb_retorno_rows():
    lines = [
        header("001"),
        record("001", 1, "1", (9, 9, "T")),
        bb_t(1, "02", "12345670000000006", 50000),
        u("001", 2, "02"),
        bb_t(3, "06", "12345670000000007", 25010, fees=340),
        u("001", 4, "06", paid=25510, interest=500, occurred="29012027", credited="30012027"),
        bb_t(5, "03", "12345670000000008", 10000, reasons="0916"),
        u("001", 6, "03"),
        bb_t(7, "02", "12345670000000X09", 10000),  # malformed nosso número
        u("001", 8, "02"),
        bb_t(9, "02", "123456789012", 10000),  # convênio of 6: 11 digits + DV
        u("001", 10, "02"),
        *trailers("001", 10),
    ]
    result = parse_retorno("\r\n".join(lines))
    assert result.bank_code == "001"
    assert [(r.nosso_numero, r.status) for r in result.rows] == [
        ("12345670000000006", cnab_codes.REGISTERED),
        ("12345670000000007", cnab_codes.PAID),
        ("12345670000000008", cnab_codes.REJECTED),
        ("12345678901", cnab_codes.REGISTERED),
    ]
    paid = result.rows[1]
    assert (paid.value, paid.amount_paid, paid.interest, paid.fees) == (
        Decimal("250.10"), Decimal("255.10"), Decimal("5.00"), Decimal("3.40"),
    )  # fmt: skip
    assert (paid.occurred_on, paid.credited_on) == (date(2027, 1, 29), date(2027, 1, 30))
    assert [r.code for r in result.rows[2].reasons] == ["09", "16"]
    assert [(p.line_number, p.code) for p in result.problems] == [(9, "field")]


def test_sicoob_retorno_rows():
    dv6, dv7 = (nosso_numero_dv("4434", "1199870", f"{n:07d}") for n in (6, 7))
    lines = [
        header("756"),
        record("756", 1, "1", (9, 9, "T")),
        sicoob_t(1, "06", f"00{6:07d}{dv6}", 50000, fees=195),
        u("756", 2, "06", paid=50000, occurred="28122026", credited="29122026"),
        sicoob_t(3, "09", f"00{7:07d}{dv7}", 25010, reasons="10"),
        u("756", 4, "09"),
        *trailers("756", 4),
    ]
    result = parse_retorno("\n".join(lines), known={"0000006", "0000007"})
    assert [(r.nosso_numero, r.status) for r in result.rows] == [
        ("0000006", cnab_codes.PAID), ("0000007", cnab_codes.WRITTEN_OFF),
    ]  # fmt: skip
    assert (result.rows[0].amount_paid, result.rows[0].fees) == (Decimal("500.00"),
                                                                 Decimal("1.95"))  # fmt: skip
    assert result.problems == []


def test_a_remessa_is_never_read_as_a_return():
    for beneficiary in (BB, SICOOB):
        remessa = build_remessa(beneficiary, titles(beneficiary), 1, datetime(2026, 11, 28))
        assert [p.code for p in parse_retorno(remessa).problems] == ["not_retorno"]


def test_bradesco_remessa_positions():
    text = build_remessa(BRADESCO, titles(BRADESCO), file_number=3, generated_at=AT)
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines)
    assert kinds(lines) == ["0", "1", "3P", "3Q", "3P", "3Q", "3R", "5", "9"]
    header_, batch, p1, _q1, _p2, _q2, r2, trailer, end = lines
    client = "000" + "0009" + "01234" + "1234567" + "8"  # carteira, agência, conta, DV
    assert at(header_, 1, 3) == "237" and at(header_, 33, 52) == client
    assert at(header_, 53, 72) == "01234" + "5" + "000001234567" + "8" + " "
    assert at(header_, 143, 171) == "1" + "28112026" + "143005" + "000003" + "084" + "01600"
    assert at(batch, 14, 16) == "042" and at(batch, 34, 53) == client
    dv = bradesco_dv("09", "00000000006")
    assert at(p1, 38, 57) == "009" + "00000" + "00000000006" + dv
    assert at(p1, 58, 62) == "11122" and at(p1, 78, 100) == "28122026" + "000000000050000"
    assert at(p1, 221, 229) == "3" + "00" + "2" + "000" + "09"
    assert at(r2, 66, 74) == "228012027"
    assert at(trailer, 18, 46) == "000007" + "000002" + "00000000000075010"
    assert at(end, 18, 29) == "000001000009"


def test_bradesco_retorno_reads_the_number_before_its_dv():
    lines = [
        header("237"),
        record("237", 1, "1", (9, 9, "T")),
        record(
            "237",
            1,
            "3",
            (9, 13, 1),
            (14, 14, "T"),
            (16, 17, "06"),
            (38, 57, "009" + "00000" + "00000000066" + "P"),
            (74, 81, "28122026"),
            (82, 96, 12345),
            (199, 213, 180),
        ),
        u("237", 2, "06", paid=12345, occurred="02012027", credited="03012027"),
        *trailers("237", 2),
    ]
    result = parse_retorno("\r\n".join(lines))
    assert [(r.nosso_numero, r.status, r.amount_paid) for r in result.rows] == [
        ("00000000066", cnab_codes.PAID, Decimal("123.45")),
    ]


def test_itau_remessa_positions():
    issued = titles(ITAU)
    text = build_remessa(ITAU, issued, file_number=4, generated_at=AT)
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines)
    assert kinds(lines) == ["0", "1", "3P", "3Q", "3P", "3Q", "3R", "5", "9"]
    header_, batch, p1, q1, _p2, _q2, r2, trailer, end = lines
    block = "0" + "1234" + " " + "0000000" + "12345" + " " + "6"
    assert at(header_, 1, 3) == "341" and at(header_, 33, 52) == " " * 20
    assert at(header_, 53, 72) == block and at(header_, 164, 166) == "040"
    assert at(header_, 226, 228) == "000"
    assert at(batch, 14, 16) == "030" and at(batch, 54, 73) == block
    first = issued[0].nosso_numero
    assert at(p1, 18, 37) == block
    assert at(p1, 38, 57) == "109" + first.digits + first.dv + " " * 8
    assert at(p1, 63, 72) == "P000123-1 " and at(p1, 78, 100) == "28122026" + "0" * 10 + "50000"
    assert at(p1, 221, 240) == "3" + "00" + "0" + "00" + "0" * 13 + " "
    assert at(q1, 34, 73) == "JOSE DA CONCEICAO".ljust(30) + " " * 10
    assert at(q1, 74, 113).rstrip() == "RUA DAS FLORES, 10"
    assert at(r2, 66, 74) == "228012027"
    assert at(trailer, 18, 46) == "000007" + "000002" + "00000000000075010"
    assert at(end, 18, 35) == "000001" + "000009" + "000000"


def test_itau_retorno_rows():
    lines = [
        header("341"),
        record("341", 1, "1", (9, 9, "T")),
        record(
            "341",
            1,
            "3",
            (9, 13, 1),
            (14, 14, "T"),
            (16, 17, "06"),
            (38, 57, "109" + "00000006" + "4"),
            (59, 68, "P000123-1"),
            (74, 81, "28122026"),
            (82, 96, 50000),
            (199, 213, 230),
        ),
        u("341", 2, "06", paid=50000, occurred="28122026", credited="29122026"),
        *trailers("341", 2),
    ]
    result = parse_retorno("\r\n".join(lines))
    assert [(r.nosso_numero, r.status, r.fees, r.document_number) for r in result.rows] == [
        ("00000006", cnab_codes.PAID, Decimal("2.30"), "P000123-1"),
    ]
