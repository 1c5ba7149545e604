"""Back office: Configurações → Contas de cobrança (add, edit with version check, every
field validated in Portuguese), the Pagamento tabs (mark paid, cancel), Remessa / Retorno."""

import re
from datetime import date
from decimal import Decimal

import pytest

from portal import db
from portal.billing import issuing
from portal.billing.models import BillingAccount, Boleto
from portal.orders.validation import ItemInput
from tests.billing.test_cnab240 import caixa_t, header, record, trailers, u
from tests.conftest import field_errors

VALID = {
    "account-name": "Caixa Loja", "account-bank_code": "104", "account-agency": "1234",
    "account-agency_digit": "5", "account-account": "123456", "account-account_digit": "",
    "account-carteira": "14", "account-convenio": "123456", "account-modalidade": "",
    "account-transmission_code": "", "account-beneficiary_name": "Loja Exemplo Ltda",
    "account-beneficiary_document": "11.222.333/0001-81",
    "account-beneficiary_address": "Rua das Flores, 10 - Centro - São Paulo/SP",
    "account-instructions": "Não receber após 30 dias", "account-fine_percent": "2,00",
    "account-interest_percent_per_day": "0,0333", "account-discount_amount": "",
    "account-discount_until_days": "", "account-pix_key": "", "account-next_nosso_numero": "1",
    "account-is_default": "y", "account-is_active": "y",
}  # fmt: skip


def test_add_and_edit_an_account(app, admin_http):
    page = admin_http.get("/admin/contas-de-cobranca")
    assert page.status_code == 200
    saved = admin_http.post("/admin/contas-de-cobranca/nova", data=VALID)
    assert saved.status_code == 302, field_errors(saved.get_data(as_text=True))
    with app.app_context():
        account = db.session.query(BillingAccount).one()
        assert (account.bank_code, account.fine_percent, account.interest_percent_per_day) == (
            "104", Decimal("2.00"), Decimal("0.0333"))  # fmt: skip
        assert account.beneficiary_document == "11222333000181"
        account_id, version = account.id, account.version
    listing = admin_http.get("/admin/contas-de-cobranca").get_data(as_text=True)
    assert "Caixa Loja" in listing and "Padrão" in listing
    edit = admin_http.get(f"/admin/contas-de-cobranca/{account_id}").get_data(as_text=True)
    assert 'value="2,00"' in edit
    changed = admin_http.post(f"/admin/contas-de-cobranca/{account_id}", data={
        **VALID, "account-name": "Caixa Matriz", "account-version": str(version)})  # fmt: skip
    assert changed.status_code == 302
    stale = admin_http.post(f"/admin/contas-de-cobranca/{account_id}", data={
        **VALID, "account-name": "Outra", "account-version": str(version)})  # fmt: skip
    assert stale.status_code == 422
    assert "Outra" in stale.get_data(as_text=True)  # what was typed stays
    assert f'value="{version + 1}"' in stale.get_data(as_text=True)  # saving again wins
    with app.app_context():
        assert db.session.get(BillingAccount, account_id).name == "Caixa Matriz"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"account-name": ""}, "nome"),
        ({"account-bank_code": "999"}, "Banco do Brasil"),
        ({"account-agency": "12a"}, "Agência"),
        ({"account-beneficiary_document": "11.222.333/0001-00"}, "CNPJ"),
        ({"account-fine_percent": "50"}, "Multa"),
        ({"account-interest_percent_per_day": "0,12345"}, "Juros"),
        ({"account-convenio": "1234567"}, "Caixa"),  # Caixa's code has 6 digits
        ({"account-carteira": "99"}, "carteira 99"),
        ({"account-bank_code": "001", "account-convenio": "12345"}, "4, 6 ou 7"),
        ({"account-discount_amount": "5,00"}, "Desconto"),
        ({"account-pix_key": "chave com espaço"}, "Pix"),
    ],
)
def test_every_field_is_checked_with_a_portuguese_message(admin_http, changes, field_message):
    answer = admin_http.post("/admin/contas-de-cobranca/nova", data={**VALID, **changes})
    assert answer.status_code == 422
    messages = " ".join(field_errors(answer.get_data(as_text=True)))
    assert field_message.lower() in messages.lower(), messages


@pytest.fixture
def order_with_boletos(app, make_client, make_order, make_account, boleto_method):
    make_account(bank_code="104", carteira="14", convenio="123456", name="Caixa")
    client = make_client()
    order_id = make_order(
        client.id, status="Aguardando pagamento",
        items=[ItemInput("SKU", "Camiseta", "1", "200.00")],
        payment_method_id=boleto_method["method"],
        payment_term_id=boleto_method["term"]["30,60,90"],
    )  # fmt: skip
    with app.app_context():
        ids = [b.id for b in issuing.issue_for_order(order_id, actor_label="Equipe").boletos]
        db.session.commit()
    return client.id, order_id, ids


