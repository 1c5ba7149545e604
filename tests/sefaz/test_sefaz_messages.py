from datetime import UTC, date, datetime, timedelta

import pytest
from lxml import etree

from portal.sefaz import (
    SefazInvalidRequest,
    SefazRefused,
    SefazThrottled,
    SefazUnavailable,
    Verdict,
)
from portal.sefaz.messages import NFE_NS, build_cons_cad, parse_ret_cons_cad

from .scenarios import SHARED_SEFAZ

NS = {"n": NFE_NS}


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def _ret(c_stat: int, *inf_cads: str, dh_cons: str = "2026-11-20T10:15:02-03:00") -> str:
    return (
        f'<retConsCad xmlns="{NFE_NS}" versao="2.00"><infCons><verAplic>T</verAplic>'
        f"<cStat>{c_stat}</cStat><xMotivo>Motivo {c_stat}</xMotivo><UF>RS</UF>"
        f"<CNPJ>11222333000181</CNPJ><dhCons>{dh_cons}</dhCons><cUF>43</cUF>"
        f"{''.join(inf_cads)}</infCons></retConsCad>"
    )


def _inf_cad(ie: str, c_sit: str) -> str:
    return (
        f"<infCad><IE>{ie}</IE><CNPJ>11222333000181</CNPJ><UF>RS</UF><cSit>{c_sit}</cSit>"
        f"<indCredNFe>2</indCredNFe><indCredCTe>4</indCredCTe><xNome>LOJA {ie}</xNome>"
        f"<dIniAtiv>data-errada</dIniAtiv></infCad>"
    )


def test_request_matches_the_shared_sample():
    parser = etree.XMLParser(remove_blank_text=True)
    sample = etree.parse(SHARED_SEFAZ / "consCad_request.xml", parser)
    expected = sample.find(".//n:ConsCad", NS)
    assert _c14n(build_cons_cad("sp", cnpj="11.222.333/0001-81")) == _c14n(expected)


@pytest.mark.parametrize(
    ("kwargs", "tag", "value"),
    [
        ({"cnpj": "12.abc.345/01de-35"}, "CNPJ", "12ABC34501DE35"),
        ({"cpf": "529.982.247-25"}, "CPF", "52998224725"),
        ({"ie": "110.042.490.114"}, "IE", "110042490114"),
    ],
)
def test_request_documents(kwargs, tag, value):
    cons_cad = build_cons_cad("RS", **kwargs)
    assert cons_cad.get("versao") == "2.00"
    assert cons_cad.findtext("n:infCons/n:xServ", namespaces=NS) == "CONS-CAD"
    assert cons_cad.findtext("n:infCons/n:UF", namespaces=NS) == "RS"
    assert cons_cad.findtext(f"n:infCons/n:{tag}", namespaces=NS) == value
    assert len(cons_cad.find("n:infCons", NS)) == 3


@pytest.mark.parametrize(
    ("uf", "kwargs", "code"),
    [
        ("SP", {}, "documento_invalido"),
        ("SP", {"cnpj": "11222333000181", "cpf": "52998224725"}, "documento_invalido"),
        ("SP", {"cnpj": "11222333000182"}, "documento_invalido"),
        ("SP", {"cnpj": "12ABC34501DE36"}, "documento_invalido"),
        ("SP", {"cnpj": "00000000000000"}, "documento_invalido"),
        ("SP", {"cpf": "111.111.111-11"}, "documento_invalido"),
        ("SP", {"ie": "ISENTO"}, "documento_invalido"),
        ("ZZ", {"cnpj": "11222333000181"}, "uf_invalida"),
    ],
)
def test_request_rejects_bad_input(uf, kwargs, code):
    with pytest.raises(SefazInvalidRequest) as info:
        build_cons_cad(uf, **kwargs)
    assert info.value.code == code


