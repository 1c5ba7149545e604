"""The shop's client calls: same rules as the forms, problem+json errors, upsert."""

import pytest

PROBLEM = "application/problem+json"


def _client(**overrides):
    body = {
        "name": "Empresa Exemplo Ltda",
        "kind": "PJ",
        "document": "11.222.333/0001-81",
        "email": "Contato@Exemplo.com.br",
        "phones": [{"number": "(11) 98765-4321", "kind": "Celular"}],
        "tags": ["atacado", "sp"],
        "addresses": [
            {"kind": "padrao", "cep": "01310-100", "street": "Avenida Paulista",
             "number": "1000", "district": "Bela Vista", "city": "São Paulo", "uf": "SP"}
        ],
        "contacts": [{"name": "Joana Compras", "phones": [{"number": "21934567890"}]}],
    }  # fmt: skip
    body.update(overrides)
    return body


def test_create_answers_201_with_the_normalized_client(api):
    response = api.post("/api/v1/clients", json=_client())
    assert response.status_code == 201, response.json
    data = response.json
    assert response.headers["Location"].endswith(f"/api/v1/clients/{data['id']}")
    assert data["document"] == "11222333000181"
    assert data["email"] == "contato@exemplo.com.br"
    assert (data["status"], data["kind"]) == ("Ativo", "PJ")
    assert data["phones"][0]["number"] == "+5511987654321"
    assert data["addresses"][0]["cep"] == "01310100"
    assert data["contacts"][0]["phones"][0]["number"] == "+5521934567890"
    assert data["tags"] == ["atacado", "sp"]
    assert data["origin"] == "api"
    assert api.get(f"/api/v1/clients/{data['id']}").json == data


def test_the_form_rules_apply_and_every_bad_field_is_named(api):
    response = api.post(
        "/api/v1/clients",
        json=_client(
            name="  ",
            document="123",
            email="sem-arroba",
            phones=[{"number": "12"}],
        ),
    )
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    problem = response.json
    assert problem["status"] == 422 and problem["type"].endswith("/invalid")
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) == {"/name", "/document", "/email", "/phones/0/number"}
    assert fields["/document"] == "CPF tem 11 dígitos e CNPJ tem 14 caracteres; você digitou 3."
    assert api.get("/api/v1/clients").json["items"] == []