def test_order_tab_lists_boletos_and_staff_mark_paid_and_cancel(
    app, admin_http, order_with_boletos
):
    client_id, order_id, ids = order_with_boletos
    popup = admin_http.get(f"/admin/clientes/{client_id}/pedidos/{order_id}").get_data(as_text=True)
    assert "Pagamento" in popup
    assert popup.count('class="boleto-actions') == 3
    with app.app_context():
        first = db.session.get(Boleto, ids[0])
        assert first.formatted_linha in popup
    form = admin_http.get(f"/admin/boletos/{ids[0]}/pagar?where=order")
    assert form.status_code == 200 and "66,68" in form.get_data(as_text=True)
    bad = admin_http.post(
        f"/admin/boletos/{ids[0]}/pagar",
        data={f"pay{ids[0]}-paid_on": "31/02/2026", f"pay{ids[0]}-amount": "abc", "where": "order"},
    )
    assert bad.status_code == 422
    assert len(field_errors(bad.get_data(as_text=True))) >= 2
    paid = admin_http.post(
        f"/admin/boletos/{ids[0]}/pagar",
        data={
            f"pay{ids[0]}-paid_on": date.today().strftime("%d/%m/%Y"),
            f"pay{ids[0]}-amount": "66,68",
            f"pay{ids[0]}-fees": "1,50",
            "where": "order",
        },
    )
    assert paid.status_code == 200
    assert "Boleto marcado como pago" in paid.get_data(as_text=True)
    cancelled = admin_http.post(f"/admin/boletos/{ids[1]}/cancelar", data={"where": "order"})
    assert cancelled.status_code == 200
    # Paying the last open instalment moves the order to "Pago".
    admin_http.post(f"/admin/boletos/{ids[2]}/pagar", data={
        f"pay{ids[2]}-paid_on": date.today().isoformat(), f"pay{ids[2]}-amount": "66,66",
        "where": "order"})  # fmt: skip
    with app.app_context():
        boletos = [db.session.get(Boleto, i) for i in ids]
        assert [b.status for b in boletos] == ["pago", "cancelado", "pago"]
        assert boletos[0].events[-1].actor_label == "Equipe"
        assert (boletos[0].paid_amount, boletos[0].fees) == (Decimal("66.68"), Decimal("1.50"))
        from portal.orders.models import Order

        assert db.session.get(Order, order_id).status.name == "Pago"


def test_order_without_account_shows_the_note_and_issues_later(
    app, admin_http, make_client, make_order, make_account, boleto_method
):
    client = make_client()
    order_id = make_order(client.id, payment_method_id=boleto_method["method"],
                          payment_term_id=boleto_method["term"][""])  # fmt: skip
    popup = admin_http.get(f"/admin/clientes/{client.id}/pedidos/{order_id}").get_data(as_text=True)
    assert "nenhuma conta de cobrança ativa" in popup
    make_account()
    issued = admin_http.post(f"/admin/pedidos/{order_id}/boletos/emitir")
    assert issued.status_code == 200
    assert "Boletos emitidos: 1" in issued.get_data(as_text=True)


def test_client_tab_filters_and_pages(app, admin_http, order_with_boletos):
    client_id, _order_id, ids = order_with_boletos
    page = admin_http.get(f"/admin/clientes/{client_id}").get_data(as_text=True)
    assert 'id="client-boletos"' in page and page.count('data-boleto="') == 3
    with app.app_context():
        boleto = db.session.get(Boleto, ids[0])
        boleto.due_date = date(2020, 1, 1)
        db.session.commit()
    overdue = admin_http.get(f"/admin/clientes/{client_id}/boletos?overdue=1").get_data(
        as_text=True
    )
    assert re.findall(r'data-boleto="(\d+)"', overdue) == [str(ids[0])]
    assert "Vencido" in overdue
    paid = admin_http.get(f"/admin/clientes/{client_id}/boletos?status=pago").get_data(as_text=True)
    assert 'data-boleto="' not in paid
    older = admin_http.get(f"/admin/clientes/{client_id}/boletos?after={ids[1]}").get_data(
        as_text=True
    )
    assert re.findall(r'data-boleto="(\d+)"', older) == [str(ids[0])]


def test_remessa_download_and_retorno_upload(app, admin_http, order_with_boletos):
    _client_id, _order_id, ids = order_with_boletos
    with app.app_context():
        account_id = db.session.query(BillingAccount).one().id
        numbers = [db.session.get(Boleto, i).nosso_numero for i in ids]
    page = admin_http.get(f"/admin/contas-de-cobranca/{account_id}/remessa")
    assert "3 boletos" in page.get_data(as_text=True)
    download = admin_http.post(f"/admin/contas-de-cobranca/{account_id}/remessa")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert len(download.get_data().split(b"\r\n")[0]) == 240
    with app.app_context():
        assert all(db.session.get(Boleto, i).sent_in_remessa_at for i in ids)
    again = admin_http.get(f"/admin/contas-de-cobranca/{account_id}/remessa")
    assert "todos já foram enviados" in again.get_data(as_text=True)
    lines = [
        header("104"),
        record("104", 1, "1", (9, 9, "T")),
        caixa_t(1, "02", int(numbers[0][2:]), 6668),
        u("104", 2, "02"),
        caixa_t(3, "02", 424242, 100),
        u("104", 4, "02"),
        "lixo",
        *trailers("104", 4),
    ]
    data = "\r\n".join(lines).encode("latin-1")
    from io import BytesIO

    answer = admin_http.post(f"/admin/contas-de-cobranca/{account_id}/retorno",
                             data={"retorno-file": (BytesIO(data), "ret.ret")},
                             content_type="multipart/form-data")  # fmt: skip
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Registrado pelo banco" in html and "14000000000424242" in html
    with app.app_context():
        assert db.session.get(Boleto, ids[0]).status == "registrado"
    empty = admin_http.post(f"/admin/contas-de-cobranca/{account_id}/retorno", data={},
                            content_type="multipart/form-data")  # fmt: skip
    assert empty.status_code == 422


def test_every_issuing_bank_has_its_cnab_pages(app, admin_http, make_account):
    from portal.billing import cnab240
    from portal.billing.banks import BANKS

    assert set(cnab240.LAYOUTS) == set(BANKS)  # the "no layout yet" alert is for none of them
    account_id = make_account(bank_code="341", carteira="109", account="12345")  # Itaú
    for page in ("remessa", "retorno"):
        html = admin_http.get(f"/admin/contas-de-cobranca/{account_id}/{page}").get_data(
            as_text=True
        )
        assert 'id="cnab-unsupported"' not in html
