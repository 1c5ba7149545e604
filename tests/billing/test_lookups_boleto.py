"""The payment method's "Emite boletos" flag in its popup; a payment term's instalment days."""

import pytest

from portal import db
from portal.lookups.models import PaymentMethod, PaymentTerm, parse_instalment_days
from tests.conftest import field_errors


def test_payment_method_popup_sets_the_boleto_flag(app, admin_http):
    popup = admin_http.get("/admin/listas/formas-pagamento").get_data(as_text=True)
    assert "Emite boletos" in popup
    saved = admin_http.post("/admin/listas/formas-pagamento", data={
        "lookup-name": "Boleto bancário", "lookup-is_active": "y",
        "lookup-issues_boleto": "y"})  # fmt: skip
    assert saved.status_code == 200
    with app.app_context():
        method = db.session.query(PaymentMethod).one()
        assert method.issues_boleto is True
        method_id, version = method.id, method.version
    admin_http.post(f"/admin/listas/formas-pagamento/{method_id}", data={
        "lookup-name": "Boleto bancário", "lookup-is_active": "y",
        "lookup-version": str(version)})  # fmt: skip
    with app.app_context():
        assert db.session.get(PaymentMethod, method_id).issues_boleto is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("30/60/90", "30,60,90"), ("30, 60, 90", "30,60,90"), ("28", "28"), ("", "")],
)
def test_payment_term_days_accept_slashes_and_commas(app, admin_http, typed, stored):
    answer = admin_http.post("/admin/listas/prazos-pagamento", data={
        "lookup-name": "Prazo", "lookup-is_active": "y", "lookup-extra": typed})  # fmt: skip
    assert answer.status_code == 200, field_errors(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(PaymentTerm).one().days == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("60/30", "cada parcela vem depois"), ("30/30", "cada parcela vem depois"),
     ("0", "de 1 a 720"), ("30/x", "de 1 a 720"), ("-30", "de 1 a 720")],
)  # fmt: skip
def test_payment_term_days_are_positive_and_increasing(admin_http, typed, message):
    answer = admin_http.post("/admin/listas/prazos-pagamento", data={
        "lookup-name": "Prazo", "lookup-is_active": "y", "lookup-extra": typed})  # fmt: skip
    assert answer.status_code == 422
    assert message in " ".join(field_errors(answer.get_data(as_text=True)))


def test_parse_instalment_days():
    assert parse_instalment_days("30;60 / 90") == [30, 60, 90]
    with pytest.raises(ValueError):
        parse_instalment_days("90,60")
