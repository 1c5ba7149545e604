"""The Pedidos tab, the order popup and the two lists, over HTTP as staff use them."""

import json
import re

from portal import db
from portal.orders.models import Order
from tests.conftest import field_errors


def _popup_form(lists, version, status="Pago", **overrides):
    data = {
        "order-type_id": str(lists["types"]["Pedido"]),
        "order-status_id": str(lists["statuses"][status]),
        "order-shipping": "0",
        "order-version": str(version),
        "order-items-0-code": "SKU-1",
        "order-items-0-description": "Camiseta",
        "order-items-0-quantity": "2",
        "order-items-0-unit_price": "10,00",
        "order-items-0-discount": "",
    }
    data.update(overrides)
    return data


def test_the_pedidos_tab_lists_orders_with_their_items_and_total(
    admin_http, make_client, make_order
):
    client = make_client()
    make_order(client.id, items=None, shipping="5.00")
    page = admin_http.get(f"/admin/clientes/{client.id}").text
    assert ">Pedidos</button>" in page
    row = re.search(r'<tr data-order="#000001">(.*?)</tr>', page, re.S).group(1)
    for text in ("#000001", "Pedido", "R$\xa025,00", "Aguardando pagamento"):
        assert text in row
    items = page.split('id="order-items-')[1]
    assert "Camiseta" in items and "R$\xa020,00" in items and "Frete" in items
    assert re.search(r'order-total">R\$\xa025,00<', items)


def test_the_popup_marks_type_and_status_as_required(admin_http, make_client, make_order):
    client = make_client()
    order_id = make_order(client.id)
    popup = admin_http.get(f"/admin/clientes/{client.id}/pedidos/{order_id}").text
    for label in ("Tipo de Pedido", "Situação do Pedido"):
        assert re.search(label + r'<span class="text-danger" title="obrigatório"> \*</span>', popup)
    assert "Forma de Pagamento" in popup and 'value="10,00"' in popup


def test_saving_the_popup_changes_the_status_and_refreshes_the_tab(
    app, admin_http, make_client, make_order, lists
):
    client = make_client()
    order_id = make_order(client.id)
    url = f"/admin/clientes/{client.id}/pedidos/{order_id}"
    response = admin_http.post(url, data=_popup_form(lists, 1), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#orders"
    assert json.loads(response.headers["HX-Trigger"]) == {"clientela:saved": "Pedido gravado."}
    assert "Pago" in response.text
    popup = admin_http.get(url).text
    assert "Equipe: Aguardando pagamento → Pago" in popup
    with app.app_context():
        from portal.clients.models import Client

        assert db.session.get(Client, client.id).first_purchase_at is not None


def test_a_stale_popup_save_keeps_the_typed_values_and_explains(
    admin_http, make_client, make_order, lists
):
    client = make_client()
    order_id = make_order(client.id)
    url = f"/admin/clientes/{client.id}/pedidos/{order_id}"
    admin_http.post(url, data=_popup_form(lists, 1, status="Pago"))
    typed = _popup_form(lists, 1, status="Cancelado", **{"order-shipping": "7,50"})
    response = admin_http.post(url, data=typed)
    assert response.status_code == 422
    errors = " ".join(field_errors(response.text))
    assert "alterado por outra pessoa" in errors and "“Pago”" in errors
    assert 'value="7,50"' in response.text
    assert re.search(r'<option selected value="\d+">Cancelado</option>', response.text)
    shown = re.search(r'name="order-version"[^>]*value="(\d+)"', response.text)
    shown = shown or re.search(r'value="(\d+)"[^>]*name="order-version"', response.text)
    again = admin_http.post(url, data={**typed, "order-version": shown.group(1)})
    assert again.status_code == 200


def test_staff_add_an_order_in_the_popup_and_item_errors_show_on_the_row(
    app, admin_http, make_client, lists
):
    client = make_client()
    url = f"/admin/clientes/{client.id}/pedidos/novo"
    assert "Adicionar item" in admin_http.get(url).text
    bad = _popup_form(lists, 0, **{"order-items-3-code": "X", "order-items-3-description": "Y",
                                   "order-items-3-unit_price": "abc"})  # fmt: skip
    response = admin_http.post(url, data=bad)
    assert response.status_code == 422
    assert "Preço unitário: valor inválido; use números, como 1234,56." in field_errors(
        response.text
    )
    assert re.search(
        r'is-invalid" name="order-items-\d-unit_price"[^>]*\s+value="abc"', response.text
    )
    ok = admin_http.post(url, data=_popup_form(lists, 0, **{"order-type_id": ""}))
    assert "Escolha o Tipo de Pedido (um tipo ativo da lista)." in field_errors(ok.text)
    saved = admin_http.post(url, data=_popup_form(lists, 0))
    assert saved.status_code == 200 and "#000001" in saved.text
    with app.app_context():
        assert db.session.query(Order).one().origin == "staff"


def test_an_order_of_another_client_is_404(admin_http, make_client, make_order):
    one, two = make_client(), make_client()
    order_id = make_order(one.id)
    assert admin_http.get(f"/admin/clientes/{two.id}/pedidos/{order_id}").status_code == 404
    assert admin_http.get(f"/admin/clientes/{one.id}/pedidos/999").status_code == 404


def test_order_pages_need_staff(http, make_client, make_order):
    client = make_client()
    order_id = make_order(client.id)
    for url in (f"/admin/clientes/{client.id}/pedidos/{order_id}", "/admin/pedidos",
                "/admin/pedidos/listas/situacoes", "/admin/chaves-de-api"):  # fmt: skip
        assert http.get(url).status_code == 302


def test_statuses_list_adds_one_that_counts_as_purchase(admin_http):
    url = "/admin/pedidos/listas/situacoes"
    page = admin_http.get(url).text
    assert "Situações do Pedido" in page and "Aguardando pagamento" in page
    response = admin_http.post(
        url,
        data={"entry-name": "Faturado", "entry-position": "25", "entry-is_active": "y",
              "entry-counts_as_purchase": "y"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Situação do Pedido “Faturado” gravada." in response.text
    assert re.search(r"<td>25</td><td>Faturado</td>\s*<td>Sim</td>", response.text)
    duplicate = admin_http.post(url, data={"entry-name": "faturado", "entry-position": "x"})
    errors = field_errors(duplicate.text)
    assert "Já existe uma Situação do Pedido com este nome." in errors
    assert "Ordem: use um número inteiro de -10000 a 10000." in errors


def test_order_types_list_and_orders_menu(admin_http, make_client, make_order):
    page = admin_http.get("/admin/pedidos/listas/tipos").text
    for name in ("Pedido", "Orçamento", "Devolução", "Recibo de pagamento"):
        assert f"<td>{name}</td>" in page
    assert "Tipos de Pedidos" in page and "Chaves de API" in page
    make_order(make_client(name="Loja Beta").id)
    listing = admin_http.get("/admin/pedidos").text
    assert "#000001" in listing and "Loja Beta" in listing