def test_parse_sample_111(pt_br):
    envelope = etree.parse(SHARED_SEFAZ / "retConsCad_111.xml").getroot()
    consultation = parse_ret_cons_cad(envelope.find(".//n:retConsCad", NS))
    assert consultation.c_stat == 111
    assert consultation.uf == "SP"
    assert consultation.consulted_at == datetime(2026, 11, 20, 13, 15, 2, tzinfo=UTC)
    assert consultation.verdict is Verdict.HABILITADO
    assert consultation.verdict.label == "Habilitado"
    (establishment,) = consultation.establishments
    assert establishment.situacao == "habilitado"
    assert establishment.razao_social == "COMERCIAL EXEMPLO DE UTILIDADES LTDA"
    assert establishment.regime == "NORMAL - REGIME PERIÓDICO DE APURAÇÃO"
    assert (establishment.ind_cred_nfe, establishment.ind_cred_cte) == (1, 4)
    assert establishment.inicio_atividade == date(2009, 3, 2)
    assert establishment.address == {
        "logradouro": "RUA DAS FLORES",
        "numero": "120",
        "complemento": "SALA 4",
        "bairro": "CENTRO",
        "codigo_municipio": "3550308",
        "municipio": "SAO PAULO",
        "cep": "01010000",
    }
    data = consultation.to_json_dict()
    assert data["cStat"] == 111 and data["situacao"] == "habilitado"
    assert data["razao_social"] == "COMERCIAL EXEMPLO DE UTILIDADES LTDA"
    assert (data["ie"], data["uf"]) == ("110042490114", "SP")
    assert data["estabelecimentos"][0]["endereco"]["cep"] == "01010000"
    # raw_xml is the retConsCad itself and parses back to the same answer.
    assert parse_ret_cons_cad(consultation.raw_xml).to_json_dict() == data


def test_parse_sample_259():
    envelope = etree.parse(SHARED_SEFAZ / "retConsCad_259.xml").getroot()
    consultation = parse_ret_cons_cad(envelope.find(".//n:retConsCad", NS))
    assert consultation.verdict is Verdict.NAO_CADASTRADO
    assert consultation.establishments == []
    assert consultation.to_json_dict()["razao_social"] is None
    consultation.raise_for_status(retry_after=60)  # an answer, not an error


def test_several_establishments_and_lenient_optional_fields(pt_br):
    consultation = parse_ret_cons_cad(_ret(112, _inf_cad("1", "0"), _inf_cad("2", "1")))
    assert consultation.verdict is Verdict.HABILITADO
    assert consultation.principal.ie == "2"
    assert consultation.establishments[0].inicio_atividade is None
    assert consultation.establishments[0].address["cep"] is None
    disabled = parse_ret_cons_cad(_ret(112, _inf_cad("1", "0"), _inf_cad("2", "0")))
    assert disabled.verdict is Verdict.NAO_HABILITADO
    assert disabled.principal.ie == "1"
    assert disabled.to_json_dict()["situacao_descricao"] == "Não habilitado"


def test_consultation_time():
    naive = parse_ret_cons_cad(_ret(259, dh_cons="2026-11-20T10:00:00"))
    assert naive.consulted_at == datetime(2026, 11, 20, 13, tzinfo=UTC)
    missing = parse_ret_cons_cad(_ret(259, dh_cons=""))
    assert abs(missing.consulted_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_status_656_and_refusals():
    with pytest.raises(SefazThrottled) as throttled:
        parse_ret_cons_cad(_ret(656)).raise_for_status(retry_after=3600)
    assert (throttled.value.c_stat, throttled.value.retry_after) == (656, 3600)
    for c_stat in (999, 215):
        consultation = parse_ret_cons_cad(_ret(c_stat))
        assert consultation.verdict is Verdict.NAO_VERIFICADO
        with pytest.raises(SefazRefused) as refused:
            consultation.raise_for_status(retry_after=3600)
        assert (refused.value.c_stat, refused.value.x_motivo) == (c_stat, f"Motivo {c_stat}")
        assert refused.value.to_json_dict()["situacao"] == "nao_verificado"


@pytest.mark.parametrize(
    "xml",
    [
        "<retConsCad",
        f'<ConsCad xmlns="{NFE_NS}"/>',
        f'<retConsCad xmlns="{NFE_NS}"/>',
        _ret(111),
        _ret(111, _inf_cad("1", "x")),
        _ret(111).replace("<cStat>111", "<cStat>um"),
        '<!DOCTYPE r [<!ENTITY e "x">]><retConsCad>&e;</retConsCad>',
    ],
)
def test_unusable_answers(xml):
    with pytest.raises(SefazUnavailable) as info:
        parse_ret_cons_cad(xml)
    assert info.value.code == "resposta_invalida"
