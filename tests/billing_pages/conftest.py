"""Fixtures of the boleto pages (storefront tab, second copy, PDF, e-mail): the storefront's
accounts and SMTP server, the billing accounts and payment methods, orders with boletos."""

import pytest

from portal import db
from portal.billing import issuing
from portal.billing.models import BillingAccount
from portal.billing.service import boletos_for_order
from portal.orders.validation import ItemInput
from tests.billing.conftest import boleto_method, make_account  # noqa: F401
from tests.orders.factories import lists, make_order, order_lists  # noqa: F401
from tests.storefront.conftest import account, signed_in, smtp  # noqa: F401

PIX_KEY = "financeiro@loja.example"


@pytest.fixture
def boleto_order(app, make_order, make_account, boleto_method):  # noqa: F811 (fixtures)
    """Factory: an order of `client_id` paid in 30/60/90 days, its boletos issued; returns
    (order id, [(boleto id, linha digitável, barcode)] by instalment)."""

    def make(client_id: int, price: str = "300.00", **account_values):
        with app.app_context():
            account_id = db.session.query(BillingAccount.id).scalar()
        if account_id is None:
            make_account(**account_values)
        order_id = make_order(
            client_id,
            items=[ItemInput("SKU-1", "Camiseta", "1", price)],
            payment_method_id=boleto_method["method"],
            payment_term_id=boleto_method["term"]["30,60,90"],
        )
        with app.app_context():
            if not boletos_for_order(db.session, order_id):  # the receiver may have issued them
                issuing.issue_for_order(order_id, actor_label="Equipe")
                db.session.commit()
            boletos = boletos_for_order(db.session, order_id)
            return order_id, [(b.id, b.linha_digitavel, b.barcode) for b in boletos]

    return make