def test_nested_address_errors_point_into_the_array_and_nothing_is_saved(api):
    bad = _client(addresses=[{**_client()["addresses"][0], "cep": "123", "uf": "XX"}])
    response = api.post("/api/v1/clients", json=bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {
        "/addresses/0/cep",
        "/addresses/0/uf",
    }
    assert api.get("/api/v1/clients").json["items"] == []


def test_shape_errors_are_problems_too(api):
    response = api.post(
        "/api/v1/clients", json={"name": 5, "kind": "XX", "phones": "x", "unknown": 1}
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {
        "/name",
        "/kind",
        "/phones",
        "/unknown",
    }
    bad_json = api.post("/api/v1/clients", data="{", content_type="application/json")
    assert (bad_json.status_code, bad_json.mimetype) == (400, PROBLEM)
    not_json = api.post("/api/v1/clients", data="name=x")
    assert not_json.status_code == 415


def test_patch_changes_only_what_it_sends_and_refuses_a_stale_version(api):
    created = api.post("/api/v1/clients", json=_client()).json
    response = api.patch(f"/api/v1/clients/{created['id']}", json={"trade_name": "Exemplo"})
    assert response.status_code == 200
    assert response.json["trade_name"] == "Exemplo"
    assert response.json["document"] == "11222333000181"
    assert len(response.json["phones"]) == 1
    stale = api.patch(
        f"/api/v1/clients/{created['id']}", json={"name": "Outro", "version": created["version"]}
    )
    assert stale.status_code == 409
    assert "alterado por outra pessoa" in stale.json["detail"]


def test_upsert_finds_by_document_or_email(api):
    first = api.post("/api/v1/clients/upsert", json=_client())
    assert first.status_code == 201
    again = api.post(
        "/api/v1/clients/upsert",
        json=_client(document="11222333000181", name="Empresa Exemplo S/A"),
    )
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert again.json["name"] == "Empresa Exemplo S/A"
    assert len(again.json["addresses"]) == 1  # the same address is not added twice
    person = {"name": "Maria", "email": "maria@example.com"}
    made = api.post("/api/v1/clients/upsert", json=person).json
    by_email = api.post("/api/v1/clients/upsert", json={**person, "name": "Maria Silva"})
    assert (by_email.status_code, by_email.json["id"]) == (200, made["id"])
    nothing = api.post("/api/v1/clients/upsert", json={"name": "Sem chave"})
    assert nothing.json["errors"][0]["field"] == "/document"


def test_list_searches_and_limits_the_page_size(api):
    for i in range(3):
        api.post("/api/v1/clients", json={"name": f"Cliente {i}", "email": f"c{i}@example.com"})
    page = api.get("/api/v1/clients?q=cliente&per_page=2").json
    assert [c["name"] for c in page["items"]] == ["Cliente 0", "Cliente 1"]
    assert page["has_next"] is True
    assert "addresses" in page["items"][0] and "contacts" in page["items"][0]
    rest = api.get(f"/api/v1/clients?q=cliente&per_page=2&cursor={page['next_cursor']}").json
    assert [c["name"] for c in rest["items"]] == ["Cliente 2"]
    assert rest["has_next"] is False and rest["next_cursor"] is None
    too_big = api.get("/api/v1/clients?per_page=1000")
    assert too_big.status_code == 422
    assert too_big.json["errors"][0]["field"] == "per_page"


def test_list_takes_the_list_pages_filters(api):
    api.post(
        "/api/v1/clients",
        json={"name": "Loja Alfa", "kind": "PJ", "document": "11.222.333/0001-81"},
    )
    api.post(
        "/api/v1/clients",
        json={"name": "Comprador", "email": "c@example.com", "password": "segredo-123"},
    )
    api.post("/api/v1/clients", json={"name": "Fornecedora"})

    def names(query):
        return [c["name"] for c in api.get(f"/api/v1/clients?{query}").json["items"]]

    assert names("kind=PJ") == ["Loja Alfa"]
    assert names("group=lead") == ["Comprador"]
    assert names("group=contact&sort=created") == ["Fornecedora", "Loja Alfa"]
    assert names("q=11.222.333") == ["Loja Alfa"]
    assert names("is_supplier=false&q=forn") == ["Fornecedora"]
    bad = api.get("/api/v1/clients?created_from=2026-02-31")
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "created_from"


def test_addresses_and_contacts_of_another_client_are_404(api):
    one = api.post("/api/v1/clients", json=_client()).json
    two = api.post("/api/v1/clients", json={"name": "Outro"}).json
    address_id = one["addresses"][0]["id"]
    response = api.patch(
        f"/api/v1/clients/{two['id']}/addresses/{address_id}", json={"number": "2"}
    )
    assert (response.status_code, response.mimetype) == (404, PROBLEM)
    ok = api.patch(f"/api/v1/clients/{one['id']}/addresses/{address_id}", json={"number": "2"})
    assert ok.status_code == 200 and ok.json["number"] == "2"
    added = api.post(f"/api/v1/clients/{two['id']}/contacts", json={"name": "Zé"})
    assert added.status_code == 201
    assert api.get("/api/v1/clients/999999").status_code == 404
    assert api.get("/api/v1/clients/99999999999999999999").status_code == 404


@pytest.mark.config(CLIENTELA_API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_413(api):
    response = api.post("/api/v1/clients", json={"name": "x" * 2000})
    assert (response.status_code, response.mimetype) == (413, PROBLEM)


def test_patch_without_version_is_last_write_wins(api):
    """The PATCH version rule: `version` is optional; none sent applies to what is stored."""
    created = api.post("/api/v1/clients", json=_client()).json
    url = f"/api/v1/clients/{created['id']}"
    first = api.patch(url, json={"trade_name": "Primeira"})
    second = api.patch(url, json={"name": "Empresa Segunda Ltda"})
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json["trade_name"] == "Primeira"  # the first write is kept, not undone
    assert second.json["name"] == "Empresa Segunda Ltda"
    assert second.json["version"] > first.json["version"] > created["version"]


def test_patch_with_version_must_name_the_stored_one(api):
    created = api.post("/api/v1/clients", json=_client()).json
    url = f"/api/v1/clients/{created['id']}"
    ok = api.patch(url, json={"trade_name": "Atual", "version": created["version"]})
    assert ok.status_code == 200
    stale = api.patch(url, json={"trade_name": "Velha", "version": created["version"]})
    assert (stale.status_code, stale.mimetype) == (409, PROBLEM)
    assert api.get(url).json["trade_name"] == "Atual"

    address = created["addresses"][0]
    address_url = f"{url}/addresses/{address['id']}"
    moved = api.patch(address_url, json={"number": "2000", "version": address["version"]})
    assert moved.status_code == 200
    again = api.patch(address_url, json={"number": "3000", "version": address["version"]})
    assert again.status_code == 409
    blind = api.patch(address_url, json={"number": "3000"})
    assert (blind.status_code, blind.json["number"]) == (200, "3000")


def test_wrong_json_types_are_named_in_portuguese(api):
    response = api.post(
        "/api/v1/clients",
        json={
            "name": "Maria",
            "kind": "XX",
            "is_supplier": "sim",
            "trade_name": "x" * 1001,
            "phones": [{"number": 11987654321}],
            "contacts": [{"name": "Zé", "phones": [{"number": None}]}],
        },
    )
    assert (response.status_code, response.mimetype) == (422, PROBLEM)
    assert {e["field"]: e["message"] for e in response.json["errors"]} == {
        "/kind": "Use um destes valores: PF, PJ.",
        "/is_supplier": "Envie true ou false.",
        "/trade_name": "Use no máximo 1000 caracteres.",
        "/phones/0/number": "Envie um texto (string JSON).",
        "/contacts/0/phones/0/number": "Este campo não pode ser nulo.",
    }
    page = api.get("/api/v1/clients?per_page=muitos")
    assert page.status_code == 422
    assert page.json["errors"] == [
        {"field": "per_page", "code": "invalid", "message": "Envie um número inteiro."}
    ]


def test_the_openapi_enums_are_the_models_values(http):
    from portal.clients.models import ADDRESS_DEFAULT, ADDRESS_DELIVERY, KIND_COMPANY, KIND_PERSON

    spec = http.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    kind = schemas["ClientInput"]["properties"]["kind"]["anyOf"][0]
    assert kind["enum"] == [KIND_PERSON, KIND_COMPANY]
    address_kind = schemas["AddressInput"]["properties"]["kind"]["anyOf"][0]
    assert address_kind["enum"] == [ADDRESS_DEFAULT, ADDRESS_DELIVERY]
    assert "a última gravação vence" in spec["info"]["description"]
