"""Documento do pedido from the storefront: the client picks PDF, CSV or XLSX.

The documents themselves come from `portal.documents` (its own tests); these check the
storefront's route: ownership, the formats, attachment headers and the ETag (304)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal import db
from portal.orders.models import Order


@pytest.fixture
def order_of(app, signed_in, make_order):
    browser, client = signed_in()
    order_id = make_order(client.id)
    with app.app_context():
        number = db.session.get(Order, order_id).number
    return browser, order_id, number


def test_pdf_download_and_etag(order_of):
    browser, order_id, _number = order_of
    url = f"/conta/pedidos/{order_id}/documento.pdf"
    response = browser.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    etag = response.headers["ETag"]
    again = browser.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_csv_and_xlsx_downloads(order_of):
    browser, order_id, number = order_of
    csv_response = browser.get(f"/conta/pedidos/{order_id}/documento.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["Content-Disposition"].startswith("attachment")
    text = csv_response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any("Camiseta" in cell for row in rows for cell in row)
    xlsx = browser.get(f"/conta/pedidos/{order_id}/documento.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("Camiseta" in c for c in cells)
    assert any(str(number) in c for c in cells)


def test_unknown_format_is_404(order_of):
    browser, order_id, _number = order_of
    assert browser.get(f"/conta/pedidos/{order_id}/documento.doc").status_code == 404
