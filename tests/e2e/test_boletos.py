"""Boletos end to end in headless Chromium, with a real SMTP server on loopback.

A client signs in, opens an order's Pagamento tab, copies the payment code (the clipboard
holds it, the page says "Copiado"), clicks "Reenviar boleto"; the e-mail arrives at the SMTP
server; its link opens the second copy (no sign-in) with the same linha digitável; the PDF
downloaded from it has the linha in its text and a barcode that decodes to the 44 digits.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from portal import db
from portal.billing import issuing
from portal.billing.service import boletos_for_order
from portal.billing.slip import format_linha
from portal.orders.validation import ItemInput
from tests.billing.conftest import boleto_method, make_account  # noqa: F401
from tests.billing.rendering import decode, pdf_text, rasterise
from tests.e2e.browser import open_tab
from tests.mail.smtp_server import SmtpServer
from tests.orders import factories

order_lists, lists, make_order = factories.order_lists, factories.lists, factories.make_order

pytestmark = pytest.mark.e2e

PASSWORD = "senha-da-cliente-1"


@pytest.fixture
def smtp(app):
    with SmtpServer() as server:
        server.configure(app)
        yield server


def _wait_for_mail(smtp, address: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = smtp.inbox.to(address)
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail for {address}")


def test_pagamento_tab_copy_resend_second_copy_and_pdf(
    browser: Browser,
    live_server,
    smtp,
    app,
    make_client,
    make_order,
    make_account,  # noqa: F811
    boleto_method,  # noqa: F811
    tmp_path: Path,
):
    base = live_server
    make_account()
    client = make_client(name="Joana Prado", email="joana@example.com", password=PASSWORD)
    order_id = make_order(
        client.id,
        items=[ItemInput("SKU-9", "Mochila", "1", "450.00")],
        payment_method_id=boleto_method["method"],
        payment_term_id=boleto_method["term"]["30,60,90"],
    )
    with app.app_context():
        if not boletos_for_order(db.session, order_id):
            issuing.issue_for_order(order_id, actor_label="Equipe")
            db.session.commit()
        boletos = [(b.linha_digitavel, b.barcode) for b in boletos_for_order(db.session, order_id)]
    linha, barcode = boletos[0]

    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto(f"{base}/conta/entrar")
    page.get_by_label("E-mail").fill(client.email)
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(re.compile(r"/conta/pedidos$"))
    page.goto(f"{base}/conta/pedidos/{order_id}")
    open_tab(page, "Pagamento")

    first = page.locator("article.boleto").first
    expect(first).to_contain_text("Parcela 1 de 3")
    expect(first.locator(".boleto-linha")).to_have_text(re.compile(r"\d{5}\.\d{5}"))
    assert " ".join(first.locator(".boleto-linha span").all_inner_texts()) == format_linha(linha)
    expect(first.locator("svg.boleto-barcode")).to_be_visible()
    box = first.locator("svg.boleto-barcode").bounding_box()
    assert box["width"] / box["height"] == pytest.approx(113 / 13, rel=0.02)

    # Copy: the clipboard holds the 47 digits, and the page says so.
    first.get_by_role("button", name="Copiar código").click()
    expect(first.locator(".boleto-copy-feedback").first).to_have_text("Copiado")
    assert page.evaluate("navigator.clipboard.readText()") == linha

    # Reenviar boleto: back on the Pagamento tab with a message; the e-mail arrives.
    first.get_by_role("button", name="Reenviar boleto").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Enviamos o link do boleto para {client.email}."
    )
    expect(page.locator("#tab-pagamento")).to_be_visible()
    message = _wait_for_mail(smtp, client.email)
    assert format_linha(linha) in smtp.inbox.text(message)
    link = re.search(r"https?://\S+/conta/boleto/\S+", smtp.inbox.text(message)).group(0)

    # The link opens the second copy without a sign-in (a fresh browser context).
    visitor = browser.new_context(accept_downloads=True)
    second = visitor.new_page()
    second.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    second.goto(link)
    expect(second.get_by_role("heading", name="Segunda via do boleto")).to_be_visible()
    card = second.locator("article.boleto")
    assert " ".join(card.locator(".boleto-linha span").all_inner_texts()) == format_linha(linha)
    expect(card.locator(".boleto-status")).to_have_text("Emitido")

    with second.expect_download() as download_info:
        card.get_by_role("link", name="Baixar boleto (PDF)").click()
    target = tmp_path / "boleto.pdf"
    download_info.value.save_as(target)
    body = target.read_bytes()
    assert format_linha(linha) in pdf_text(body)[0]
    assert [f.text for f in decode(rasterise(body))] == [barcode]

    assert csp_errors == []
    visitor.close()
    context.close()
