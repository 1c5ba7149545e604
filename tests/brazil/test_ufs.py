"""The 27 units of the federation, as the address form and Sefaz use them."""

import pytest

from portal.brazil.ufs import UF_NAMES, UFS, normalize_uf
from portal.errors import DomainError


def test_there_are_27_ufs_in_alphabetical_order_each_with_its_name():
    assert len(UFS) == 27 and list(UFS) == sorted(UFS)
    assert set(UFS) == set(UF_NAMES)
    assert UF_NAMES["SP"] == "São Paulo" and UF_NAMES["DF"] == "Distrito Federal"


@pytest.mark.parametrize(("typed", "stored"), [(" sp ", "SP"), ("rs", "RS"), ("DF", "DF")])
def test_ufs_are_stored_in_upper_case(typed, stored):
    assert normalize_uf(typed) == stored


@pytest.mark.parametrize("typed", ["XX", "", None, "São Paulo", "S P"])
def test_unknown_uf_is_refused(typed):
    with pytest.raises(DomainError, match="UF inválida") as error:
        normalize_uf(typed)
    assert error.value.field == "uf"
