"""Boletos as the client sees them: the order's Pagamento tab, the PDF, "Reenviar boleto"
(a real SMTP server) and the public second copy reached by the e-mailed signed link."""

import html
import re
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from portal import db
from portal.billing.models import Boleto
from portal.billing.service import boletos_for_order
from portal.billing.slip import format_linha
from tests.billing.rendering import decode, pdf_text, rasterise
from tests.billing_pages.conftest import PIX_KEY
from tests.storefront.conftest import PASSWORD, link_in


def _set_boleto(app, boleto_id, **values):
    with app.app_context():
        db.session.execute(update(Boleto).where(Boleto.id == boleto_id).values(**values))
        db.session.commit()


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_pagamento_tab_lists_each_instalment_with_code_barcode_due_date_value_status(
    app, signed_in, boleto_order
):
    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id, "100.00")
    page = browser.get(f"/conta/pedidos/{order_id}")
    assert page.status_code == 200
    body = page.text
    assert 'data-bs-target="#tab-pagamento"' in body and ">Pagamento<" in body
    text = _text(body)
    for number, (boleto_id, linha, barcode) in enumerate(boletos, start=1):
        assert f"Parcela {number} de 3" in text
        assert " ".join(format_linha(linha).split(" ")) in text  # the groups, in order
        assert f'data-copy="{linha}"' in body
        assert f'aria-label="{barcode}"' in body  # the barcode's SVG
        assert f"/conta/pedidos/{order_id}/boletos/{boleto_id}.pdf" in body
        assert f"/conta/pedidos/{order_id}/boletos/{boleto_id}/reenviar" in body
    assert "R$ 33,34" in text and text.count("R$ 33,33") >= 2
    assert text.count("Emitido") == 3
    assert "Copiar código" in text and "Baixar boleto (PDF)" in text and "Reenviar boleto" in text
    with app.app_context():
        dues = [b.due_date for b in boletos_for_order(db.session, order_id)]
    for due in dues:
        assert due.strftime("%d/%m/%Y") in text
    # Bottom left of the tab: the order's information in the chosen format.
    tab = body.split('id="tab-pagamento"', 1)[1]
    for fmt in ("pdf", "csv", "xlsx"):
        assert f"/conta/pedidos/{order_id}/documento.{fmt}" in tab
    assert "boleto.js" in body and "<script>" not in body  # CSP: no inline script


