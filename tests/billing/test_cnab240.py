"""CNAB 240: remessas built for Caixa and Santander, and return files read, checked position
by position against the banks' published layouts:
- Caixa, "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança Bancária CAIXA — SIGCB"
  (remessa: 3.5.1-3.5.4, R, trailers; retorno: 3.7, segments T and U; codes C044, C047);
- Santander, "Layout de Arquivo Padrão 240 — Cobrança" v2.5, Sep/2014 (remessa and retorno
  records, notes 40, 40-A, 40-C).
The return files here are written from those tables by this test (not by the code under test).
"""

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.billing import cnab_codes
from portal.billing.banks import Account, issue
from portal.billing.cnab240 import Beneficiary, Payer, Title, build_remessa, parse_retorno
from portal.errors import DomainError

CAIXA = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account(
        "104", agencia="1234", agencia_dv="5", conta="123456", carteira="14", convenio="123456"
    ),
)
SANTANDER = Beneficiary(
    name="Loja Exemplo Ltda",
    document="12345678000195",
    account=Account(
        "033", agencia="1234", agencia_dv="5", conta="12345678", conta_dv="9",
        carteira="101", convenio="1234567",
    ),
    transmission_code="123400001234567",
)  # fmt: skip
PAYER = Payer(
    name="José da Conceição",
    document="52998224725",
    street="Rua das Flores, 10",
    district="Centro",
    cep="01310-100",
    city="São Paulo",
    uf="SP",
)
AT = datetime(2026, 11, 28, 14, 30, 5)


def titles(beneficiary: Beneficiary) -> list[Title]:
    first = issue(beneficiary.account, 6, date(2026, 12, 28), Decimal("500.00"))
    second = issue(beneficiary.account, 7, date(2027, 1, 27), Decimal("250.10"))
    return [
        Title(first.nosso_numero, "P000123-1", date(2026, 12, 28), Decimal("500.00"),
              date(2026, 11, 28), PAYER),
        Title(second.nosso_numero, "P000123-2", date(2027, 1, 27), Decimal("250.10"),
              date(2026, 11, 28), PAYER, interest_per_day=Decimal("0.17"),
              fine_percent=Decimal("2.00"), messages=("Não receber após 30 dias",)),
    ]  # fmt: skip


def at(line: str, first: int, last: int) -> str:
    return line[first - 1 : last]


def test_caixa_remessa_positions():
    text = build_remessa(CAIXA, titles(CAIXA), file_number=7, generated_at=AT)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines)
    assert [at(x, 8, 8) + at(x, 14, 14).strip() * (at(x, 8, 8) == "3") for x in lines] == [
        "0", "1", "3P", "3Q", "3P", "3Q", "3R", "5", "9",
    ]  # fmt: skip
    header, batch, p1, q1, p2, _q2, r2, trailer, end = lines
    assert at(header, 1, 3) == "104" and at(header, 143, 143) == "1"
    assert at(header, 19, 32) == "12345678000195" and at(header, 53, 58) == "012345"
    assert at(header, 59, 64) == "123456" and at(header, 144, 157) == "28112026143005"
    assert at(header, 158, 163) == "000007" and at(header, 164, 166) == "101"
    assert at(batch, 9, 9) == "R" and at(batch, 14, 16) == "060"
    assert at(batch, 34, 39) == "123456" and at(batch, 184, 191) == "00000007"
    # segment P: nosso número 14 + 15 digits at 41-57, due date, value, juros isento
    assert at(p1, 9, 13) == "00001" and at(p1, 16, 17) == "01"
    assert at(p1, 41, 42) == "14" and at(p1, 43, 57) == "000000000000006"
    assert at(p1, 63, 73) == "P000123-1  " and at(p1, 78, 85) == "28122026"
    assert at(p1, 86, 100) == "000000000050000" and at(p1, 118, 118) == "3"
    assert at(p2, 118, 141) == "1" + "28012027" + "000000000000017"
    # segment Q: the payer, in upper-case ASCII
    assert at(q1, 18, 33) == "1000052998224725"
    assert at(q1, 34, 73).rstrip() == "JOSE DA CONCEICAO"
    assert at(q1, 129, 136) == "01310100" and at(q1, 137, 153) == "SAO PAULO      SP"
    # segment R: multa 2 % from the day after the due date, message 3
    assert at(r2, 66, 89) == "2" + "28012027" + "000000000000200"
    assert at(r2, 100, 139).rstrip() == "NAO RECEBER APOS 30 DIAS"
    # trailers: 7 records in the batch (1 + 5 + 1), 2 titles, 750.10; 9 in the file
    assert at(trailer, 18, 23) == "000007" and at(trailer, 24, 29) == "000002"
    assert at(trailer, 30, 46) == "00000000000075010"
    assert at(end, 4, 7) == "9999" and at(end, 18, 29) == "000001000009"


