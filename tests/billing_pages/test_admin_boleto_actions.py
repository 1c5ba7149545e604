"""Back office: each boleto row of the Pagamento tabs has "PDF" and "Reenviar"."""

import json

import pytest

from portal.billing.slip import format_linha
from tests.billing.rendering import pdf_text
from tests.storefront.conftest import link_in


def test_the_client_and_order_tabs_show_pdf_and_resend_for_each_boleto(
    app, admin_http, account, boleto_order
):
    client = account()
    order_id, boletos = boleto_order(client.id)
    pages = [
        admin_http.get(f"/admin/clientes/{client.id}").text,
        admin_http.get(f"/admin/clientes/{client.id}/pedidos/{order_id}").text,
    ]
    for page in pages:
        for boleto_id, _linha, _barcode in boletos:
            assert f"/admin/boletos/{boleto_id}/boleto.pdf" in page
            assert f'hx-post="/admin/boletos/{boleto_id}/reenviar"' in page


def test_staff_download_the_pdf(app, admin_http, account, boleto_order):
    client = account(name="Carlos Souza")
    _order_id, boletos = boleto_order(client.id)
    boleto_id, linha, _barcode = boletos[2]
    response = admin_http.get(f"/admin/boletos/{boleto_id}/boleto.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    page = pdf_text(response.data)[0]
    assert format_linha(linha) in page and "Carlos Souza" in page and "Parcela 3 de 3" in page
    assert admin_http.get("/admin/boletos/999999/boleto.pdf").status_code == 404


def test_signed_out_nothing_is_served(app, http, account, boleto_order):
    client = account()
    _order_id, boletos = boleto_order(client.id)
    response = http.get(f"/admin/boletos/{boletos[0][0]}/boleto.pdf")
    assert response.status_code == 302 and "/admin/login" in response.location
    response = http.post(f"/admin/boletos/{boletos[0][0]}/reenviar")
    assert response.status_code == 302 and "/admin/login" in response.location


@pytest.mark.config(CLIENTELA_BOLETO_RESEND_LIMIT="2 per hour")
def test_resend_emails_the_client_a_second_copy_link_and_is_rate_limited(
    app, admin_http, account, boleto_order, smtp
):
    client = account()
    _order_id, boletos = boleto_order(client.id)
    boleto_id, linha, _barcode = boletos[0]
    url = f"/admin/boletos/{boleto_id}/reenviar"
    response = admin_http.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["clientela:saved"] == f"O link do boleto foi enviado para {client.email}."
    [message] = smtp.inbox.to(client.email)
    page = app.test_client().get(link_in(smtp.inbox.text(message)))
    assert page.status_code == 200 and format_linha(linha) in page.text.replace(
        '</span><span class="d-inline-block me-2">', " "
    )
    assert admin_http.post(url, headers={"HX-Request": "true"}).status_code == 200
    refused = admin_http.post(url, headers={"HX-Request": "true"})
    assert refused.status_code == 429
    assert "já foi enviado várias vezes" in refused.text
    assert len(smtp.inbox.to(client.email)) == 2


def test_a_paid_boleto_is_not_resent(app, admin_http, account, boleto_order, smtp):
    from sqlalchemy import update

    from portal import db
    from portal.billing.models import Boleto

    client = account()
    _order_id, boletos = boleto_order(client.id)
    with app.app_context():
        db.session.execute(update(Boleto).where(Boleto.id == boletos[0][0]).values(status="pago"))
        db.session.commit()
    response = admin_http.post(f"/admin/boletos/{boletos[0][0]}/reenviar")
    assert response.status_code == 409
    assert smtp.inbox.to(client.email) == []
