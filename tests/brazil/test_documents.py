"""CPF and CNPJ as every form, the API and Sefaz take them: what passes, what is refused, masks."""

import pytest

from portal.brazil import documents
from portal.brazil.documents import (
    check_document_matches_kind,
    format_document,
    is_valid_cnpj,
    is_valid_cpf,
    kind_of,
    normalize_document,
    unmask,
)
from portal.errors import DomainError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("529.982.247-25", "52998224725"),
        ("52998224725", "52998224725"),
        (" 529 982 247 25 ", "52998224725"),
        ("11.222.333/0001-81", "11222333000181"),
        ("00.000.000/0001-91", "00000000000191"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35"),  # alphanumeric CNPJ (2026)
        ("12abc34501de35", "12ABC34501DE35"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
    ],
)
def test_valid_documents_are_stored_without_mask(typed, stored):
    assert normalize_document(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("191", "você digitou 3"),  # validate-docbr would pad this into a "valid" CPF
        ("1.91", "você digitou 3"),
        ("0000000191", "você digitou 10"),
        ("529.982.247-24", "CPF inválido"),
        ("111.111.111-11", "CPF inválido"),
        ("11.222.333/0001-82", "CNPJ inválido"),
        ("00.000.000/0000-00", "CNPJ inválido"),
        ("12.ABC.345/01DE-36", "CNPJ inválido"),
        ("12.ABC.345/01DE-3A", "2 dígitos verificadores"),
        ("12ABC34501DEA5", "2 dígitos verificadores"),
        ("12AB*34501DE35", "2 dígitos verificadores"),
        ("5299822472X", "só números"),
        ("1234567890123456", "você digitou 16"),
    ],
)
def test_invalid_documents_say_what_is_wrong(typed, message):
    with pytest.raises(DomainError) as error:
        normalize_document(typed)
    assert message in error.value.message
    assert error.value.field == "document"


def test_the_field_named_is_the_one_given():
    with pytest.raises(DomainError) as error:
        normalize_document("191", field="cpf")
    assert error.value.field == "cpf"


@pytest.mark.parametrize("typed", [None, "", "  ", " . / - "])
def test_empty_document_is_allowed_and_stored_as_none(typed):
    assert normalize_document(typed) is None


def test_check_digits_of_alphanumeric_cnpj_and_cpf():
    assert is_valid_cnpj("12ABC34501DE35") and is_valid_cnpj("12.abc.345/01de-35")
    assert not is_valid_cnpj("12ABC34501DE53") and not is_valid_cnpj("12ABC34501DEA5")
    assert is_valid_cpf("52998224725") and not is_valid_cpf("52998224726")


@pytest.mark.parametrize(
    ("typed", "cpf", "cnpj"),
    [
        ("529.982.247-25", True, False),
        ("11.222.333/0001-81", False, True),
        ("12ABC34501DE35", False, True),
        ("191", False, False),  # short input: validate-docbr alone says True
        ("00000000191", True, False),  # the same CPF with its zeros typed
        ("22333000181", False, False),  # a CNPJ without its leading digits
        ("52998224725" + "000", False, False),
        ("", False, False),
        (None, False, False),
        ("111.111.111-11", False, False),
        ("00000000000000", False, False),
    ],
)
def test_yes_no_checks_apply_the_length_guard(typed, cpf, cnpj):
    assert is_valid_cpf(typed) is cpf
    assert is_valid_cnpj(typed) is cnpj


def test_unmask_removes_the_mask_and_upper_cases():
    assert unmask(" 12.abc.345/01de-35 ") == "12ABC34501DE35"
    assert unmask(None) == ""


def test_document_must_match_person_kind():
    with pytest.raises(DomainError, match="Pessoa Física usa CPF"):
        check_document_matches_kind("11222333000181", documents.PERSON)
    with pytest.raises(DomainError, match="Pessoa Jurídica usa CNPJ"):
        check_document_matches_kind("52998224725", documents.COMPANY)
    check_document_matches_kind("52998224725", "PF")
    check_document_matches_kind("12ABC34501DE35", "PJ")
    check_document_matches_kind(None, "PJ")


def test_kind_follows_the_document():
    assert kind_of("52998224725") == "PF"
    assert kind_of("12ABC34501DE35") == "PJ"
    assert kind_of("191") is None and kind_of(None) is None


def test_documents_are_shown_with_the_brazilian_mask():
    assert format_document("52998224725") == "529.982.247-25"
    assert format_document("11222333000181") == "11.222.333/0001-81"
    assert format_document("12ABC34501DE35") == "12.ABC.345/01DE-35"
    assert format_document(None) == "" and format_document("") == ""
    assert format_document("191") == "191"


def test_masked_documents_read_back_to_the_stored_form():
    for stored in ("52998224725", "11222333000181", "12ABC34501DE35"):
        assert normalize_document(format_document(stored)) == stored
