"""The Sefaz consultation in the back office, over HTTP: button, save, badge, tab."""

import html
import re

import pytest
from sqlalchemy import event

from portal import db
from portal.clients.models import Address, Client
from portal.sefaz.models import SefazConsultation

from .scenarios import DOCUMENTS, ret_cons_cad

CONSULT = "/admin/sefaz/consultar"


def _form(document: str, **overrides) -> dict:
    data = {
        "kind": "PF" if len(document) == 11 else "PJ",
        "name": "Cliente de teste",
        "status_id": "1",
        "document": document,
        "ie_indicator": "nao_contribuinte",
        "sefaz_uf": "SP",
    }
    data.update(overrides)
    return data


def _save_new(http, data: dict):
    response = http.post("/admin/clientes/novo", data=data)
    assert response.status_code == 302, response.text
    return http.get(response.headers["Location"])


def _badge(page: str) -> str:
    """The verdict badge in the client page's header, as read on screen."""
    header = page.split('id="client-title"', 1)[1].split("</div>", 1)[0]
    found = re.search(r"data-sefaz-verdict=\"\w+\"[^>]*>(.*?)</span>", header, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def _records():
    return db.session.query(SefazConsultation).order_by(SefazConsultation.id).all()


@pytest.mark.config(SEFAZ_CONSULT_ON_SAVE=True)
@pytest.mark.parametrize(
    ("scenario", "badge", "c_stat", "kept"),
    [
        ("amostra_111", "Sefaz SP: Habilitado", 111, "Consulta cadastro com uma ocorrência"),
        ("varios", "Sefaz SP: Habilitado", 112, "mais de uma ocorrência"),
        ("nao_habilitado", "Sefaz SP: Não habilitado", 111, "uma ocorrência"),
        ("amostra_259", "Sefaz SP: Não cadastrado na UF", 259, "não cadastrado"),
        ("produtor_rural", "Sefaz SP: Habilitado", 111, "uma ocorrência"),
        ("consumo_indevido", "Sefaz SP: Não verificado", 656, "bloqueou temporariamente"),
        ("erro_999", "Sefaz SP: Não verificado", 999, "A Sefaz recusou a consulta (999)"),
        ("cstat_desconhecido", "Sefaz SP: Não verificado", 239, "Versão do arquivo XML"),
        ("fault", "Sefaz SP: Não verificado", None, "falha SOAP"),
        ("xml_quebrado", "Sefaz SP: Não verificado", None, "Resposta inesperada"),
        ("http_500", "Sefaz SP: Não verificado", None, "HTTP 500"),
        ("http_503", "Sefaz SP: Não verificado", None, "HTTP 503"),
        ("sem_retorno", "Sefaz SP: Não verificado", None, "sem retConsCad"),
        ("lento", "Sefaz SP: Não verificado", None, "tempo limite"),
    ],
)
def test_saving_consults_and_every_answer_gives_its_badge_and_record(
    sefaz_app, admin_http, scenario, badge, c_stat, kept
):
    sefaz_app.config["SEFAZ_TIMEOUT"] = "0.5"
    document = DOCUMENTS[scenario]
    page = _save_new(admin_http, _form(document, name=f"Cliente {scenario}"))
    assert page.status_code == 200
    assert _badge(page.text) == badge
    text = html.unescape(page.text)
    if badge.endswith("Não verificado"):
        assert "Situação na Sefaz: não verificado." in text and "sefaz recheck" in text
    with sefaz_app.app_context():
        client = db.session.query(Client).one()
        (record,) = _records()
        assert (record.client_id, record.document, record.uf, record.c_stat) == (
            client.id,
            document,
            "SP",
            c_stat,
        )
        assert record.staff.email == "equipe@loja.example"
        assert kept in f"{record.x_motivo} {record.reason}"
        if record.is_answer:
            assert record.raw_xml.startswith("<retConsCad") and record.parsed["cStat"] == c_stat
        else:
            assert record.reason  # in Portuguese, for the operator


@pytest.mark.config(SEFAZ_CONSULT_ON_SAVE=True)
def test_a_tls_failure_still_saves_the_client(sefaz_app, sefaz_pki, admin_http):
    sefaz_app.config.update(
        SEFAZ_CERT_PATH=str(sefaz_pki.rogue_client_cert),
        SEFAZ_KEY_PATH=str(sefaz_pki.rogue_client_key),
    )
    page = _save_new(admin_http, _form(DOCUMENTS["amostra_111"]))
    assert _badge(page.text) == "Sefaz SP: Não verificado"
    with sefaz_app.app_context():
        assert "TLS" in _records()[0].reason


def test_consult_button_shows_the_answer_and_what_can_be_prefilled(sefaz_app, admin_http):
    typed = _form(DOCUMENTS["amostra_111"], name="Nome que eu digitei", trade_name="")
    response = admin_http.post(CONSULT, data=typed, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Sefaz SP: Habilitado" in text
    assert "111 – Consulta cadastro com uma ocorrência" in text
    boxes = {
        m["field"]: m
        for m in re.finditer(
            r'<input class="form-check-input" type="checkbox" id="sefaz-use-(?P<field>\w+)"'
            r"(?P<attrs>[^>]*)>",
            response.text,
        )
    }
    assert set(boxes) == {"name", "trade_name", "ie", "cnae", "regime", "endereco"}
    assert "checked" not in boxes["name"]["attrs"]  # something typed: not replaced by default
    assert "checked" in boxes["trade_name"]["attrs"]
    assert 'data-sefaz-value="COMERCIAL EXEMPLO DE UTILIDADES LTDA"' in boxes["name"]["attrs"]
    assert "RUA DAS FLORES, 120, SALA 4 – CENTRO, SAO PAULO/SP, CEP 01010-000" in text
    with sefaz_app.app_context():
        (record,) = _records()
        assert record.client_id is None  # the client does not exist yet
    assert f'name="sefaz_consultation" value="{record.id}"' in response.text


def test_saving_with_the_accepted_prefill_stores_cnae_regime_and_address(sefaz_app, admin_http):
    document = DOCUMENTS["amostra_111"]
    answer = admin_http.post(CONSULT, data=_form(document))
    consultation_id = re.search(r'name="sefaz_consultation" value="(\d+)"', answer.text).group(1)
    data = _form(document, name="COMERCIAL EXEMPLO DE UTILIDADES LTDA", sefaz_consultation="")
    data["sefaz_consultation"] = consultation_id
    data["sefaz_apply"] = ["cnae", "regime", "endereco"]
    page = _save_new(admin_http, data)
    assert "Dados da Sefaz gravados no cliente: CNAE, Regime de apuração, endereço padrão." in (
        html.unescape(page.text)
    )
    assert _badge(page.text) == "Sefaz SP: Habilitado"
    with sefaz_app.app_context():
        client = db.session.query(Client).one()
        assert (client.cnae, client.tax_regime) == (
            "4753900",
            "NORMAL - REGIME PERIÓDICO DE APURAÇÃO",
        )
        address = db.session.query(Address).one()
        assert (address.kind, address.street, address.number, address.cep, address.uf) == (
            "padrao",
            "RUA DAS FLORES",
            "120",
            "01010000",
            "SP",
        )
        assert _records()[0].client_id == client.id


def test_the_client_page_lists_every_consultation_in_the_sefaz_tab(
    sefaz_app, admin_http, sefaz_server
):
    sefaz_server.route(DOCUMENTS["amostra_111"], "fault")
    page = _save_new(admin_http, _form(DOCUMENTS["amostra_111"]))
    client_url = page.request.path
    sefaz_server.route(DOCUMENTS["amostra_111"], "amostra_111")
    admin_http.post(CONSULT + "?client_id=" + client_url.rsplit("/", 1)[1], data=_form(""))
    answer = admin_http.post(
        CONSULT + "?client_id=" + client_url.rsplit("/", 1)[1],
        data=_form(DOCUMENTS["amostra_111"]),
    )
    assert "Habilitado" in answer.text
    page = admin_http.get(client_url).text
    assert _badge(page) == "Sefaz SP: Habilitado"
    tab = html.unescape(page.split('id="sefaz-history"', 1)[1])
    assert 'data-bs-target="#tab-sefaz"' in page
    assert tab.count("data-sefaz-verdict=") == 1  # the first save did not consult (setting off)
    assert "Equipe" in tab and "11.222.333/0001-81" in tab
    assert "COMERCIAL EXEMPLO DE UTILIDADES LTDA" in tab and "&lt;retConsCad" not in tab


def test_the_button_checks_the_document_offline_first(sefaz_app, admin_http, sefaz_server):
    answer = admin_http.post(CONSULT, data=_form("11.222.333/0001-00"))
    assert "Corrija o CPF/CNPJ antes de consultar: CNPJ inválido" in html.unescape(answer.text)
    answer = admin_http.post(CONSULT, data=_form(DOCUMENTS["amostra_111"], sefaz_uf=""))
    assert "Escolha a UF da consulta" in html.unescape(answer.text)
    assert sefaz_server.requests == []


def test_sefaz_text_is_escaped(sefaz_app, admin_http, sefaz_server):
    sefaz_server.route(
        DOCUMENTS["erro_999"], lambda r: ret_cons_cad(r, 999, "<script>alert('x')</script>")
    )
    answer = admin_http.post(CONSULT, data=_form(DOCUMENTS["erro_999"]))
    assert "<script>alert" not in answer.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in answer.text


@pytest.mark.config(SEFAZ_CONSULT_ON_SAVE=True)
def test_without_certificate_the_feature_says_so_and_the_form_still_works(admin_http):
    form_page = admin_http.get("/admin/clientes/novo").text
    assert "Consulta à Sefaz não configurada" in html.unescape(form_page)
    assert re.search(r'id="sefaz-consult-button"[^>]*disabled', form_page)
    answer = admin_http.post(CONSULT, data=_form(DOCUMENTS["amostra_111"]))
    assert "Consulta à Sefaz não configurada" in html.unescape(answer.text)
    page = _save_new(admin_http, _form(DOCUMENTS["amostra_111"]))
    assert "Cliente gravado" in page.text and _badge(page.text) == ""
    with admin_http.application.app_context():
        assert _records() == []


def test_a_broken_sefaz_setting_is_reported_not_a_500(admin_http):
    admin_http.application.config.update(SEFAZ_PFX_PATH="/x.pfx", SEFAZ_TIMEOUT="dez")
    answer = admin_http.post(CONSULT, data=_form(DOCUMENTS["amostra_111"]))
    assert "Configuração da Sefaz inválida: SEFAZ_TIMEOUT" in html.unescape(answer.text)


def test_staff_only(http, sefaz_app):
    response = http.post(CONSULT, data=_form(DOCUMENTS["amostra_111"]))
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    response = http.post(CONSULT, data={}, headers={"HX-Request": "true"})
    assert response.status_code == 401


def test_csrf_token_required(admin_http, sefaz_app, sefaz_server):
    sefaz_app.config["WTF_CSRF_ENABLED"] = True  # after the login
    response = admin_http.post(CONSULT, data=_form(DOCUMENTS["amostra_111"]))
    assert response.status_code == 400
    assert sefaz_server.requests == []


def _retry_warning(page_text: str) -> str:
    text = html.unescape(page_text)
    return text.split("not verified" if "not verified" in text else "não verificado.", 1)[1]


def test_unverified_warning_without_consult_on_save_points_to_recheck_and_the_button(
    sefaz_app, admin_http
):
    """Default SEFAZ_CONSULT_ON_SAVE=false: saving again never consults, so it is not offered."""
    typed = _form(DOCUMENTS["http_503"])
    consulted = admin_http.post(CONSULT, data=typed, headers={"HX-Request": "true"})
    consultation = re.search(r'name="sefaz_consultation" value="(\d+)"', consulted.text)
    page = _save_new(admin_http, {**typed, "sefaz_consultation": consultation.group(1)})
    warning = _retry_warning(page.text)
    assert "flask clientela sefaz recheck" in warning
    assert "Consult Sefaz" in warning or "Consultar Sefaz" in warning
    assert "saved again" not in warning and "de novo" not in warning


@pytest.mark.config(SEFAZ_CONSULT_ON_SAVE=True)
def test_unverified_warning_with_consult_on_save_offers_saving_again(sefaz_app, admin_http):
    page = _save_new(admin_http, _form(DOCUMENTS["http_503"]))
    warning = _retry_warning(page.text)
    assert "flask clientela sefaz recheck" in warning
    assert "saved again" in warning or "gravar o cliente de novo" in warning


@pytest.mark.config(SEFAZ_CONSULT_ON_SAVE=True)
def test_the_client_list_shows_each_newest_verdict_from_the_rows_own_query(sefaz_app, admin_http):
    """Each row's badge is its client's newest answer about its current document, read by the
    query that reads the rows (no query of its own)."""
    _save_new(admin_http, _form(DOCUMENTS["amostra_111"], name="Ana Habilitada"))
    _save_new(admin_http, _form(DOCUMENTS["nao_habilitado"], name="Bia Bloqueada"))
    _save_new(admin_http, _form(DOCUMENTS["amostra_259"], name="Caio Corrigido"))
    _save_new(admin_http, _form(DOCUMENTS["varios"], name="Duda Sem Consulta", sefaz_uf=""))
    with sefaz_app.app_context():
        corrected = db.session.query(Client).filter_by(name="Caio Corrigido").one()
        corrected.document = DOCUMENTS["fault"]  # a new number: the old answer says nothing
        db.session.commit()

    engine = sefaz_app.extensions["clientela"].engine
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        page = admin_http.get("/admin/clientes")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert page.status_code == 200
    badges = {}  # client name -> the verdict its row's badge shows (with the word "Sefaz")
    for row in page.text.split("<tr>")[2:]:
        name = re.search(r'id="name-\d+">([^<]+)</a>', row).group(1)
        found = re.search(r'data-sefaz-verdict="(\w+)"[^>]*>[^<]*<i[^>]*></i> Sefaz: ', row)
        badges[name] = found.group(1) if found else None
    assert badges == {
        "Ana Habilitada": "habilitado",
        "Bia Bloqueada": "nao_habilitado",
        "Caio Corrigido": None,
        "Duda Sem Consulta": None,
    }
    (reading_verdicts,) = [s for s in statements if "clientela_sefaz_consultations" in s]
    assert "clientela_phones" in reading_verdicts  # the rows' query (with each first phone)
