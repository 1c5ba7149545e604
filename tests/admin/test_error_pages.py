"""Issue 14 (12): error pages in Portuguese in the back-office layout, for our URLs only; an
expired CSRF token re-renders the form with what was typed, a message and a fresh token."""

import re
import time

import pytest
from flask import abort

from portal import db
from portal.clients.models import Client

TOKEN = re.compile(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"')


def _login(http):
    login = {"email": "equipe@loja.example", "password": "senha-forte-123"}
    assert http.post("/admin/login", data=login).status_code == 302
    return http


def _layout(response) -> bool:
    return 'class="navbar-brand"' in response.text and "Clientela" in response.text


def test_unknown_back_office_url_is_a_portuguese_404_in_our_layout(admin_http):
    response = admin_http.get("/admin/nao-existe")
    assert response.status_code == 404
    assert "Página não encontrada" in response.text
    assert _layout(response)
    assert "Not Found" not in response.text
    # the menu is there: the staff can go on working
    assert 'href="/admin/pedidos"' in response.text


def test_a_missing_record_is_a_portuguese_404(admin_http):
    response = admin_http.get("/admin/clientes/999999")
    assert response.status_code == 404
    assert "Página não encontrada" in response.text and _layout(response)


def test_wrong_method_is_a_portuguese_405(admin_http):
    response = admin_http.get("/admin/clientes/acoes")
    assert response.status_code == 405
    assert "Operação não permitida" in response.text and _layout(response)
    assert "Allow" in response.headers


def test_a_popup_error_is_short_text_not_a_page(admin_http):
    response = admin_http.get("/admin/clientes/999999/enderecos/novo", headers={"HX-Request": "1"})
    assert response.status_code == 404
    assert "<html" not in response.text and "não existe" in response.text


def test_host_pages_keep_the_host_error_pages(app, admin_http):
    response = admin_http.get("/loja/nada")
    assert response.status_code == 404
    assert "Not Found" in response.text and "Página não encontrada" not in response.text


@pytest.mark.config(MAX_CONTENT_LENGTH=10_000)
def test_too_large_form_is_a_portuguese_413(admin_http):
    response = admin_http.post("/admin/clientes/novo", data={"notes": "x" * 20_000})
    assert response.status_code == 413
    assert "Dados grandes demais" in response.text and _layout(response)


@pytest.mark.config(PROPAGATE_EXCEPTIONS=False)
def test_every_error_status_under_our_prefix_is_portuguese(app, http, staff):
    # a host route under our prefix, outside our blueprint: the app-level handler answers it
    app.add_url_rule("/admin/teste-erro/<int:code>", "teste_erro", lambda code: abort(code))

    def boom():
        raise RuntimeError("falha de teste")

    app.add_url_rule("/admin/teste-excecao", "teste_excecao", boom)
    admin_http = _login(http)
    expected = {413: "Dados grandes demais", 429: "Muitas requisições", 400: "Requisição inválida"}
    for code, title in expected.items():
        response = admin_http.get(f"/admin/teste-erro/{code}")
        assert response.status_code == code and title in response.text and _layout(response)
    response = admin_http.get("/admin/teste-excecao")
    assert response.status_code == 500
    assert "Erro interno" in response.text and "nada foi gravado" in response.text
    assert _layout(response)


@pytest.mark.config(PROPAGATE_EXCEPTIONS=False)
def test_a_host_404_handler_still_answers_host_pages(app, http, staff):
    app.register_error_handler(404, lambda e: ("pagina da loja", 404))
    admin_http = _login(http)
    assert admin_http.get("/loja/nada").text == "pagina da loja"
    # in our views, ours wins (blueprint handlers by code)
    assert "Página não encontrada" in admin_http.get("/admin/clientes/999999").text


def _login_with_csrf(http):
    token = TOKEN.search(http.get("/admin/login").text).group(1)
    response = http.post(
        "/admin/login",
        data={"email": "equipe@loja.example", "password": "senha-forte-123", "csrf_token": token},
    )
    assert response.status_code == 302


@pytest.mark.config(WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_token_keeps_the_typed_form(app, http, staff):
    _login_with_csrf(http)
    page = http.get("/admin/clientes/novo").text
    old_token = TOKEN.search(page).group(1)
    time.sleep(2.1)
    typed = {
        "csrf_token": old_token,
        "kind": "PF",
        "name": "Cliente Digitado Com Calma",
        "notes": "Observação longa digitada",
        "status_id": "1",
    }
    response = http.post("/admin/clientes/novo", data=typed)
    assert response.status_code == 400
    assert "Sua sessão de formulário expirou: confira os dados e grave de novo." in response.text
    assert 'value="Cliente Digitado Com Calma"' in response.text
    assert "Observação longa digitada" in response.text
    new_token = TOKEN.search(response.text).group(1)
    assert new_token != old_token
    with app.app_context():
        assert db.session.query(Client).count() == 0  # nothing saved with the stale token
    # the fresh token saves (before it expires in turn)
    saved = http.post("/admin/clientes/novo", data={**typed, "csrf_token": new_token})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.query(Client).one().name == "Cliente Digitado Com Calma"


@pytest.mark.config(WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_token_in_a_popup_keeps_the_typed_popup(app, http, staff, make_client):
    client = make_client(name="Dona Popup")
    _login_with_csrf(http)
    popup = http.get(f"/admin/clientes/{client.id}/contatos/novo", headers={"HX-Request": "1"})
    old_token = TOKEN.search(popup.text).group(1)
    time.sleep(2.1)
    response = http.post(
        f"/admin/clientes/{client.id}/contatos/novo",
        data={"contact-csrf_token": old_token, "contact-name": "Contato Digitado"},
        headers={"HX-Request": "1", "X-CSRFToken": old_token},
    )
    assert response.status_code == 422  # htmx swaps it into the popup
    assert "Sua sessão de formulário expirou" in response.text
    assert 'value="Contato Digitado"' in response.text
    assert "clientela:csrfToken" in response.headers["HX-Trigger"]


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_an_action_with_a_bad_token_is_refused_with_a_portuguese_page(app, http, staff):
    _login_with_csrf(http)
    response = http.post("/admin/logout", data={"csrf_token": "forjado"})
    assert response.status_code == 400
    assert "Sessão de formulário expirada" in response.text and _layout(response)
    assert http.get("/admin/clientes").status_code == 200  # still signed in
