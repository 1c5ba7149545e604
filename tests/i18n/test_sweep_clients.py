"""Client pages' Python strings (field errors, flashes, labels, exports) follow the locale."""

import pytest

from portal.errors import DomainError
from portal.i18n import _l
from portal.text import clean_text
from tests.conftest import field_errors

pytestmark = pytest.mark.usefixtures("app")


def _client_form(**overrides):
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


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_client_form_errors_labels_and_flash_in_english(admin_http):
    page = admin_http.get("/admin/clientes/novo").text
    for english in ("Main e-mail", "Person type", "Individual", "Not an ICMS taxpayer"):
        assert english in page, english
    assert "E-mail principal" not in page and "Pessoa Física" not in page

    typed = _client_form(document="123", email="sem-arroba", notes="x" * 5001)
    response = admin_http.post("/admin/clientes/novo", data=typed)
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "A CPF has 11 digits and a CNPJ 14 characters; you typed 3." in errors
    assert "Invalid e-mail: use the format name@domain.com.br." in errors
    assert "The notes are limited to 5000 characters (you typed 5001)." in errors

    saved = admin_http.post("/admin/clientes/novo", data=_client_form())
    page = admin_http.get(saved.headers["Location"]).text
    assert "Client saved. Now you can add addresses and contacts." in page
    assert "Cliente gravado" not in page


def test_a_plural_label_agrees_with_its_verb_in_portuguese(admin_http):
    response = admin_http.post("/admin/clientes/novo", data=_client_form(notes="x" * 5001))
    assert "As observações podem ter no máximo 5000 caracteres (foram 5001)." in field_errors(
        response.text
    )


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_address_toast_and_export_header_in_english(admin_http, make_client):
    client = make_client(name="Maria da Silva")
    response = admin_http.post(
        f"/admin/clientes/{client.id}/enderecos/novo",
        data={
            "address-kind": "padrao",
            "address-is_active": "1",
            "address-cep": "01310-100",
            "address-street": "Avenida Paulista",
            "address-number": "1000",
            "address-district": "Bela Vista",
            "address-city": "São Paulo",
            "address-uf": "SP",
        },
        headers={"HX-Request": "true"},
    )
    assert '"clientela:saved": "Address saved."' in response.headers["HX-Trigger"]
    export = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "export_csv", "ids": str(client.id), "confirmed": "1"},
    )
    header = export.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Name/Company name;Trade name;Type;CPF/CNPJ")
    assert ";Individual;" in export.get_data(as_text=True)


def test_rules_answer_in_the_language_of_the_request(app):
    with app.test_request_context(), pytest.raises(DomainError) as error:
        clean_text("", "name", _l("the contact's name"), 200, required=True)
    assert str(error.value) == "Informe o nome do contato."
