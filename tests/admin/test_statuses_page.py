"""The Situações page over HTTP, as staff use it."""

import re

from portal import db
from portal.clients.models import ClientStatus
from tests.conftest import field_errors


def _row(html: str, name: str) -> str:
    match = re.search(rf'<tr data-entry="{re.escape(name)}">(.*?)</tr>', html, re.S)
    return match.group(1) if match else ""


def test_staff_add_a_status_and_see_it_listed(admin_http, app):
    page = admin_http.get("/admin/situacoes")
    assert page.status_code == 200
    html = page.text
    assert "Situações do Cliente" in html
    for name in ("Ativo", "Inativo", "Bloqueado", "Em análise"):
        assert _row(html, name)
    assert "padrão" in _row(html, "Ativo")

    response = admin_http.post(
        "/admin/situacoes",
        data={"status-name": "Suspenso", "status-position": "5", "status-grants_access": ""},
    )
    assert response.status_code == 302
    listed = admin_http.get(response.headers["Location"]).text
    assert "Situação “Suspenso” gravada." in listed
    assert "Não" in _row(listed, "Suspenso")
    with app.app_context():
        assert db.session.query(ClientStatus).filter_by(name="Suspenso").one().position == 5


def test_a_bad_status_keeps_what_was_typed_and_says_what_to_fix(admin_http):
    response = admin_http.post(
        "/admin/situacoes", data={"status-name": "Ativo", "status-position": "dez"}
    )
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "Já existe uma Situação com este nome." in errors
    assert any(e.startswith("Ordem: use um número inteiro") for e in errors)
    assert 'value="dez"' in response.text


def test_flipping_access_reports_how_many_clients_changed_group(admin_http, make_client, app):
    with app.app_context():
        review = db.session.query(ClientStatus).filter_by(name="Em análise").one()
        review_id, version = review.id, review.version
    make_client(name="Em análise 1", status_id=review_id)
    make_client(name="Em análise 2", status_id=review_id)
    form = admin_http.get(f"/admin/situacoes/{review_id}").text
    assert 'value="Em análise"' in form
    response = admin_http.post(
        f"/admin/situacoes/{review_id}",
        data={
            "status-name": "Em análise",
            "status-position": "3",
            "status-grants_access": "y",
            "status-version": str(version),
        },
        follow_redirects=True,
    )
    assert "2 cliente(s) mudaram de grupo nos contadores." in response.text
    counters = admin_http.get("/admin/clientes").text
    assert re.search(r'data-counter="contact".*?counter-value">2<', counters, re.S)

    stale = admin_http.post(
        f"/admin/situacoes/{review_id}",
        data={"status-name": "Revisão", "status-position": "3", "status-version": str(version)},
    )
    assert stale.status_code == 422
    assert any("alterado por outra pessoa" in e for e in field_errors(stale.text))
    assert 'value="Revisão"' in stale.text


def test_a_status_in_use_cannot_be_deleted(admin_http, make_client, app):
    with app.app_context():
        blocked = db.session.query(ClientStatus).filter_by(name="Bloqueado").one().id
    make_client(name="Preso", status_id=blocked)
    listed = admin_http.get("/admin/situacoes").text
    assert "<td>Sim</td>" in _row(listed, "Bloqueado")  # Em uso
    assert "Excluir Bloqueado" not in listed and "Excluir Em análise" in listed
    page = admin_http.post(f"/admin/situacoes/{blocked}/excluir", follow_redirects=True).text
    assert "1 cliente(s) estão nesta Situação" in page
    assert _row(page, "Bloqueado")