def test_the_boleto_pdf_holds_the_linha_the_people_and_a_barcode_that_decodes(
    app, signed_in, boleto_order
):
    browser, client = signed_in(name="Maria da Silva", document="52998224725")
    order_id, boletos = boleto_order(client.id)
    boleto_id, linha, barcode = boletos[0]
    response = browser.get(f"/conta/pedidos/{order_id}/boletos/{boleto_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    [page] = pdf_text(response.data)
    assert format_linha(linha) in page
    assert "Loja Exemplo Ltda · CNPJ 11.222.333/0001-81" in page
    assert "Maria da Silva · CPF 529.982.247-25" in page
    assert [f.text for f in decode(rasterise(response.data, dpi=200))] == [barcode]


def test_another_client_gets_404_for_the_pdf_the_resend_and_the_tab(app, signed_in, boleto_order):
    _owner_browser, owner = signed_in()
    order_id, boletos = boleto_order(owner.id)
    boleto_id = boletos[0][0]
    other, _client = signed_in()
    assert other.get(f"/conta/pedidos/{order_id}/boletos/{boleto_id}.pdf").status_code == 404
    assert other.post(f"/conta/pedidos/{order_id}/boletos/{boleto_id}/reenviar").status_code == 404
    assert other.get(f"/conta/pedidos/{order_id}").status_code == 404
    # Their own order with somebody else's boleto id in the URL: 404 too.
    own_order, _ = boleto_order(_client.id)
    assert other.get(f"/conta/pedidos/{own_order}/boletos/{boleto_id}.pdf").status_code == 404
    # Signed out: the sign-in page, nothing of the boleto.
    anonymous = app.test_client()
    response = anonymous.get(f"/conta/pedidos/{order_id}/boletos/{boleto_id}.pdf")
    assert response.status_code == 302 and "/conta/entrar" in response.location


def test_resend_emails_a_signed_link_whose_page_shows_the_same_code(
    app, signed_in, boleto_order, smtp
):
    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id)
    boleto_id, linha, barcode = boletos[1]
    response = browser.post(f"/conta/pedidos/{order_id}/boletos/{boleto_id}/reenviar")
    assert response.status_code == 302
    assert response.location.endswith(f"/conta/pedidos/{order_id}#tab-pagamento")
    page = browser.get(response.location).text
    assert f"Enviamos o link do boleto para {client.email}." in html.unescape(page)
    [message] = smtp.inbox.to(client.email)
    assert "Seu boleto de" in message["Subject"]
    text = smtp.inbox.text(message)
    assert format_linha(linha) in text
    assert "parcela 2 de 3" in text and "30 dias" in text
    link = link_in(text)
    assert link.startswith("/conta/boleto/")
    anonymous = app.test_client()  # no sign-in needed
    second = anonymous.get(link)
    assert second.status_code == 200
    assert format_linha(linha) in _text(second.text)
    assert f'data-copy="{linha}"' in second.text and f'aria-label="{barcode}"' in second.text
    assert "Segunda via do boleto" in second.text and "Emitido" in second.text
    assert "default-src 'self'" in second.headers["Content-Security-Policy"]
    assert second.headers["X-Frame-Options"] == "DENY"
    assert "Reenviar boleto" not in second.text  # the public page resends nothing
    pdf = anonymous.get(link + "/boleto.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert format_linha(linha) in pdf_text(pdf.data)[0]
    # The link names that one boleto: the order's other boletos are not on it.
    for _id, other_linha, _code in (boletos[0], boletos[2]):
        assert other_linha not in second.text


@pytest.mark.config(CLIENTELA_BOLETO_RESEND_LIMIT="3 per hour")
def test_resend_is_rate_limited_per_boleto(app, signed_in, boleto_order, smtp):
    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id)
    url = f"/conta/pedidos/{order_id}/boletos/{boletos[0][0]}/reenviar"
    for _ in range(3):
        assert browser.post(url).status_code == 302
    refused = browser.post(url)
    assert refused.status_code == 302
    page = html.unescape(browser.get(refused.location).text)
    assert "Este boleto já foi enviado várias vezes na última hora" in page
    assert len(smtp.inbox.to(client.email)) == 3
    # Another boleto of the same order still goes.
    assert (
        browser.post(f"/conta/pedidos/{order_id}/boletos/{boletos[1][0]}/reenviar").status_code
        == 302
    )
    assert len(smtp.inbox.to(client.email)) == 4


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_resend_needs_the_forms_csrf_token(app, account, boleto_order, smtp):
    client = account()
    order_id, boletos = boleto_order(client.id)
    browser = app.test_client()
    login = browser.get("/conta/entrar").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    response = browser.post(
        "/conta/entrar", data={"email": client.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    url = f"/conta/pedidos/{order_id}/boletos/{boletos[0][0]}/reenviar"
    assert browser.post(url).status_code == 400
    assert smtp.inbox.to(client.email) == []
    page = browser.get(f"/conta/pedidos/{order_id}").text
    form_token = re.search(
        r'action="'
        + re.escape(url)
        + r'"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
        page,
    ).group(1)
    assert browser.post(url, data={"csrf_token": form_token}).status_code == 302
    assert len(smtp.inbox.to(client.email)) == 1


def _token_for(app, boleto_id):
    from portal.billing.links import second_copy_token

    with app.test_request_context():
        return second_copy_token(db.session.get(Boleto, boleto_id))


def test_an_altered_or_foreign_link_is_a_clear_404_page(app, account, boleto_order):
    client = account()
    _order_id, boletos = boleto_order(client.id)
    token = _token_for(app, boletos[0][0])
    http = app.test_client()
    assert http.get(f"/conta/boleto/{token}").status_code == 200
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (altered, "nada", token.split(".")[0], "a" * 300):
        response = http.get(f"/conta/boleto/{bad}")
        assert response.status_code == 404, bad
        assert "Link do boleto inválido" in html.unescape(response.text)
        assert http.get(f"/conta/boleto/{bad}/boleto.pdf").status_code == 404
    # A genuine token of another kind (the e-mail confirmation's salt) opens nothing here.
    from portal.clients import accounts
    from portal.clients.models import Client

    with app.test_request_context():
        other = accounts.link_token(db.session.get(Client, client.id), accounts.CONFIRM)
    assert http.get(f"/conta/boleto/{other}").status_code == 404
    # A boleto cancelled and re-issued with another code: the old link opens nothing.
    _set_boleto(app, boletos[0][0], barcode=boletos[1][2])
    assert http.get(f"/conta/boleto/{token}").status_code == 404


def test_an_expired_link_is_a_clear_410_page(app, account, boleto_order, monkeypatch):
    client = account()
    _order_id, boletos = boleto_order(client.id)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 31 * 86400)
    token = _token_for(app, boletos[0][0])
    monkeypatch.setattr(time, "time", real_time)
    http = app.test_client()
    response = http.get(f"/conta/boleto/{token}")
    assert response.status_code == 410
    page = html.unescape(response.text)
    assert "Este link do boleto expirou" in page and "30 dias" in page
    assert http.get(f"/conta/boleto/{token}/boleto.pdf").status_code == 410


@pytest.mark.config(CLIENTELA_BOLETO_LINK_DAYS=60)
def test_the_link_life_is_a_setting(app, account, boleto_order, monkeypatch):
    client = account()
    _order_id, boletos = boleto_order(client.id)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 31 * 86400)
    token = _token_for(app, boletos[0][0])
    monkeypatch.setattr(time, "time", real_time)
    assert app.test_client().get(f"/conta/boleto/{token}").status_code == 200