def test_santander_remessa_positions():
    text = build_remessa(SANTANDER, titles(SANTANDER), file_number=3, generated_at=AT)
    lines = text.split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines) and len(lines) == 9
    header, batch, p1, q1, _p2, _q2, r2, trailer, end = lines
    assert at(header, 1, 3) == "033" and at(header, 17, 32) == "2012345678000195"
    assert at(header, 33, 47) == "123400001234567" and at(header, 164, 166) == "040"
    assert at(batch, 14, 16) == "030" and at(batch, 54, 68) == "123400001234567"
    # segment P: agência, conta, conta cobrança; nosso número 12 + DV at 45-57
    assert at(p1, 18, 42) == "1234" + "5" + "012345678" + "9" + "012345678" + "9"
    assert at(p1, 45, 57) == "0000000000060" and at(p1, 58, 60) == "511"
    assert at(p1, 78, 100) == "28122026" + "000000000050000"
    assert at(p1, 221, 229) == "0" + "00" + "1" + "0" + "60" + "00"
    assert at(q1, 210, 221) == "0" * 12
    assert at(r2, 66, 74) == "228012027"
    assert at(trailer, 18, 23) == "000007" and at(trailer, 24, 240).strip() == ""
    assert at(end, 18, 29) == "000001000009"


def test_remessa_refuses_what_the_bank_would():
    with pytest.raises(DomainError):
        build_remessa(CAIXA, [], 1, AT)
    no_code = Beneficiary(SANTANDER.name, SANTANDER.document, SANTANDER.account)
    with pytest.raises(DomainError) as caught:
        build_remessa(no_code, titles(SANTANDER), 1, AT)
    assert caught.value.field == "transmission_code"
    sicredi = Beneficiary("X", "12345678000195", Account("748", agencia="1", conta="1"))
    with pytest.raises(DomainError):  # a bank no boleto is issued for here
        build_remessa(sicredi, titles(CAIXA), 1, AT)


# Return files, written from the layouts -----------------------------------------------------


def put(line: list[str], first: int, last: int, value: str | int) -> None:
    size = last - first + 1
    text = str(value).zfill(size) if isinstance(value, int) else str(value).ljust(size)
    assert len(text) == size, (first, last, value)
    line[first - 1 : last] = list(text)


def record(bank: str, lot: int, kind: str, *fields) -> str:
    line = [" "] * 240
    put(line, 1, 3, bank)
    put(line, 4, 7, lot)
    put(line, 8, 8, kind)
    for first, last, value in fields:
        put(line, first, last, value)
    return "".join(line)


def caixa_t(seq, movement, nosso15, value, fees=0, reasons=""):
    return record("104", 1, "3", (9, 13, seq), (14, 14, "T"), (16, 17, movement),
                  (18, 22, 1234), (23, 23, "5"), (24, 29, 123456), (39, 39, "0"),
                  (40, 41, "14"), (42, 56, nosso15), (57, 57, "0"), (58, 58, "1"),
                  (59, 69, "P000123-1"), (74, 81, "28122026"), (82, 96, value),
                  (97, 99, 104), (199, 213, fees), (214, 223, reasons))  # fmt: skip


def u(bank, seq, movement, paid=0, interest=0, occurred="00000000", credited="00000000"):
    return record(bank, 1, "3", (9, 13, seq), (14, 14, "U"), (16, 17, movement),
                  (18, 32, interest), (33, 92, 0), (78, 92, paid), (93, 107, paid),
                  (138, 145, occurred), (146, 153, credited))  # fmt: skip


def header(bank: str) -> str:
    return record(bank, 0, "0", (143, 143, "2"), (144, 151, "29112026"), (158, 163, 12))


def trailers(bank: str, records: int) -> list[str]:
    return [
        record(bank, 1, "5", (18, 23, records)),
        record(bank, 9999, "9", (18, 23, 1), (24, 29, records + 3)),
    ]


