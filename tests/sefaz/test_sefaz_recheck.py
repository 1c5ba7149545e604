"""`flask clientela sefaz consult|recheck` on the app: what an operator runs after an outage."""

import json

from portal import db
from portal.sefaz import queries, service

from .scenarios import DOCUMENTS


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["clientela", "sefaz", *args])


def test_consult_is_registered_on_the_app(sefaz_app):
    result = _cli(sefaz_app, "consult", "--uf", "SP", "--cnpj", "11.222.333/0001-81")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["situacao"] == "habilitado"


def test_recheck_fixes_clients_left_not_verified(sefaz_app, sefaz_server, make_client):
    with sefaz_app.app_context():
        settings = service.settings_for(sefaz_app)
        down = make_client(name="Estava fora", kind="PJ", document=DOCUMENTS["amostra_111"])
        fine = make_client(name="Já verificada", kind="PJ", document=DOCUMENTS["amostra_259"])
        sefaz_server.route(down.document, "http_503")
        service.consult_for_client(settings, down, uf="SP")
        service.consult_for_client(settings, fine, uf="SP")
        db.session.commit()
    sefaz_server.route(down.document, "amostra_111")
    sefaz_server.requests.clear()

    result = _cli(sefaz_app, "recheck")
    assert result.exit_code == 0, result.output
    assert "Estava fora (11.222.333/0001-81, SP): Habilitado." in result.output
    assert "1 consultado(s), 0 ainda não verificado(s), 0 adiado(s)." in result.output
    assert [r.document for r in sefaz_server.requests] == [down.document]
    with sefaz_app.app_context():
        verdicts = queries.latest_verdicts([down.id, fine.id])
        assert {k: v.verdict for k, v in verdicts.items()} == {
            down.id: "habilitado",
            fine.id: "nao_cadastrado",
        }
        assert queries.pending_recheck() == []


def test_recheck_exits_2_while_sefaz_still_fails_and_waits_out_a_656(
    sefaz_app, sefaz_server, make_client
):
    with sefaz_app.app_context():
        settings = service.settings_for(sefaz_app)
        failing = make_client(name="Ainda fora", kind="PJ", document=DOCUMENTS["fault"])
        blocked = make_client(name="Bloqueada", kind="PJ", document=DOCUMENTS["consumo_indevido"])
        service.consult_for_client(settings, failing, uf="RS")
        service.consult_for_client(settings, blocked, uf="SP")
        db.session.commit()
    sefaz_server.requests.clear()

    result = _cli(sefaz_app, "recheck")
    assert result.exit_code == 2
    assert "Ainda fora (88.899.900/0001-63, RS): continua não verificado" in result.output
    assert "Bloqueada (55.566.677/0001-83, SP): adiado até" in result.output
    assert [r.uf for r in sefaz_server.requests] == ["RS"]


def test_recheck_without_certificate_says_so(app):
    result = _cli(app, "recheck")
    assert result.exit_code == 2
    assert "não configurada" in result.output