def test_an_overdue_boleto_shows_the_amount_with_fine_and_interest(app, account, boleto_order):
    client = account()
    _order_id, boletos = boleto_order(
        client.id, "300.00", fine_percent=Decimal("2"), interest_percent_per_day=Decimal("0.033")
    )
    boleto_id = boletos[0][0]
    due = date.today() - timedelta(days=10)
    if due.weekday() >= 5:  # a weekend due date has grace until Monday: keep it a weekday
        due -= timedelta(days=2)
    days = (date.today() - due).days
    _set_boleto(app, boleto_id, due_date=due)
    page = _text(app.test_client().get(f"/conta/boleto/{_token_for(app, boleto_id)}").text)
    assert "Vencido" in page and "Valor a pagar hoje" in page
    interest = (Decimal("100.00") * Decimal("0.00033") * days).quantize(Decimal("0.01"))
    total = Decimal("100.00") + Decimal("2.00") + interest
    assert f"R$ {total:.2f}".replace(".", ",") in page
    assert f"multa R$ 2,00 + juros R$ {interest:.2f}".replace(".", ",") in page
    assert f"({days} dias de atraso)" in page


def test_a_paid_boleto_shows_its_payment_and_no_code_to_pay(app, signed_in, boleto_order):
    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id)
    _set_boleto(
        app, boletos[0][0], status="pago", paid_on=date(2026, 1, 5), paid_amount=Decimal("100.00")
    )
    page = _text(browser.get(f"/conta/pedidos/{order_id}").text)
    assert "Pago em 05/01/2026 · R$ 100,00" in page
    assert page.count("Copiar código") == 2


def test_with_a_pix_key_the_tab_and_the_pdf_show_the_pix_code(app, signed_in, boleto_order):
    import zxingcpp

    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id, pix_key=PIX_KEY)
    page = browser.get(f"/conta/pedidos/{order_id}").text
    payloads = re.findall(
        r'class="d-block text-break small mb-2 boleto-pix-payload">([^<]+)<', page
    )
    assert len(payloads) == 3
    from portal.billing import pix

    fields = pix.parse(html.unescape(payloads[0]))
    assert fields["26"]["01"] == PIX_KEY and fields["54"] == "100.00"
    pdf = browser.get(f"/conta/pedidos/{order_id}/boletos/{boletos[0][0]}.pdf").data
    assert "Pague com Pix" in pdf_text(pdf)[0]
    qr = decode(rasterise(pdf, dpi=200), zxingcpp.BarcodeFormat.QRCode)
    assert [f.text for f in qr] == [html.unescape(payloads[0])]


def test_an_order_without_boletos_says_so_and_keeps_the_downloads(app, signed_in, make_order):
    browser, client = signed_in()
    order_id = make_order(client.id)
    page = browser.get(f"/conta/pedidos/{order_id}").text
    assert "Este pedido não tem boletos." in page
    assert f"/conta/pedidos/{order_id}/documento.xlsx" in page.split('id="tab-pagamento"', 1)[1]


def test_a_cancelled_boleto_offers_no_pdf_and_its_links_say_why(app, signed_in, boleto_order):
    browser, client = signed_in()
    order_id, boletos = boleto_order(client.id)
    boleto_id = boletos[0][0]
    token = _token_for(app, boleto_id)
    _set_boleto(app, boleto_id, status="cancelado")
    page = browser.get(f"/conta/pedidos/{order_id}").text
    assert f"/boletos/{boleto_id}.pdf" not in page and "Cancelado" in _text(page)
    assert page.count("Baixar boleto (PDF)") == 2
    response = browser.get(f"/conta/pedidos/{order_id}/boletos/{boleto_id}.pdf")
    assert response.status_code == 410 and "Este boleto foi cancelado" in response.text
    second = app.test_client()
    assert "Cancelado" in _text(second.get(f"/conta/boleto/{token}").text)
    assert second.get(f"/conta/boleto/{token}/boleto.pdf").status_code == 410
    # Nothing to re-send for it either.
    response = browser.post(f"/conta/pedidos/{order_id}/boletos/{boleto_id}/reenviar")
    assert "Este boleto não está mais em aberto" in html.unescape(
        browser.get(response.location).text
    )
