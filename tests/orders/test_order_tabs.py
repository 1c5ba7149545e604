"""Order tabs: what another domain (billing, visits) registers shows in the order popup."""

import re

from flask import Blueprint

from portal import extension_points
from portal.extension_points import OrderTab


def test_a_registered_order_tab_shows_in_the_order_popup(
    app, staff, make_client, make_order, tmp_path
):
    (tmp_path / "boletos").mkdir()
    (tmp_path / "boletos" / "_tab.html").write_text("<p>Boleto do pedido {{ ctx.number }}</p>")
    app.register_blueprint(Blueprint("boletos", __name__, template_folder=str(tmp_path)))
    extension_points.add_order_tab(
        app,
        OrderTab("boletos", "Boletos", "boletos/_tab.html", lambda o: {"number": o.display_number}),
    )
    client = make_client()
    order_id = make_order(client.id)
    http = app.test_client()
    http.post("/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"})
    popup = http.get(f"/admin/clientes/{client.id}/pedidos/{order_id}").text
    assert 'id="order-tab-boletos"' in popup and '<h3 class="h6">Boletos</h3>' in popup
    assert re.search(r"<p>Boleto do pedido #\d+</p>", popup)
    new_order = http.get(f"/admin/clientes/{client.id}/pedidos/novo").text
    assert "order-tab-boletos" not in new_order  # a tab is about a saved order


def test_the_popup_has_only_the_registered_tabs(admin_http, make_client, make_order):
    client = make_client()
    popup = admin_http.get(f"/admin/clientes/{client.id}/pedidos/{make_order(client.id)}").text
    # billing's, then visits'
    assert re.findall(r'id="order-tab-([\w-]+)"', popup) == ["pagamento", "visita"]
