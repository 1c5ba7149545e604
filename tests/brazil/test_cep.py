"""CEP: eight digits, typed with or without mask, shown as 01310-100."""

import pytest

from portal.brazil.cep import format_cep, is_valid_cep, normalize_cep
from portal.errors import DomainError


@pytest.mark.parametrize("typed", ["01310-100", "01310100", " 01.310-100 ", "01310 100"])
def test_cep_is_stored_as_eight_digits(typed):
    assert normalize_cep(typed) == "01310100"


@pytest.mark.parametrize("typed", ["1310-100", "013101000", "0131O-100", "01310/100"])
def test_cep_of_wrong_shape_is_refused(typed):
    with pytest.raises(DomainError, match="8 dígitos") as error:
        normalize_cep(typed)
    assert error.value.field == "cep"


@pytest.mark.parametrize("typed", [None, "", " - "])
def test_cep_is_required(typed):
    with pytest.raises(DomainError, match="Informe o CEP"):
        normalize_cep(typed)


def test_cep_is_shown_with_its_dash():
    assert format_cep("01310100") == "01310-100"
    assert format_cep(None) == "" and format_cep("123") == "123"
    assert is_valid_cep("01310100") and not is_valid_cep("0131010") and not is_valid_cep(None)
