"""`make run`'s demo data: loads once, a second run duplicates nothing, the login works."""

from sqlalchemy import func, select

from portal import db
from portal.clients import relationship
from portal.clients.models import Client
from portal.orders.models import Order


def test_demo_data_is_idempotent_and_shows_every_kind_of_client(app):
    from portal.orders.seeds import ensure_defaults

    with app.app_context():  # the suite empties tables between tests; migrations seed these
        ensure_defaults()
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["clientela", "demo-data"])
    assert first.exit_code == 0, first.output
    assert "admin@clientela.example / clientela-demo" in first.output
    second = runner.invoke(args=["clientela", "demo-data"])
    assert "já existiam" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Client.id))) == 5
        assert db.session.scalar(select(func.count(Order.id))) == 4
        assert relationship.counts(db.session) == {
            "active": 1,
            "lead": 0,
            "contact": 3,
            "inactive": 1,
        }
    login = app.test_client().post(
        "/admin/login", data={"email": "admin@clientela.example", "password": "clientela-demo"}
    )
    assert login.status_code == 302
    assert "maria.silva@example.com / cliente-demo" in first.output
    shop = app.test_client()
    storefront = shop.post(
        "/conta/entrar", data={"email": "maria.silva@example.com", "password": "cliente-demo"}
    )
    assert storefront.status_code == 302
    assert shop.get("/conta/pedidos").text.count("/conta/pedidos/") == 3
    with app.app_context():  # the order awaiting payment is paid by boleto, 3 instalments
        from portal.billing.models import Boleto

        boletos = db.session.scalars(select(Boleto).order_by(Boleto.instalment)).all()
        assert [(b.instalment, b.instalments, b.status) for b in boletos] == [
            (1, 3, "emitido"), (2, 3, "emitido"), (3, 3, "emitido")]  # fmt: skip
        assert sum(b.amount for b in boletos) == db.session.get(Order, boletos[0].order_id).total
    with app.app_context():
        account_id = boletos[0].account_id
    remessa = app.test_client()
    remessa.post(
        "/admin/login", data={"email": "admin@clientela.example", "password": "clientela-demo"}
    )
    download = remessa.post(f"/admin/contas-de-cobranca/{account_id}/remessa")
    assert download.status_code == 200, download.headers.get("Location")
    lines = download.data.decode("latin-1").split("\r\n")[:-1]
    assert [line[7] + line[13] * (line[7] == "3") for line in lines] == [
        "0", "1", *["3P", "3Q", "3R"] * 3, "5", "9"]  # fmt: skip
