"""Payment codes (portal.billing.codes): the FEBRABAN rules on the public vectors, the due-date
factor across the 2025-02-22 restart, utility bills, and what a typo is told."""

from datetime import date
from decimal import Decimal

import pytest

from portal.billing import codes

from .conftest import ARRECADACAO, INVALID, VALID, assert_due_date, vector_id

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("vector", VALID, ids=vector_id)
def test_valid_vectors_round_trip_with_value_bank_and_factor(babel_pt_br, vector):
    expected_linha = codes.clean(vector["linha_digitavel"])
    for typed in (vector["barcode"], vector["linha_digitavel"], expected_linha):
        code = codes.parse(typed, today=TODAY)
        assert code.kind == codes.KIND_BOLETO
        assert code.barcode == vector["barcode"]
        assert code.linha_digitavel == expected_linha
        assert code.bank_code == vector["bank"][:3]
        assert code.value == Decimal(vector["value_cents"]) / 100
        assert code.due_factor == codes.due_factor(date.fromisoformat(vector["due_date"]))
        assert_due_date(code.due_date.isoformat(), vector, TODAY)


@pytest.mark.parametrize("vector", INVALID, ids=vector_id)
def test_invalid_vectors_name_the_failing_check_digit(babel_pt_br, vector):
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(vector["linha_digitavel"], today=TODAY)
    assert caught.value.check_digit == "field-1"
    assert caught.value.code == "check_digit_field_1"
    assert caught.value.message.startswith("o dígito verificador do campo 1 não confere")
    assert "esperado 9, informado 2" in caught.value.message
    # The field DVs are not in the barcode: the barcode rearranged from the bad linha checks,
    # and its own linha carries the right field-1 DV.
    fixed = codes.parse(vector["barcode"], today=TODAY)
    assert fixed.formatted_linha.startswith("00190.00009 ")


def test_new_cycle_factors_around_the_restart(babel_pt_br):
    assert codes.due_factor(date(2025, 2, 21)) == 9999
    assert codes.due_factor(date(2025, 2, 22)) == 1000
    assert codes.due_factor(date(2025, 2, 23)) == 1001
    assert codes.due_factor(date(2049, 10, 13)) == 9999
    assert codes.due_factor(date(2000, 7, 3)) == 1000
    assert codes.due_factor(date(1997, 10, 8)) == 1
    assert codes.due_factor(None) == 0
    assert codes.factor_date(1000, TODAY) == date(2025, 2, 22)
    assert codes.factor_date(9999, TODAY) == date(2025, 2, 21)
    assert codes.factor_date(0, TODAY) is None


def test_the_window_decides_between_cycles():
    # 8981: 2022-05-10 or 2046-12-30 (boleto-utils' test); today 2026 keeps 2022.
    assert codes.factor_date(8981, date(2026, 11, 28)) == date(2022, 5, 10)
    # 3,000 days before today is still in; one day more is the next cycle.
    today = date(2030, 1, 1)
    in_window = date.fromordinal(today.toordinal() - 3000)
    factor = codes.due_factor(in_window)
    assert codes.factor_date(factor, today) == in_window
    # In the 500-day gap between windows, the nearer one wins: 3,001 days ago is 1 day out
    # (the next cycle, 5,999 days ahead, is 499 out); 3,300 days ago is 300 out (next: 200).
    just_out = date.fromordinal(today.toordinal() - 3001)
    assert codes.factor_date(codes.due_factor(just_out), today) == just_out
    far = date.fromordinal(today.toordinal() - 3300)
    next_cycle = date.fromordinal(far.toordinal() + 9000)
    assert codes.factor_date(codes.due_factor(far), today) == next_cycle
    # 5,500 days after today is in.
    ahead = date.fromordinal(today.toordinal() + 5500)
    assert codes.factor_date(codes.due_factor(ahead), today) == ahead


