"""Sefaz takes exactly the CPF/CNPJ the back office takes: one rule set (portal.brazil)."""

import pytest

from portal.brazil.documents import kind_of, normalize_document
from portal.errors import DomainError
from portal.sefaz import SefazInvalidRequest
from portal.sefaz.documents import normalize_uf
from portal.sefaz.messages import NFE_NS, build_cons_cad

TYPED = [
    "529.982.247-25",
    "52998224725",
    " 529 982 247 25 ",
    "00000000191",
    "11.222.333/0001-81",
    "00.000.000/0001-91",
    "12.ABC.345/01DE-35",  # alphanumeric CNPJ (2026)
    "12abc34501de35",
    "191",  # short: validate-docbr alone would pad it into a valid CPF
    "529.982.247-24",
    "111.111.111-11",
    "11.222.333/0001-82",
    "00000000000000",
    "12ABC34501DE36",
    "12ABC34501DEA5",
    "5299822472X",
    "1234567890123456",
]


def _office(typed: str) -> str | None:
    try:
        return normalize_document(typed)
    except DomainError:
        return None


def _sefaz(**document: str) -> str | None:
    try:
        request = build_cons_cad("SP", **document)
    except SefazInvalidRequest:
        return None
    tag = {"cnpj": "CNPJ", "cpf": "CPF"}[next(iter(document))]
    return request.findtext(f"{{{NFE_NS}}}infCons/{{{NFE_NS}}}{tag}")


@pytest.mark.parametrize("typed", TYPED)
def test_sefaz_accepts_what_the_back_office_accepts(typed):
    stored = _office(typed)
    as_cpf, as_cnpj = _sefaz(cpf=typed), _sefaz(cnpj=typed)
    if stored is None:
        assert as_cpf is None and as_cnpj is None
    elif kind_of(stored) == "PF":
        assert (as_cpf, as_cnpj) == (stored, None)
    else:
        assert (as_cpf, as_cnpj) == (None, stored)


def test_alphanumeric_cnpj_is_consulted_unmasked():
    assert _sefaz(cnpj="12.abc.345/01de-35") == "12ABC34501DE35"


def test_uf_errors_keep_the_sefaz_code(pt_br):
    assert normalize_uf(" rs ") == "RS"
    with pytest.raises(SefazInvalidRequest) as info:
        normalize_uf("ZZ")
    assert info.value.code == "uf_invalida"
    assert info.value.reason == "UF inválida: 'ZZ'."
