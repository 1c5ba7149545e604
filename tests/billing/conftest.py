"""Fixtures of the billing tests: the public boleto vectors and the API's keyed client."""

import json
from datetime import date
from pathlib import Path

from portal.billing import codes
from tests.orders.factories import api, api_key  # noqa: F401

# Public vectors (bank, due date, value, barcode, linha, verdict, source), a copy of the
# project's shared/boleto/vectors.json: each entry names the public test suite or manual.
VECTORS = json.loads((Path(__file__).with_name("vectors.json")).read_text("utf-8"))
VALID = [v for v in VECTORS if v["valid"]]
INVALID = [v for v in VECTORS if not v["valid"]]

# Utility bills ("arrecadação") from mrmgomes/boleto-utils@c59337c test/test.js: barcode,
# linha, value.
ARRECADACAO = [
    (
        "83860000005096000190000008017823000034306271",
        "838600000050096000190009000801782309000343062712",
        "509.60",
    ),
    (
        "85820000000572503282035607082021053959190446",
        "858200000007572503282030560708202107539591904460",
        "57.25",
    ),
    (
        "84630000000299902962020041013600000200644114",
        "846300000003299902962024004101360008002006441147",
        "29.99",
    ),
]


def vector_id(vector: dict) -> str:
    return f"{vector['bank'].split()[0]}-{vector['due_date']}-{vector['value_cents']}"


def assert_due_date(found: str | None, vector: dict, today: date) -> None:
    """The decoded date is the vector's when that lies in the window around `today` (3,000
    days before, 5,500 after); else it is the same factor in a later 9,000-day cycle, the one
    nearest the window (the shared README's rule; old vectors decode to a later cycle)."""
    expected = date.fromisoformat(vector["due_date"])
    decoded = date.fromisoformat(found)
    offset = (expected - today).days
    if -codes.WINDOW_BEFORE <= offset <= codes.WINDOW_AFTER:
        assert decoded == expected
    else:
        assert decoded > expected
        assert (decoded - expected).days % codes.CYCLE_DAYS == 0
        assert _outside(decoded, today) <= _outside(expected, today)


def _outside(day: date, today: date) -> int:
    """Days between `day` and the window around `today` (0 inside)."""
    offset = (day - today).days
    return max(-codes.WINDOW_BEFORE - offset, offset - codes.WINDOW_AFTER, 0)


# Orders and billing accounts for the billing domain's tests ---------------------------------
import pytest  # noqa: E402

from tests.orders.factories import lists, make_order, order_lists  # noqa: E402, F401


@pytest.fixture
def make_account(app):
    """Factory: a saved billing account (Banco do Brasil, convênio of 7 digits, unless told)."""
    from portal import db
    from portal.billing.models import BillingAccount

    def make(**overrides):
        values = {
            "name": "BB Cobrança",
            "bank_code": "001",
            "agency": "1234",
            "agency_digit": "5",
            "account": "123456",
            "account_digit": "7",
            "carteira": "17",
            "convenio": "1234567",
            "beneficiary_name": "Loja Exemplo Ltda",
            "beneficiary_document": "11222333000181",
            "beneficiary_address": "Rua das Flores, 10 - Centro - São Paulo/SP",
            "is_default": True,
            **overrides,
        }
        with app.app_context():
            account = BillingAccount(**values)
            db.session.add(account)
            db.session.commit()
            return account.id

    return make


@pytest.fixture
def boleto_method(app):
    """{"method": id of "Boleto bancário" (issues boletos), "term": {days: id}}."""
    from portal import db
    from portal.lookups.models import PaymentMethod, PaymentTerm

    with app.app_context():
        method = PaymentMethod(name="Boleto bancário", issues_boleto=True)
        card = PaymentMethod(name="Cartão", issues_boleto=False)
        terms = {days: PaymentTerm(name=days or "À vista", days=days) for days in ("", "30,60,90")}
        db.session.add_all([method, card, *terms.values()])
        db.session.commit()
        return {
            "method": method.id,
            "card": card.id,
            "term": {days: term.id for days, term in terms.items()},
        }