def test_value_zero_and_factor_zero_mean_variable_and_no_due_date(babel_pt_br):
    # boleto-utils' credit-card bill: factor 0000, value zero.
    code = codes.parse("23797000000000000004150090019801673500021140", today=TODAY)
    assert code.value is None and code.due_date is None and code.due_factor == 0
    assert code.linha_digitavel == "23794150099001980167035000211405700000000000000"
    assert code.to_json_dict()["value"] is None


def test_formatted_linha_in_groups(babel_pt_br):
    code = codes.parse("34191719500000600001090022335021234567890000", today=TODAY)
    assert code.formatted_linha == "34191.09008 22335.021238 45678.900007 1 71950000060000"
    assert code.to_json_dict()["value"] == "600.00"


@pytest.mark.parametrize(("barcode", "linha", "value"), ARRECADACAO)
def test_utility_bills_are_arrecadacao_not_invalid(babel_pt_br, barcode, linha, value):
    for typed in (barcode, linha, " ".join(linha[i : i + 12] for i in range(0, 48, 12))):
        code = codes.parse(typed)
        assert code.kind == codes.KIND_ARRECADACAO
        assert code.barcode == barcode and code.linha_digitavel == linha
        assert code.value == Decimal(value)
        assert code.bank_code is None and code.due_date is None
    assert codes.parse(linha).formatted_linha.split()[0] == f"{linha[:11]}-{linha[11]}"


def test_utility_bill_typo_names_its_block(babel_pt_br):
    linha = ARRECADACAO[1][1]  # module 11 (third digit 8)
    typo = linha[:14] + str((int(linha[14]) + 1) % 10) + linha[15:]
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(typo)
    assert caught.value.check_digit == "block-2"
    assert "bloco 2" in caught.value.message
    barcode = ARRECADACAO[0][0]
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(barcode[:3] + str((int(barcode[3]) + 1) % 10) + barcode[4:])
    assert caught.value.check_digit == "general"


@pytest.mark.parametrize(("position", "field"), [(12, "field-2"), (25, "field-3")])
def test_a_typo_in_a_field_names_that_field(babel_pt_br, position, field):
    linha = codes.clean(VALID[0]["linha_digitavel"])
    typo = linha[:position] + str((int(linha[position]) + 1) % 10) + linha[position + 1 :]
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(typo)
    assert caught.value.check_digit == field
    assert f"campo {field[-1]}" in caught.value.message


def test_general_check_digit(babel_pt_br):
    barcode = VALID[0]["barcode"]
    wrong = barcode[:4] + "5" + barcode[5:]
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(wrong)
    assert caught.value.check_digit == "general"
    assert caught.value.message.startswith("o dígito verificador geral")
    linha = codes.clean(VALID[0]["linha_digitavel"])
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(linha[:32] + "5" + linha[33:])
    assert caught.value.check_digit == "general"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Digite a linha digitável"),
        ("3419A.09008", "só dígitos"),
        ("1234", "este tem 4"),
        ("1" * 48, "começa com 8"),
        ("٣٤١٩١٠٩٠٠٨", "só dígitos"),
    ],
)
def test_malformed_input_is_told_plainly(babel_pt_br, typed, words):
    with pytest.raises(codes.InvalidCode) as caught:
        codes.parse(typed)
    assert words in caught.value.message
    assert caught.value.check_digit is None


def test_building_a_boleto_from_its_parts(babel_pt_br):
    # brazilian-utils' new-cycle vector: factor 1000 = 2025-02-22.
    code = codes.boleto("001", date(2025, 2, 22), Decimal("1026.56"), "0000001149718606852452211")
    assert code.barcode == "00192100000001026560000001149718606852452211"
    assert code.formatted_linha == "00190.00009 01149.718601 68524.522114 2 10000000102656"
    assert code.due_date == date(2025, 2, 22)
    with pytest.raises(codes.DomainError):
        codes.boleto("001", date(2025, 2, 22), Decimal("0.001"), "0" * 25)
    with pytest.raises(codes.DomainError):
        codes.boleto("001", date(2025, 2, 22), Decimal("100000000.00"), "0" * 25)
