"""Issuing an order's boletos: instalments in cents, due dates, gap-free nosso números."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal import db
from portal.billing import codes, issuing
from portal.billing.models import BillingAccount, Boleto
from portal.billing.service import boletos_for_order
from portal.orders.validation import ItemInput


def test_split_puts_the_remainder_on_the_first_instalment():
    assert issuing.split_cents(Decimal("100.00"), 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert sum(issuing.split_cents(Decimal("1000.01"), 7)) == Decimal("1000.01")


def _order(make_order, client_id, methods, days="30,60,90", price="100.00"):
    return make_order(
        client_id,
        items=[ItemInput("SKU-1", "Camiseta", "1", price)],
        payment_method_id=methods["method"],
        payment_term_id=methods["term"][days],
    )


def test_three_instalments_with_due_dates_codes_and_history(
    app, make_client, make_order, make_account, boleto_method
):
    account_id = make_account()
    client = make_client()
    order_id = _order(make_order, client.id, boleto_method)
    with app.app_context():
        result = issuing.issue_for_order(order_id, actor_label="Equipe")
        db.session.commit()
        assert result.note is None
        boletos = boletos_for_order(db.session, order_id)
        start = boletos[0].issued_on
        assert [(b.instalment, b.instalments, b.amount, b.due_date) for b in boletos] == [
            (1, 3, Decimal("33.34"), start + timedelta(days=30)),
            (2, 3, Decimal("33.33"), start + timedelta(days=60)),
            (3, 3, Decimal("33.33"), start + timedelta(days=90)),
        ]
        # BB, convênio of 7 digits: nosso número = convênio + 10-digit sequence, no DV.
        assert [b.nosso_numero for b in boletos] == [
            "12345670000000001",
            "12345670000000002",
            "12345670000000003",
        ]
        for boleto in boletos:
            parsed = codes.parse(boleto.linha_digitavel, today=boleto.issued_on)
            assert parsed.barcode == boleto.barcode
            assert parsed.bank_code == "001"
            assert parsed.value == boleto.amount
            assert parsed.due_date == boleto.due_date
            assert boleto.status == "emitido"
            assert [(e.actor_label, e.to_status) for e in boleto.events] == [("Equipe", "emitido")]
        assert db.session.get(BillingAccount, account_id).next_nosso_numero == 4
        # Issuing again changes nothing: the order has its boletos.
        again = issuing.issue_for_order(order_id, actor_label="Equipe")
        assert again.boletos == [] and "já tem" in again.note


def test_cash_term_is_one_boleto_due_in_the_configured_days(
    app, make_client, make_order, make_account, boleto_method
):
    make_account()
    order_id = _order(make_order, make_client().id, boleto_method, days="")
    with app.app_context():
        [boleto] = issuing.issue_for_order(order_id, actor_label="Equipe").boletos
        assert boleto.amount == Decimal("100.00")
        assert boleto.due_date == boleto.issued_on + timedelta(days=3)


def test_no_account_leaves_the_order_with_a_note(app, make_client, make_order, boleto_method):
    order_id = _order(make_order, make_client().id, boleto_method)
    with app.app_context():
        result = issuing.issue_for_order(order_id, actor_label="Equipe")
        assert result.boletos == []
        assert "conta de cobrança" in result.note
        from portal.orders.models import Order

        assert "nenhuma conta de cobrança ativa" in issuing.pending_note(
            db.session.get(Order, order_id)
        )


def test_a_method_that_is_not_boleto_issues_nothing(
    app, make_client, make_order, make_account, boleto_method
):
    make_account()
    order_id = make_order(
        make_client().id,
        payment_method_id=boleto_method["card"],
        payment_term_id=boleto_method["term"][""],
    )
    with app.app_context():
        assert issuing.issue_for_order(order_id, actor_label="x").boletos == []
        assert db.session.scalars(select(Boleto)).all() == []


def test_concurrent_issuers_never_share_or_skip_a_nosso_numero(
    app, make_client, make_order, make_account, boleto_method
):
    """Threads, each its own session and transaction, issue boletos for different orders at
    once: the numbers are 1..N with no repeats and no gaps (PostgreSQL row lock; SQLite's
    write lock)."""
    account_id = make_account()
    client = make_client()
    orders = [_order(make_order, client.id, boleto_method) for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(orders))

    def work(order_id):
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                issuing.issue_for_order(order_id, actor_label="t")
                db.session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(o,)) for o in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        numbers = sorted(int(n[-10:]) for n in db.session.scalars(select(Boleto.nosso_numero)))
        assert numbers == list(range(1, 3 * len(orders) + 1))
        assert db.session.get(BillingAccount, account_id).next_nosso_numero == 3 * len(orders) + 1


@pytest.mark.parametrize(
    ("bank", "fields"),
    [
        ("104", {"carteira": "14", "convenio": "123456"}),
        ("033", {"carteira": "101", "convenio": "1234567"}),
        ("341", {"carteira": "109", "agency": "1234", "account": "56789", "account_digit": "0"}),
        ("237", {"carteira": "09", "agency": "1234", "account": "1234567"}),
        ("756", {"carteira": "1", "agency": "4321", "convenio": "1234567", "modalidade": "01"}),
    ],
)
def test_every_bank_issues_codes_that_parse_back(
    app, make_client, make_order, make_account, boleto_method, bank, fields
):
    make_account(bank_code=bank, **fields)
    order_id = _order(make_order, make_client().id, boleto_method, days="")
    with app.app_context():
        [boleto] = issuing.issue_for_order(order_id, actor_label="Equipe").boletos
        parsed = codes.parse(boleto.barcode, today=boleto.issued_on)
        assert (parsed.bank_code, parsed.value) == (bank, Decimal("100.00"))
        assert boleto.linha_digitavel == parsed.linha_digitavel
