"""The storefront end to end in headless Chromium, with a real SMTP server on loopback.

A visitor signs up, confirms by the e-mailed link, signs in; staff see the Lead and mark an
order paid; the client opens it and downloads PDF, CSV and XLSX; a client without access is
refused like a wrong password; another client gets 404; "Esqueci minha senha" by e-mail.
"""

import csv
import io
import re
import subprocess
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal import db
from portal.clients.models import Client, ClientStatus
from portal.orders.models import Order
from portal.orders.validation import ItemInput
from tests.e2e.browser import open_tab
from tests.mail.smtp_server import SmtpServer
from tests.orders import factories

order_lists, lists, make_order = factories.order_lists, factories.lists, factories.make_order

pytestmark = pytest.mark.e2e

PASSWORD = "senha-da-fernanda-1"


@pytest.fixture
def smtp(app):
    with SmtpServer() as server:
        server.configure(app)
        yield server


def _wait_for_mail(smtp, address: str, count: int = 1, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = smtp.inbox.to(address)
        if len(found) >= count:
            return found[count - 1]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail for {address}")


def _link(smtp, message) -> str:
    return re.search(r"https?://\S+/conta/\S+", smtp.inbox.text(message)).group(0)


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/conta/entrar")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()


def _login_error(page: Page) -> str:
    return page.locator(".alert-danger").inner_text()


def test_storefront_end_to_end(
    page: Page,
    browser: Browser,
    live_server,
    smtp,
    app,
    make_client,
    make_order,
    artifacts,
    tmp_path: Path,
):
    base = live_server

    # Criar conta, then the confirmation e-mail's link.
    page.goto(f"{base}/conta/criar-conta")
    page.get_by_label("Nome/Razão social").fill("Fernanda Lima")
    page.get_by_role("textbox", name=re.compile(r"^E-mail")).fill("fernanda@example.com")
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_label("CPF/CNPJ").fill("529.982.247-25")
    page.get_by_label("Telefone").fill("(11) 98765-4321")
    page.get_by_role("button", name="Criar conta").click()
    expect(page.get_by_role("heading", name="Conta criada")).to_be_visible()
    confirmation = _wait_for_mail(smtp, "fernanda@example.com")
    page.goto(_link(smtp, confirmation))
    expect(page.get_by_text("E-mail confirmado. Você já pode entrar.")).to_be_visible()

    _sign_in(page, base, "fernanda@example.com", PASSWORD)
    expect(page.get_by_role("heading", name="Meus pedidos")).to_be_visible()
    expect(page.get_by_text("Você ainda não tem pedidos.")).to_be_visible()

    # Staff see the new Lead and mark an order of hers paid.
    with app.app_context():
        client_id = db.session.scalar(
            select(Client.id).where(Client.email == "fernanda@example.com")
        )
    order_id = make_order(
        client_id,
        items=[
            ItemInput("CAF-500", "Café torrado 500 g", "2", "24.90"),
            ItemInput("CAN-BR", "Caneca branca 300 ml", "1", "29.00"),
        ],
        shipping="15.00",
    )
    with app.app_context():
        number = db.session.get(Order, order_id).display_number
    staff_context = browser.new_context()
    staff = staff_context.new_page()
    make_client(name="Só para criar a equipe")  # the staff fixture comes with make_client
    staff.goto(f"{base}/admin/login")
    staff.get_by_label("E-mail").fill("equipe@loja.example")
    staff.get_by_label("Senha").fill("senha-forte-123")
    staff.get_by_role("button", name="Entrar").click()
    staff.goto(f"{base}/admin/clientes?grupo=lead")
    expect(staff.locator("body")).to_contain_text("Fernanda Lima")
    staff.goto(f"{base}/admin/clientes/{client_id}")
    expect(staff.locator("#history")).to_contain_text("cadastro pela loja")
    open_tab(staff, "Pedidos")
    row = staff.locator(f'#orders tr[data-order="{number}"]')
    row.get_by_role("button", name=f"Editar o pedido {number}").click()
    modal = staff.locator("#clientela-modal")
    modal.get_by_label("Situação do Pedido").select_option(label="Pago")
    modal.get_by_role("button", name="Gravar pedido").click()
    expect(modal).to_be_hidden()
    expect(row).to_contain_text("Pago")

    # The client opens the order and downloads its documents.
    page.goto(f"{base}/conta/pedidos")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#order-status")).to_have_text("Pago")
    expect(page.locator("#items")).to_contain_text("Café torrado 500 g")
    expect(page.locator("#order-total")).to_have_text(re.compile(r"R\$\s*93,80"))
    page.screenshot(path=str(artifacts / "storefront_order.png"), full_page=True)

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF").click()
    pdf_path = tmp_path / "pedido.pdf"
    pdf_download.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert number.lstrip("#") in text
    assert "Café torrado 500 g" in text and "Caneca branca 300 ml" in text
    assert "93,80" in text

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    rows = list(
        csv.reader(
            io.StringIO(Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert any("Caneca branca 300 ml" in cell for row in rows for cell in row)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="XLSX").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).active
    cells = [str(c.value) for line in sheet.iter_rows() for c in line if c.value is not None]
    assert any("Café torrado 500 g" in c for c in cells)

    # A Situação without access: the same message as a wrong password.
    with app.app_context():
        inactive = db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == "Inativo"))
    make_client(
        name="Sem Acesso", email="semacesso@example.com", password=PASSWORD, status_id=inactive
    )
    other_context = browser.new_context()
    other = other_context.new_page()
    _sign_in(other, base, "fernanda@example.com", "senha-errada-999")
    wrong_password = _login_error(other)
    _sign_in(other, base, "semacesso@example.com", PASSWORD)
    assert _login_error(other) == wrong_password

    # A second client: 404 on the first one's order and PDF.
    make_client(name="Segundo Cliente", email="segundo@example.com", password=PASSWORD)
    _sign_in(other, base, "segundo@example.com", PASSWORD)
    expect(other.get_by_role("heading", name="Meus pedidos")).to_be_visible()
    assert other.goto(f"{base}/conta/pedidos/{order_id}").status == 404
    assert other.request.get(f"{base}/conta/pedidos/{order_id}/documento.pdf").status == 404

    # Esqueci minha senha, end to end by e-mail.
    fresh_context = browser.new_context()
    fresh = fresh_context.new_page()
    fresh.goto(f"{base}/conta/entrar")
    fresh.get_by_role("link", name="Esqueci minha senha").click()
    fresh.get_by_label("E-mail").fill("fernanda@example.com")
    fresh.get_by_role("button", name="Enviar link").click()
    expect(fresh.get_by_role("heading", name="Confira seu e-mail")).to_be_visible()
    reset = _wait_for_mail(smtp, "fernanda@example.com", count=2)
    fresh.goto(_link(smtp, reset))
    fresh.get_by_label("Nova senha").fill("nova-senha-da-fernanda")
    fresh.get_by_role("button", name="Salvar senha").click()
    expect(fresh.get_by_role("heading", name="Meus pedidos")).to_be_visible()
    _sign_in(other, base, "fernanda@example.com", "nova-senha-da-fernanda")
    expect(other.get_by_role("heading", name="Meus pedidos")).to_be_visible()
    for context in (staff_context, other_context, fresh_context):
        context.close()
