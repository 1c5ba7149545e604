"""order_created / order_status_changed / client_saved reach receivers after the commit,
from the back office and from the API; a refused request sends nothing."""

import re
from contextlib import contextmanager

from portal import db
from portal.extension_points import client_saved, order_created, order_status_changed
from portal.orders.models import Order
from tests.orders.test_order_pages import _popup_form


@contextmanager
def _listening(app, *signals):
    seen = []

    def receiver(sender, **kwargs):
        # Sent after the commit: a fresh read finds what was saved.
        order = kwargs.get("order")
        stored = db.session.get(Order, order.id).status.name if order is not None else None
        actor = kwargs.get("actor")
        kwargs["actor_email"] = actor.email if actor is not None else None
        seen.append((sender, kwargs.get("source"), stored, kwargs))

    for signal in signals:
        signal.connect(receiver, sender=app)
    try:
        yield seen
    finally:
        for signal in signals:
            signal.disconnect(receiver, sender=app)


def test_the_order_popup_announces_a_new_order_and_a_status_change(
    app, admin_http, make_client, lists
):
    client = make_client()
    url = f"/admin/clientes/{client.id}/pedidos/novo"
    with _listening(app, order_created, order_status_changed) as seen:
        assert admin_http.post(url, data=_popup_form(lists, 0, status="Aguardando pagamento"))
        with app.app_context():
            order_id = db.session.scalar(db.select(Order.id))
        edit = f"/admin/clientes/{client.id}/pedidos/{order_id}"
        version = re.search(r'name="order-version"[^>]*value="(\d+)"', admin_http.get(edit).text)
        admin_http.post(edit, data=_popup_form(lists, version.group(1), status="Pago"))
    assert [(s, source, status) for s, source, status, _ in seen] == [
        (app, "admin", "Aguardando pagamento"),
        (app, "admin", "Pago"),
    ]
    changed = seen[1][3]
    assert changed["old_status_id"] == lists["statuses"]["Aguardando pagamento"]
    assert changed["new_status_id"] == lists["statuses"]["Pago"]
    assert changed["actor_email"] == "equipe@loja.example"  # the staff user who saved


def test_the_api_announces_orders_status_changes_and_client_saves(app, api, lists):
    with _listening(app, order_created, order_status_changed, client_saved) as seen:
        client = api.post("/api/v1/clients", json={"name": "Maria", "email": "m@example.com"})
        item = {"code": "A", "description": "Camiseta", "quantity": 1, "unit_price": "10.00"}
        body = {"client_id": client.json["id"], "items": [item]}
        order = api.post("/api/v1/orders", json=body).json
        paid = {"status_id": lists["statuses"]["Pago"]}
        api.post(f"/api/v1/orders/{order['id']}/status", json=paid)
        api.post(f"/api/v1/orders/{order['id']}/status", json=paid)  # no change: no signal
        refused = api.post("/api/v1/orders", json={**body, "client_id": 999_999})
    assert refused.status_code == 404
    kinds = [
        ("client" if "client" in kw and "order" not in kw else "order", source, status)
        for _s, source, status, kw in seen
    ]
    assert kinds == [
        ("client", "api", None),
        ("order", "api", "Aguardando pagamento"),
        ("order", "api", "Pago"),
    ]
    assert seen[0][3]["created"] is True
    assert seen[2][3]["old_status_id"] == lists["statuses"]["Aguardando pagamento"]
