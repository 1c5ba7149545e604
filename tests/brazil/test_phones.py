"""Phones: stored in E.164, shown in the Brazilian national format."""

import pytest

from portal.brazil.phones import format_phone, normalize_phone
from portal.errors import DomainError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11987654321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("(21) 3456-7890", "+552134567890"),
        ("+351 912 345 678", "+351912345678"),
    ],
)
def test_phones_are_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12", "Telefone inválido"),
        ("abc", "Telefone inválido"),
        ("(00) 98765-4321", "Telefone inválido"),
        ("1" * 31, "longo demais"),
        ("", "Informe o número"),
        (None, "Informe o número"),
    ],
)
def test_bad_phones_are_refused(typed, message):
    with pytest.raises(DomainError, match=message) as error:
        normalize_phone(typed)
    assert error.value.field == "number"


def test_phones_are_shown_nationally_or_internationally():
    assert format_phone("+5511987654321") == "(11) 98765-4321"
    assert format_phone("+552134567890") == "(21) 3456-7890"
    assert format_phone("+351912345678") == "+351 912 345 678"
    assert format_phone(None) == "" and format_phone("") == ""
    assert format_phone("não é número") == "não é número"
