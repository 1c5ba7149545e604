"""Order fixtures shared by tests/orders, tests/api and the e2e test."""

import pytest

from portal import db


@pytest.fixture(autouse=True)
def order_lists(app):
    """The seeded types and statuses (the suite empties tables between tests; re-seed them)."""
    from portal.orders.seeds import ensure_defaults

    with app.app_context():
        ensure_defaults()
        db.session.commit()


@pytest.fixture
def lists(app, order_lists):
    """{name: id} of the order types and statuses."""
    from portal.orders import queries

    with app.app_context():
        types = {t.name: t.id for t in queries.order_types()}
        statuses = {s.name: s.id for s in queries.order_statuses()}
    return {"types": types, "statuses": statuses}


@pytest.fixture
def make_order(app, staff, lists):
    """Factory: a saved order for `client_id` (one item of 2 x R$ 10,00 unless told)."""
    from portal.orders import service
    from portal.orders.validation import ItemInput, OrderInput

    def make(client_id: int, status: str = "Aguardando pagamento", items=None, **overrides):
        data = OrderInput(
            type_id=overrides.pop("type_id", lists["types"]["Pedido"]),
            status_id=lists["statuses"][status],
            items=items or [ItemInput("SKU-1", "Camiseta", "2", "10.00")],
            **overrides,
        )
        with app.app_context():
            from portal.staff.models import StaffUser

            actor = service.Actor.of_staff(db.session.get(StaffUser, staff.id))
            order = service.create_order(client_id, data, actor)
            db.session.commit()
            return order.id

    return make


@pytest.fixture
def api_key(app):
    """A plain API key (as the shop holds it)."""
    from portal.api.keys import create_key

    with app.app_context():
        _key, plain = create_key("loja-teste")
        db.session.commit()
    return plain


@pytest.fixture
def api(http, api_key):
    """The test client with the bearer key on every request."""

    class Api:
        headers = {"Authorization": f"Bearer {api_key}"}

        def __getattr__(self, method):
            def call(path, headers=None, **kw):
                return getattr(http, method)(
                    path, headers={**self.headers, **(headers or {})}, **kw
                )

            return call

    return Api()
