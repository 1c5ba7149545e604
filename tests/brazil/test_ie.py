"""Inscrição Estadual: what the indicator asks of it."""

import pytest

from portal.brazil.ie import CONTRIBUTOR, EXEMPT, NON_CONTRIBUTOR, normalize_state_registration
from portal.errors import DomainError


def test_state_registration_follows_its_indicator():
    assert normalize_state_registration("110.042.490.114", CONTRIBUTOR) == "110042490114"
    assert normalize_state_registration("110042490114", EXEMPT) is None
    assert normalize_state_registration("", NON_CONTRIBUTOR) is None
    assert normalize_state_registration("ab-12", NON_CONTRIBUTOR) == "AB12"
    with pytest.raises(DomainError, match="precisa da Inscrição Estadual"):
        normalize_state_registration("", CONTRIBUTOR)


@pytest.mark.parametrize("typed", ["1", "1" * 15, "12*34"])
def test_state_registration_of_wrong_shape_is_refused(typed):
    with pytest.raises(DomainError, match="de 2 a 14 letras ou números") as error:
        normalize_state_registration(typed, CONTRIBUTOR)
    assert error.value.field == "state_registration"


def test_unknown_indicator_is_refused_on_its_own_field():
    with pytest.raises(DomainError, match="indicador da Inscrição Estadual") as error:
        normalize_state_registration("110042490114", "talvez")
    assert error.value.field == "ie_indicator"
