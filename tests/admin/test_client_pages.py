"""The back-office client pages over HTTP, as staff use them."""

import re

from portal import db
from portal.clients.models import Client
from tests.conftest import field_errors


def _new_client_form(**overrides):
    data = {
        "kind": "PJ",
        "name": "Empresa Exemplo Ltda",
        "status_id": "1",
        "document": "11.222.333/0001-81",
        "ie_indicator": "nao_contribuinte",
        "email": "contato@exemplo.com.br",
        "phones-0-number": "(11) 98765-4321",
        "phones-0-kind": "Celular",
    }
    data.update(overrides)
    return data


def _client_id(response) -> int:
    return int(re.search(r"/admin/clientes/(\d+)$", response.headers["Location"]).group(1))


def test_create_client_and_see_it_in_the_list(admin_http):
    response = admin_http.post("/admin/clientes/novo", data=_new_client_form())
    assert response.status_code == 302
    page = admin_http.get(response.headers["Location"]).text
    assert "Cliente gravado" in page
    assert 'value="11.222.333/0001-81"' in page
    assert 'value="(11) 98765-4321"' in page
    listing = admin_http.get("/admin/clientes?q=11.222.333/0001-81").text
    assert "Empresa Exemplo Ltda" in listing


def test_new_client_form_defaults(admin_http):
    page = admin_http.get("/admin/clientes/novo").text
    assert re.search(r'<option selected value="1">Ativo</option>', page)
    assert 'id="more-details"' in page and 'class="collapse p-3 "' in page  # collapsed
    assert "Gravar Cliente" in page
    assert 'data-bs-toggle="popover"' in page  # the (?) help


def test_a_failed_save_keeps_what_was_typed_and_says_what_to_fix(admin_http):
    typed = _new_client_form(
        name="Nome mantido",
        document="123",
        email="sem-arroba",
        notes="Observação que não pode se perder",
        tags="vip, atacado",
        **{"phones-0-number": "12"},
    )
    response = admin_http.post("/admin/clientes/novo", data=typed)
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "CPF tem 11 dígitos e CNPJ tem 14 caracteres; você digitou 3." in errors
    assert "E-mail inválido: use o formato nome@dominio.com.br." in errors
    assert "Telefone inválido: confira o DDD e a quantidade de dígitos." in errors
    for value in (
        'value="Nome mantido"',
        'value="123"',
        'value="sem-arroba"',
        "Observação que não pode se perder",
        'value="vip, atacado"',
        'value="12"',
    ):
        assert value in response.text
    with admin_http.application.app_context():
        assert db.session.query(Client).count() == 0


def test_script_in_a_field_is_refused_and_shown_escaped(admin_http):
    response = admin_http.post(
        "/admin/clientes/novo", data=_new_client_form(name="<script>alert('x')</script>")
    )
    assert response.status_code == 422
    assert "<script>alert(" not in response.text
    assert "&lt;script&gt;alert(" in response.text
    assert "Não use marcação HTML (como <script>) neste campo: digite só o texto." in field_errors(
        response.text
    )


def test_ten_thousand_characters_get_a_message_not_an_error(admin_http):
    response = admin_http.post("/admin/clientes/novo", data=_new_client_form(name="a" * 10_000))
    assert response.status_code == 422
    assert any("no máximo 200 caracteres (foram 10000)" in e for e in field_errors(response.text))


def test_duplicate_document_and_email_via_the_form(admin_http, make_client):
    make_client(kind="PJ", document="11222333000181", email="contato@exemplo.com.br")
    response = admin_http.post("/admin/clientes/novo", data=_new_client_form())
    errors = field_errors(response.text)
    assert "Este CPF/CNPJ já está cadastrado em outro cliente." in errors
    assert "Este e-mail já é o e-mail principal de outro cliente." in errors


def test_bad_date_gets_a_portuguese_message(admin_http):
    response = admin_http.post("/admin/clientes/novo", data=_new_client_form(birth_date="31/02"))
    assert "Data inválida: use o formato dd/mm/aaaa." in field_errors(response.text)


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_typed_values(app, staff, admin_http):
    created = admin_http.post("/admin/clientes/novo", data=_new_client_form())
    client_id = _client_id(created)
    page = admin_http.get(f"/admin/clientes/{client_id}").text
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)

    other = app.test_client()
    other.post("/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"})
    first = other.post(
        f"/admin/clientes/{client_id}",
        data=_new_client_form(name="Salvo primeiro", version=version),
    )
    assert first.status_code == 302

    late = admin_http.post(
        f"/admin/clientes/{client_id}",
        data=_new_client_form(name="Digitado depois", version=version),
    )
    assert late.status_code == 422
    assert any("alterado por outra pessoa" in e for e in field_errors(late.text))
    assert 'value="Digitado depois"' in late.text
    with app.app_context():
        assert db.session.get(Client, client_id).name == "Salvo primeiro"


