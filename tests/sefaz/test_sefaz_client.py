"""consult() against the fake Sefaz: real HTTPS, mutual TLS, SOAP 1.2, no mocks."""

import dataclasses
import tempfile
import time

import pytest
import requests
import zeep

from portal.sefaz import (
    SefazNotConfigured,
    SefazRefused,
    SefazThrottled,
    SefazUnavailable,
    Verdict,
    consult,
)
from portal.sefaz.client import BINDING, call_consulta_cadastro
from portal.sefaz.messages import build_cons_cad
from portal.sefaz.tls import open_session

from .pki import KEY_PASSWORD, PFX_PASSWORD
from .scenarios import DOCUMENTS, SHARED_SEFAZ
from .soap_server import SOAP_ACTION, SoapServer


def _wait_for(condition, seconds: float = 2.0) -> bool:
    """The server records a refused handshake a moment after the client sees it."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_habilitado_and_the_request_the_server_received(sefaz_server, sefaz_settings):
    consultation = consult(sefaz_settings, "sp", cnpj="11.222.333/0001-81")
    assert consultation.verdict is Verdict.HABILITADO
    assert consultation.principal.razao_social == "COMERCIAL EXEMPLO DE UTILIDADES LTDA"
    assert "<xNome>COMERCIAL EXEMPLO DE UTILIDADES LTDA</xNome>" in consultation.raw_xml
    (received,) = sefaz_server.requests
    assert (received.uf, received.cnpj, received.cpf, received.ie) == (
        "SP",
        "11222333000181",
        None,
        None,
    )
    assert (received.x_serv, received.versao) == ("CONS-CAD", "2.00")
    assert received.content_type.startswith("application/soap+xml")
    assert received.soap_action == SOAP_ACTION
    assert received.client_subject == "LOJA EXEMPLO LTDA:11222333000181"


@pytest.mark.parametrize(
    ("scenario", "kwargs", "verdict", "count"),
    [
        ("varios", {}, Verdict.HABILITADO, 3),
        ("nao_habilitado", {}, Verdict.NAO_HABILITADO, 1),
        ("amostra_259", {}, Verdict.NAO_CADASTRADO, 0),
        ("nao_cadastrado", {}, Verdict.NAO_CADASTRADO, 0),
        ("habilitado", {}, Verdict.HABILITADO, 1),
        ("produtor_rural", {"cpf": DOCUMENTS["produtor_rural"]}, Verdict.HABILITADO, 1),
    ],
)
def test_answers(sefaz_settings, scenario, kwargs, verdict, count):
    consultation = consult(sefaz_settings, "SP", **(kwargs or {"cnpj": DOCUMENTS[scenario]}))
    assert consultation.verdict is verdict
    assert len(consultation.establishments) == count


def test_alphanumeric_cnpj_goes_out_upper_case(sefaz_server, sefaz_settings):
    consultation = consult(sefaz_settings, "SC", cnpj="12.abc.345/01de-35")
    assert consultation.principal.cnpj == "12ABC34501DE35"
    assert sefaz_server.requests[-1].cnpj == "12ABC34501DE35"


def test_route_a_document_to_another_scenario(sefaz_server, sefaz_settings):
    sefaz_server.route("11444777000161", "varios")
    assert consult(sefaz_settings, "SP", cnpj="11444777000161").c_stat == 112


def test_throttled_656(sefaz_settings):
    with pytest.raises(SefazThrottled) as info:
        consult(sefaz_settings, "SP", cnpj=DOCUMENTS["consumo_indevido"])
    assert info.value.c_stat == 656
    assert info.value.retry_after == sefaz_settings.backoff_seconds_after_656


@pytest.mark.parametrize(
    ("scenario", "c_stat", "x_motivo"),
    [
        ("erro_999", 999, "Rejeição: Erro não catalogado (banco de dados)"),
        ("cstat_desconhecido", 239, "Rejeição: Cabeçalho - Versão do arquivo XML não suportada"),
    ],
)
def test_refusals_keep_cstat_and_xmotivo(sefaz_settings, scenario, c_stat, x_motivo):
    with pytest.raises(SefazRefused) as info:
        consult(sefaz_settings, "SP", cnpj=DOCUMENTS[scenario])
    assert (info.value.c_stat, info.value.x_motivo) == (c_stat, x_motivo)
    assert f"<cStat>{c_stat}</cStat>" in info.value.raw_xml


@pytest.mark.parametrize(
    ("scenario", "code"),
    [
        ("fault", "soap_fault"),
        ("xml_quebrado", "resposta_invalida"),
        ("sem_retorno", "resposta_invalida"),
        ("http_500", "http"),
        ("http_503", "http"),
    ],
)
def test_unusable_answers_are_unavailable(sefaz_settings, scenario, code):
    with pytest.raises(SefazUnavailable) as info:
        consult(sefaz_settings, "SP", cnpj=DOCUMENTS[scenario])
    assert info.value.code == code


def test_hang_times_out(sefaz_settings):
    started = time.monotonic()
    with pytest.raises(SefazUnavailable) as info:
        consult(dataclasses.replace(sefaz_settings, timeout=0.5), "SP", cnpj=DOCUMENTS["lento"])
    assert info.value.code == "tempo_esgotado"
    assert time.monotonic() - started < 3


def test_pkcs12_with_password_leaves_no_key_on_disk(
    sefaz_pki, sefaz_server, sefaz_settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings = dataclasses.replace(
        sefaz_settings,
        cert_path=None,
        key_path=None,
        pfx_path=sefaz_pki.client_pfx,
        pfx_password=PFX_PASSWORD,
    )
    assert consult(settings, "SP", cnpj=DOCUMENTS["amostra_111"]).verdict is Verdict.HABILITADO
    assert sefaz_server.requests[-1].client_subject == "LOJA EXEMPLO LTDA:11222333000181"
    assert list(tmp_path.iterdir()) == []


def test_encrypted_pem_key(sefaz_pki, sefaz_settings):
    settings = dataclasses.replace(
        sefaz_settings, key_path=sefaz_pki.client_key_encrypted, key_password=KEY_PASSWORD
    )
    assert consult(settings, "SP", cnpj=DOCUMENTS["amostra_111"]).c_stat == 111


@pytest.mark.parametrize(
    "changes",
    [
        {"cert_path": None, "key_path": None},
        {"cert_path": None, "key_path": None, "pfx_path": "pfx", "pfx_password": "errada"},
        {"key_path": "encrypted", "key_password": "errada"},
        {"key_path": "encrypted", "key_password": None},  # must not prompt on the terminal
        {"cert_path": "expired", "key_path": "expired_key"},
        {"cert_path": "/nao/existe.pem"},
        {"ca_bundle": "/nao/existe.pem"},
    ],
)
def test_unusable_settings_never_reach_the_server(sefaz_pki, sefaz_server, sefaz_settings, changes):
    files = {
        "pfx": sefaz_pki.client_pfx,
        "encrypted": sefaz_pki.client_key_encrypted,
        "expired": sefaz_pki.expired_client_cert,
        "expired_key": sefaz_pki.expired_client_key,
    }
    changes = {key: files.get(value, value) for key, value in changes.items()}
    with pytest.raises(SefazNotConfigured):
        consult(dataclasses.replace(sefaz_settings, **changes), "SP", cnpj="11222333000181")
    assert sefaz_server.requests == []


def test_client_without_certificate_is_refused_at_handshake(sefaz_pki, sefaz_server):
    with requests.Session() as session:
        session.trust_env = False
        session.verify = str(sefaz_pki.ca_cert)
        cons_cad = build_cons_cad("SP", cnpj="11222333000181")
        with pytest.raises(SefazUnavailable) as info:
            call_consulta_cadastro(session, sefaz_server.url, cons_cad, timeout=2)
    assert info.value.code in {"tls", "conexao"}
    assert _wait_for(lambda: sefaz_server.tls_failures)
    assert sefaz_server.requests == []


def test_certificate_from_an_unknown_ca_is_refused(sefaz_pki, sefaz_server, sefaz_settings):
    settings = dataclasses.replace(
        sefaz_settings,
        cert_path=sefaz_pki.rogue_client_cert,
        key_path=sefaz_pki.rogue_client_key,
    )
    with pytest.raises(SefazUnavailable) as info:
        consult(settings, "SP", cnpj="11222333000181")
    assert info.value.code in {"tls", "conexao"}
    assert _wait_for(lambda: sefaz_server.tls_failures)


@pytest.mark.parametrize("trusted", ["other_ca_cert", None])
def test_server_not_trusted(sefaz_pki, sefaz_settings, trusted):
    ca_bundle = getattr(sefaz_pki, trusted) if trusted else None  # None: certifi bundle
    with pytest.raises(SefazUnavailable) as info:
        consult(
            dataclasses.replace(sefaz_settings, ca_bundle=ca_bundle), "SP", cnpj="11222333000181"
        )
    assert info.value.code == "tls"


def test_server_certificate_must_match_the_host(sefaz_pki, sefaz_settings):
    server = SoapServer(sefaz_pki, host="127.0.0.2")  # certificate names 127.0.0.1 only
    try:
        server.start()
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address here")
    try:
        with pytest.raises(SefazUnavailable) as info:
            consult(
                dataclasses.replace(sefaz_settings, url_override=server.url),
                "SP",
                cnpj="11222333000181",
            )
        assert info.value.code == "tls"
    finally:
        server.stop()


def test_ca_bundle_setting_wins_over_environment(sefaz_pki, sefaz_settings, monkeypatch):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setenv(name, str(sefaz_pki.other_ca_cert))
    assert consult(sefaz_settings, "SP", cnpj="11222333000181").c_stat == 111
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setenv(name, str(sefaz_pki.ca_cert))
    untrusting = dataclasses.replace(sefaz_settings, ca_bundle=sefaz_pki.other_ca_cert)
    with pytest.raises(SefazUnavailable):
        consult(untrusting, "SP", cnpj="11222333000181")


def test_stopped_server_then_restart_on_the_same_port(sefaz_pki, sefaz_settings):
    server = SoapServer(sefaz_pki).start()
    try:
        settings = dataclasses.replace(sefaz_settings, url_override=server.url)
        port = server.port
        server.stop()
        with pytest.raises(SefazUnavailable) as info:
            consult(settings, "SP", cnpj="11222333000181")
        assert info.value.code == "conexao"
        server.start()
        assert server.port == port
        assert consult(settings, "SP", cnpj="11222333000181").c_stat == 111
    finally:
        server.stop()


def test_server_speaks_only_soap_12(sefaz_pki, sefaz_server, sefaz_settings):
    body = (SHARED_SEFAZ / "consCad_request.xml").read_bytes()
    with open_session(sefaz_settings) as session:
        soap11 = session.post(
            sefaz_server.url, data=body, headers={"Content-Type": "text/xml"}, timeout=2
        )
        wrong_action = session.post(
            sefaz_server.url,
            data=body,
            headers={"Content-Type": 'application/soap+xml; action="urn:outra"'},
            timeout=2,
        )
    assert soap11.status_code == 415
    assert wrong_action.status_code == 400 and b"Fault" in wrong_action.content


def test_served_wsdl_loads_strictly_and_points_at_the_server(sefaz_server, sefaz_settings):
    with open_session(sefaz_settings) as session:
        client = zeep.Client(
            f"{sefaz_server.url}?wsdl",
            transport=zeep.Transport(session=session, timeout=2),
            settings=zeep.Settings(strict=True),
        )
        port = client.wsdl.services["CadConsultaCadastro4"].ports["CadConsultaCadastro4Soap12"]
    assert port.binding_options["address"] == sefaz_server.url
    assert port.binding.name.text == BINDING


def test_packaged_wsdl_is_the_shared_one():
    from importlib import resources

    packaged = resources.files("portal.sefaz").joinpath("wsdl", "CadConsultaCadastro4.wsdl")
    assert packaged.read_bytes() == (SHARED_SEFAZ / "CadConsultaCadastro4.wsdl").read_bytes()
