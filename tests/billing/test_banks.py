"""The six banks' free fields and nosso números against published examples.

Sources (values read from them; no code taken):
- BN: BoletoNet/boleto2net@09ca20ae023ed378a2afd8591ad53be8103d1e4f, Boleto2.Net.Testes/
  (NUnit TestCases: value, nosso número, expected nosso número formatted, barcode, linha,
  due date; accounts from each file's constructor).
- BR: kivanio/brcobranca@325e0eae69ad298477b935a441a22c61c7556f31, spec/brcobranca/boleto/.
- Manuals: Banco do Brasil "Especificações Técnicas para Confecção de Boleto de Cobrança"
  (Jan/2016, anexos V and XI); Caixa "Especificação do Código de Barras para Boletos de
  Cobrança — SIGCB" (MO 67.119 v009, Jan/2016, anexos V and VI); Santander "Layout de Código
  de Barras" (Jan/2015) and "Layout Padrão 240" v2.5 (note 15).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.billing import codes
from portal.billing.banks import BANKS, Account, banco_do_brasil, bank_for, caixa, issue, santander
from portal.errors import DomainError

D = Decimal

# (account, sequence, due date, value, nosso número formatted, barcode, linha)
ITAU_109 = Account("341", agencia="1234", conta="56789", conta_dv="0", carteira="109")
BRADESCO_02 = Account("237", agencia="1234", conta="123456", carteira="02")
BB_11 = Account("001", agencia="1234", conta="12345", carteira="11", convenio="1234567")
CAIXA_SIG14 = Account("104", agencia="1234", conta="123456", carteira="SIG14", convenio="123456")
SANTANDER_101 = Account("033", agencia="1234", conta="12345678", carteira="101", convenio="1234567")
SICOOB_1_01 = Account(
    "756", agencia="4277", conta="6498", carteira="1", convenio="17227", convenio_dv="8",
    modalidade="01",
)  # fmt: skip

CASES = {
    "itau": (  # BN BancoItauCarteira109Tests.cs
        (ITAU_109, 223350, date(2017, 6, 19), D("600.00"), "109/00223350-2",
         "34191719500000600001090022335021234567890000",
         "34191.09008 22335.021238 45678.900007 1 71950000060000"),
        (ITAU_109, 223352, date(2017, 6, 19), D("800.08"), "109/00223352-8",
         "34192719500000800081090022335281234567890000",
         "34191.09008 22335.281238 45678.900007 2 71950000080008"),
        (ITAU_109, 223346, date(2017, 7, 19), D("200.00"), "109/00223346-0",
         "34194722500000200001090022334601234567890000",
         "34191.09008 22334.601238 45678.900007 4 72250000020000"),
        (ITAU_109, 223347, date(2017, 8, 19), D("300.00"), "109/00223347-8",
         "34199725600000300001090022334781234567890000",
         "34191.09008 22334.781238 45678.900007 9 72560000030000"),
        # BR itau_spec.rb, carteira 109, after the factor restart (the account DV computed).
        (Account("341", agencia="1248", conta="02124", carteira="109"), 10152,
         date(2029, 5, 20), D("6757.87"), "109/00010152-7",
         "34194254800006757871090001015271248021246000",
         "34191.09008 01015.271248 80212.460002 4 25480000675787"),
    ),
    "bradesco": (  # BN BancoBradescoCarteira02Tests.cs
        (BRADESCO_02, 125, date(2022, 3, 2), D("25387.72"), "02/00000000125-P",
         "23799891200025387721234020000000012501234560",
         "23791.23405 20000.000016 25012.345606 9 89120002538772"),
        (BRADESCO_02, 4, date(2022, 3, 2), D("2830.68"), "02/00000000004-0",
         "23792891200002830681234020000000000401234560",
         "23791.23405 20000.000008 04012.345601 2 89120000283068"),
        (BRADESCO_02, 124, date(2022, 2, 16), D("25387.73"), "02/00000000124-1",
         "23793889800025387731234020000000012401234560",
         "23791.23405 20000.000016 24012.345609 3 88980002538773"),
        (BRADESCO_02, 126, date(2022, 2, 23), D("25387.73"), "02/00000000126-8",
         "23796890500025387731234020000000012601234560",
         "23791.23405 20000.000016 26012.345604 6 89050002538773"),
        # BR bradesco_spec.rb, carteira 06.
        (Account("237", agencia="1172", conta="0403005", carteira="06"), 75896452,
         date(1997, 10, 7) + timedelta(days=4223), D("2952.95"), "06/00075896452-5",
         "23795422300002952951172060007589645204030050", None),
    ),
    "banco_do_brasil": (  # BN BancoBrasilCarteira11_019Tests.cs (convênio of 7 digits)
        (BB_11, 1, date(2019, 2, 28), D("800"), "12345670000000001",
         "00191781400000800000000001234567000000000111",
         "00190.00009 01234.567004 00000.001115 1 78140000080000"),
        (BB_11, 3, date(2022, 5, 28), D("500"), "12345670000000003",
         "00192899900000500000000001234567000000000311",
         "00190.00009 01234.567004 00000.003111 2 89990000050000"),
        (BB_11, 321, date(2018, 1, 2), D("804"), "12345670000000321",
         "00194739200000804000000001234567000000032111",
         "00190.00009 01234.567004 00000.321117 4 73920000080400"),
        (BB_11, 9999999901, date(2019, 3, 10), D("791"), "12345679999999901",
         "00198782400000791000000001234567999999990111",
         "00190.00009 01234.567996 99999.901111 8 78240000079100"),
        # BB manual, anexo V (barcode) and XI (nosso número 05009401448-1): convênio 6.
        (Account("001", agencia="1606", conta="6809350", carteira="31", convenio="050094"),
         1448, date(2007, 12, 31), D("1.00"), "05009401448-1",
         "00193373700000001000500940144816060680935031",
         "00190.50095 40144.816069 06809.350314 3 37370000000100"),
        # BR banco_brasil_spec.rb, convênio of 6 digits, nosso número of 5.
        (Account("001", agencia="4042", conta="61900", carteira="18", convenio="123879"),
         1234, date(2008, 2, 1), D("135.00"), None,
         "00192376900000135001238790123440420006190018",
         "00191.23876 90123.440423 00061.900189 2 37690000013500"),
    ),
    "caixa": (  # BN BancoCaixaCarteiraSig14Tests.cs
        (CAIXA_SIG14, 6, date(2017, 1, 5), D("500"), "14000000000000006-5",
         "10491703000000500001234560000100040000000064",
         "10491.23456 60000.100044 00000.000646 1 70300000050000"),
        (CAIXA_SIG14, 4, date(2016, 11, 10), D("300"), "14000000000000004-9",
         "10492697400000300001234560000100040000000048",
         "10491.23456 60000.100044 00000.000489 2 69740000030000"),
        (CAIXA_SIG14, 9, date(2017, 3, 31), D("800"), "14000000000000009-0",
         "10497711500000800001234560000100040000000099",
         "10491.23456 60000.100044 00000.000992 7 71150000080000"),
        # Caixa manual, anexo V: beneficiário 005507 (DV 7, anexo VI), nosso número
        # 14 222 333 777777777, factor 3242, R$ 321,12.
        (Account("104", agencia="1", conta="1", carteira="14", convenio="005507"),
         222333777777777, date(1997, 10, 7) + timedelta(days=3242), D("321.12"), None,
         None, "10490.05505 77222.133348 77777.777713 4 32420000032112"),
    ),
    "santander": (  # BN BancoSantanderCarteira101Tests.cs
        (SANTANDER_101, 456, date(2016, 10, 1), D("2717.16"), "000000000456-1",
         "03391693400002717169123456700000000045610101",
         "03399.12347 56700.000005 00456.101013 1 69340000271716"),
        (SANTANDER_101, 414, date(2016, 8, 1), D("649.32"), "000000000414-6",
         "03392687300000649329123456700000000041460101",
         "03399.12347 56700.000005 00414.601013 2 68730000064932"),
        (SANTANDER_101, 13724, date(2016, 9, 2), D("297.46"), "000000013724-3",
         "03394690500000297469123456700000001372430101",
         "03399.12347 56700.000005 13724.301018 4 69050000029746"),
        # BR santander_spec.rb, carteira 102.
        (Account("033", agencia="0059", conta="1", carteira="102", convenio="1899775"),
         9000026, date(2011, 10, 9), D("25.00"), "000009000026-9",
         "03399511500000025009189977500000900002690102",
         "03399.18997 77500.000904 00026.901025 9 51150000002500"),
        # Santander barcode manual (2015): PSK 0282033, nosso número 566612457800-2,
        # factor 2046, R$ 273,71; its worked DV (sum 698, DV 6) uses carteira 102.
        (Account("033", agencia="1", conta="1", carteira="102", convenio="0282033"),
         566612457800, date(1997, 10, 7) + timedelta(days=2046), D("273.71"),
         "566612457800-2", "03396204600000273719028203356661245780020102", None),
    ),
    "sicoob": (  # BN BancoSicoobCarteira1_01Tests.cs
        (SICOOB_1_01, 4, date(2016, 11, 10), D("300"), "0000004-0",
         "75691697400000300001427701017227800000040001",
         "75691.42776 01017.227800 00000.400010 1 69740000030000"),
        (SICOOB_1_01, 3, date(2017, 3, 27), D("300"), "0000003-3",
         "75692711100000300001427701017227800000033001",
         "75691.42776 01017.227800 00000.330019 2 71110000030000"),
        (SICOOB_1_01, 6, date(2017, 1, 5), D("500"), "0000006-5",
         "75694703000000500001427701017227800000065001",
         "75691.42776 01017.227800 00000.650010 4 70300000050000"),
        (SICOOB_1_01, 12349, date(2016, 12, 28), D("4011.24"), "0012349-2",
         "75697702200004011241427701017227800123492001",
         "75691.42776 01017.227800 01234.920013 7 70220000401124"),
        (SICOOB_1_01, 5, date(2016, 12, 8), D("409"), "0000005-8",
         "75699700200000409001427701017227800000058001",
         "75691.42776 01017.227800 00000.580019 9 70020000040900"),
    ),
}  # fmt: skip

ALL = [(bank, case) for bank, cases in CASES.items() for case in cases]


def test_the_six_banks_are_there():
    assert {code: bank.name for code, bank in BANKS.items()} == {
        "001": "Banco do Brasil",
        "341": "Itaú",
        "237": "Bradesco",
        "104": "Caixa",
        "033": "Santander",
        "756": "Sicoob",
    }
    assert set(CASES) == {"itau", "bradesco", "banco_do_brasil", "caixa", "santander", "sicoob"}


@pytest.mark.parametrize(("bank", "case"), ALL, ids=[f"{bank}-{case[1]}" for bank, case in ALL])
def test_issued_boleto_matches_the_published_example(babel_pt_br, bank, case):
    account, sequence, due, value, nosso, barcode, linha = case
    boleto = issue(account, sequence, due, value)
    if nosso is not None:
        assert boleto.nosso_numero.formatted == nosso
    if barcode is not None:
        assert boleto.code.barcode == barcode
    if linha is not None:
        assert boleto.code.formatted_linha == linha
    assert boleto.code.due_date == due and boleto.code.value == value
    # what was issued reads back as the same boleto
    again = codes.parse(boleto.code.linha_digitavel, today=due)
    assert (again.barcode, again.value, again.due_date) == (boleto.code.barcode, value, due)


def test_published_check_digit_examples(babel_pt_br):
    # BB manual, anexo XI: 05009401448 -> 1 (weights 9..2 from the right).
    assert banco_do_brasil.nosso_numero_dv("05009401448") == "1"
    # Caixa manual, anexo VI: código do beneficiário 005507 -> 7.
    assert caixa.caixa_dv("005507") == "7"
    # Santander "Layout Padrão 240" note 15: 3147578 -> 7, 4870184 -> 0 (remainder 1);
    # BR santander_spec.rb: 566612457800 -> 2, 90002720 -> 7, 1961005 -> 0.
    for number, dv in (("3147578", "7"), ("4870184", "0"), ("566612457800", "2"),
                       ("90002720", "7"), ("1961005", "0")):  # fmt: skip
        assert santander.nosso_numero_dv(number) == dv


def test_new_cycle_issue_for_every_bank(babel_pt_br):
    """The same numbers issued after the restart carry factor 1000 + days since 2025-02-22."""
    for bank, cases in CASES.items():
        account, sequence, _due, value, _nosso, _barcode, _linha = cases[0]
        boleto = issue(account, sequence, date(2026, 3, 1), value)
        assert boleto.code.due_factor == 1000 + (date(2026, 3, 1) - date(2025, 2, 22)).days, bank
        assert codes.parse(boleto.code.barcode, today=date(2026, 1, 1)).due_date == date(2026, 3, 1)


def test_wrong_account_data_is_a_domain_error(babel_pt_br):
    with pytest.raises(DomainError) as caught:
        bank_for("999")
    assert "001 Banco do Brasil" in caught.value.message
    with pytest.raises(DomainError) as caught:
        issue(Account("001", agencia="1", conta="1", carteira="17", convenio="12345"), 1,
              date(2026, 1, 1), D("1"))  # fmt: skip
    assert "4, 6 ou 7 dígitos" in caught.value.message
    with pytest.raises(DomainError):
        issue(ITAU_109, 123456789, date(2026, 1, 1), D("1"))  # 9 digits: Itaú takes 8
    with pytest.raises(DomainError):
        issue(Account("341", agencia="1", conta="1", carteira="198"), 1, date(2026, 1, 1), D("1"))