def test_edit_records_history_shown_on_the_client_page(admin_http):
    client_id = _client_id(admin_http.post("/admin/clientes/novo", data=_new_client_form()))
    page = admin_http.get(f"/admin/clientes/{client_id}").text
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    admin_http.post(
        f"/admin/clientes/{client_id}", data=_new_client_form(name="Nome Novo", version=version)
    )
    page = admin_http.get(f"/admin/clientes/{client_id}").text
    history = page[page.index('id="history"') :]
    assert "Nome/Razão social" in history and "Empresa Exemplo Ltda" in history
    assert "Nome Novo" in history and "Equipe" in history


def test_password_is_never_shown(admin_http):
    response = admin_http.post(
        "/admin/clientes/novo", data=_new_client_form(password="segredo-da-loja")
    )
    page = admin_http.get(response.headers["Location"]).text
    assert "segredo-da-loja" not in page
    assert "$argon2" not in page
    assert "(mantida)" in page


def test_lookup_popup_creates_an_entry_and_tells_the_form_to_select_it(admin_http):
    response = admin_http.post(
        "/admin/listas/vendedores",
        data={
            "lookup-name": "Carla Mendes",
            "lookup-extra": "carla@loja.example",
            "lookup-is_active": "y",
        },
    )
    assert response.status_code == 200
    trigger = response.headers["HX-Trigger"]
    assert '"field": "seller_id"' in trigger and '"name": "Carla Mendes"' in trigger
    assert "Carla Mendes" in response.text
    again = admin_http.post("/admin/listas/vendedores", data={"lookup-name": "carla mendes"})
    assert again.status_code == 422
    assert "Já existe um Vendedor com este nome." in field_errors(again.text)
    assert "HX-Trigger" not in again.headers


def test_unknown_lookup_is_404(admin_http):
    assert admin_http.get("/admin/listas/nao-existe").status_code == 404


def test_address_popup_saves_and_refreshes_the_list(admin_http, make_client):
    client = make_client()
    response = admin_http.post(
        f"/admin/clientes/{client.id}/enderecos/novo",
        data={
            "address-kind": "padrao",
            "address-is_active": "1",
            "address-cep": "01310-100",
            "address-street": "Av. Paulista",
            "address-number": "1000",
            "address-district": "Bela Vista",
            "address-city": "São Paulo",
            "address-uf": "SP",
        },
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#addresses"
    assert "Av. Paulista" in response.text and "01310-100" in response.text

    bad = admin_http.post(
        f"/admin/clientes/{client.id}/enderecos/novo",
        data={
            "address-kind": "padrao",
            "address-is_active": "1",
            "address-cep": "999",
            "address-street": "Rua X",
            "address-number": "1",
            "address-district": "Y",
            "address-city": "Z",
            "address-uf": "XX",
        },
    )
    assert bad.status_code == 422
    errors = field_errors(bad.text)
    assert "CEP deve ter 8 dígitos, como 01310-100." in errors
    assert "UF inválida: escolha uma das 27 unidades da federação." in errors
    assert 'value="Rua X"' in bad.text


def test_address_of_another_client_is_404(admin_http, make_client):
    from portal.clients import addresses

    owner, other = make_client(), make_client()
    with admin_http.application.app_context():
        address = addresses.add_address(
            owner.id,
            addresses.AddressInput("padrao", True, "01310100", "Rua", "1", "B", "C", "SP"),
            None,
        )
        db.session.commit()
        address_id = address.id
    assert admin_http.get(f"/admin/clientes/{other.id}/enderecos/{address_id}").status_code == 404
    assert admin_http.get(f"/admin/clientes/{owner.id}/enderecos/{address_id}").status_code == 200


def test_contact_popup(admin_http, make_client):
    client = make_client()
    response = admin_http.post(
        f"/admin/clientes/{client.id}/contatos/novo",
        data={
            "contact-name": "Joana Compras",
            "contact-role": "Compradora",
            "contact-email": "joana@exemplo.com.br",
            "contact-phones-0-number": "(21) 3456-7890",
            "contact-phones-0-kind": "Comercial",
        },
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#contacts"
    assert "Joana Compras" in response.text and "(21) 3456-7890" in response.text


def test_list_is_paginated(admin_http, make_client):
    for n in range(30):
        make_client(name=f"Cliente {n:02d}")
    first = admin_http.get("/admin/clientes").text
    assert first.count('name="ids"') == 25 and "Próxima" in first
    next_url = re.search(r'href="([^"]*apos=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = admin_http.get(next_url).text
    assert second.count('name="ids"') == 5
    assert "Cliente 29" in second and "Próxima" not in second and "Anterior" in second


def test_contact_popup_phone_error_sits_next_to_the_phone(admin_http, make_client):
    client = make_client()
    response = admin_http.post(
        f"/admin/clientes/{client.id}/contatos/novo",
        data={
            "contact-name": "Joana",
            "contact-phones-0-number": "12",
            "contact-phones-0-kind": "Celular",
        },
    )
    assert response.status_code == 422
    field_error = re.search(
        r'name="contact-phones-0-number".*?invalid-feedback d-block">([^<]*)', response.text, re.S
    )
    assert field_error.group(1) == "Telefone inválido: confira o DDD e a quantidade de dígitos."