def test_caixa_retorno_rows_and_problems(babel_pt_br):
    known = {f"14{n:015d}" for n in (4, 5, 6, 8)}
    lines = [
        header("104"),
        record("104", 1, "1", (9, 9, "T")),
        caixa_t(1, "02", 6, 50000),
        u("104", 2, "02"),
        caixa_t(3, "06", 4, 30000, fees=250),
        u("104", 4, "06", paid=30120, interest=120, occurred="10112026", credited="11112026"),
        caixa_t(5, "03", 5, 40900, reasons="0848"),
        u("104", 6, "03"),
        caixa_t(7, "02", 99, 10000),  # not one of this account's boletos
        u("104", 8, "02"),
        caixa_t(9, "06", 8, 70000)[:200],  # cut short
        u("104", 10, "06", paid=70000),
        caixa_t(11, "06", 8, 70000).replace("000000000070000", "0000000007O000"[:15].ljust(15)),
        u("104", 12, "06", paid=70000),
        *trailers("104", 14),
    ]
    result = parse_retorno("\r\n".join(lines).encode("latin-1"), known=known)
    assert (result.bank_code, result.file_number, result.generated_on) == (
        "104", 12, date(2026, 11, 29),
    )  # fmt: skip
    rows = {row.nosso_numero: row for row in result.rows}
    assert set(rows) == {"14000000000000006", "14000000000000004", "14000000000000005"}
    registered = rows["14000000000000006"]
    assert (registered.status, registered.movement_label, registered.value) == (
        cnab_codes.REGISTERED, "Entrada confirmada", Decimal("500.00"),
    )  # fmt: skip
    assert registered.amount_paid is None and registered.line_number == 3
    paid = rows["14000000000000004"]
    assert paid.status == cnab_codes.PAID
    assert (paid.amount_paid, paid.interest, paid.fees) == (
        Decimal("301.20"), Decimal("1.20"), Decimal("2.50"),
    )  # fmt: skip
    assert (paid.occurred_on, paid.credited_on) == (date(2026, 11, 10), date(2026, 11, 11))
    rejected = rows["14000000000000005"]
    assert rejected.status == cnab_codes.REJECTED
    assert [(r.code, r.text) for r in rejected.reasons] == [
        ("08", "Nosso Número Inválido"), ("48", "CEP Inválido"),
    ]  # fmt: skip
    problems = [(p.line_number, p.code) for p in result.problems]
    assert problems == [(9, "unknown"), (11, "length"), (13, "field")]
    messages = {p.line_number: p.message for p in result.problems}
    assert messages[9] == (
        "Linha 9: o nosso número 14000000000000099 não é de um boleto desta conta."
    )
    assert "tem 240 caracteres; esta tem 200" in messages[11]
    assert "posições 82-96" in messages[13]


def santander_t(seq, movement, nosso12, dv, value, fees=0, reasons=""):
    return record("033", 1, "3", (9, 13, seq), (14, 14, "T"), (16, 17, movement),
                  (18, 21, 1234), (22, 22, "5"), (23, 31, 12345678), (32, 32, "9"),
                  (41, 52, nosso12), (53, 53, dv), (54, 54, "5"), (55, 69, "P000123-2"),
                  (70, 77, "27012027"), (78, 92, value), (93, 95, 33), (194, 208, fees),
                  (209, 218, reasons))  # fmt: skip


def test_santander_retorno_rows_and_problems():
    lines = [
        header("033"),
        record("033", 1, "1", (9, 9, "T")),
        santander_t(1, "06", 7, "8", 25010, fees=195, reasons="04"),
        u("033", 2, "06", paid=25010, occurred="27012027", credited="28012027"),
        santander_t(3, "09", 6, "0", 50000, reasons="10"),
        u("033", 4, "09"),
        santander_t(5, "02", 123, "4", 1000),
        u("033", 6, "02"),
        u("033", 7, "02"),  # a U with no T before it
        "lixo",
        *trailers("033", 9),
    ]
    result = parse_retorno("\n".join(lines) + "\n", known=lambda n: int(n) in (6, 7))
    assert [(r.nosso_numero, r.status) for r in result.rows] == [
        ("000000000007", cnab_codes.PAID),
        ("000000000006", cnab_codes.WRITTEN_OFF),
    ]
    paid, written_off = result.rows
    assert (paid.amount_paid, paid.fees, paid.credited_on) == (
        Decimal("250.10"), Decimal("1.95"), date(2027, 1, 28),
    )  # fmt: skip
    assert [(r.code, r.text) for r in paid.reasons] == [("04", "Compensação eletrônica")]
    assert [r.text for r in written_off.reasons] == ["Comandada cliente arquivo"]
    assert [(p.line_number, p.code) for p in result.problems] == [
        (7, "unknown"), (9, "orphan_u"), (10, "length"),
    ]  # fmt: skip


def test_retorno_never_raises_on_garbage():
    assert [p.code for p in parse_retorno(b"").problems] == ["empty"]
    assert [p.code for p in parse_retorno(b"\xff\xfe" * 200).problems] == ["length", "header"]
    other_bank = record("748", 0, "0", (143, 143, "2"))
    assert [p.code for p in parse_retorno(other_bank).problems] == ["bank"]
    remessa = build_remessa(CAIXA, titles(CAIXA), 1, AT)
    assert [p.code for p in parse_retorno(remessa).problems] == ["not_retorno"]
    no_header = record("104", 1, "1")
    assert [p.code for p in parse_retorno(no_header).problems] == ["header"]
