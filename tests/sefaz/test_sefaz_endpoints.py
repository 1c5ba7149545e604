import pytest

from portal.brazil.ufs import UFS
from portal.sefaz import SefazInvalidRequest, SefazNotConfigured, SefazSettings, endpoint_for
from portal.sefaz.endpoints import endpoint_table
from portal.sefaz.settings import ENVIRONMENTS

SVRS = "https://cad.svrs.rs.gov.br/ws/cadconsultacadastro/cadconsultacadastro4.asmx"


@pytest.mark.parametrize(
    ("uf", "environment", "url"),
    [
        ("SP", "producao", "https://nfe.fazenda.sp.gov.br/ws/cadconsultacadastro4.asmx"),
        (
            "sp ",
            "homologacao",
            "https://homologacao.nfe.fazenda.sp.gov.br/ws/cadconsultacadastro4.asmx",
        ),
        (
            "RS",
            "producao",
            "https://cad.sefazrs.rs.gov.br/ws/cadconsultacadastro/cadconsultacadastro4.asmx",
        ),
        ("SC", "producao", SVRS),
        ("AC", "producao", SVRS),
        (
            "BA",
            "homologacao",
            "https://hnfe.sefaz.ba.gov.br/webservices/CadConsultaCadastro4/CadConsultaCadastro4.asmx",
        ),
        ("MT", "producao", "https://nfe.sefaz.mt.gov.br/nfews/v2/services/CadConsultaCadastro4"),
    ],
)
def test_table(uf, environment, url):
    assert endpoint_for(uf, SefazSettings(environment=environment)) == url


@pytest.mark.parametrize(("uf", "environment"), [("AM", "producao"), ("BA", "producao")])
def test_uf_without_service(pt_br, uf, environment):
    with pytest.raises(SefazNotConfigured, match="UF sem serviço de consulta cadastral") as info:
        endpoint_for(uf, SefazSettings(environment=environment))
    assert info.value.code == "uf_sem_servico"


def test_invalid_uf(pt_br):
    with pytest.raises(SefazInvalidRequest, match="UF inválida") as info:
        endpoint_for("XX", SefazSettings(url_override="https://127.0.0.1:1/ws"))
    assert info.value.code == "uf_invalida"


def test_overrides_per_uf_then_for_every_uf():
    per_uf = SefazSettings(environment="producao", endpoint_overrides={"am": "https://am.example"})
    assert endpoint_for("AM", per_uf) == "https://am.example"
    assert endpoint_for("SC", per_uf) == SVRS
    everywhere = SefazSettings(
        endpoint_overrides={"AM": "https://am.example"}, url_override="https://fake.example/ws"
    )
    assert endpoint_for("AM", everywhere) == "https://fake.example/ws"
    assert endpoint_for("TO", everywhere) == "https://fake.example/ws"


def test_table_holds_only_real_ufs_environments_and_https_urls():
    table = endpoint_table()
    assert set(table) <= set(UFS)
    for urls in table.values():
        assert urls and set(urls) <= set(ENVIRONMENTS)
        assert all(url.startswith("https://") for url in urls.values())
