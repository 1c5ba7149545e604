"""Staff download the order document from the order popup, over HTTP."""

import csv
import io

from tests.documents.conftest import pdf_pages


def _url(client_id, order_id, fmt="pdf"):
    return f"/admin/clientes/{client_id}/pedidos/{order_id}/documento.{fmt}"


def test_the_popup_offers_the_three_formats(admin_http, order_of, buyer):
    order_id = order_of(1)
    popup = admin_http.get(f"/admin/clientes/{buyer['id']}/pedidos/{order_id}").text
    chooser = popup.split('id="order-documents"')[1].split("</div>")[0]
    for fmt in ("pdf", "csv", "xlsx"):
        assert f'href="{_url(buyer["id"], order_id, fmt)}"' in chooser
    assert "PDF" in chooser and "XLSX" in chooser and "Documento" in chooser


def test_staff_download_the_pdf_and_the_csv(admin_http, order_of, buyer):
    order_id = order_of(2)
    response = admin_http.get(_url(buyer["id"], order_id))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=pedido-000001.pdf"
    page = pdf_pages(response.data)[0]
    assert "Pedido #000001" in page and "R$ 2.479,12" in page and "Página 1 de 1" in page

    response = admin_http.get(_url(buyer["id"], order_id, "csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=pedido-000001.csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert ["Total do pedido", "2.479,12"] in rows

    response = admin_http.get(_url(buyer["id"], order_id, "xlsx"))
    assert response.status_code == 200 and response.data.startswith(b"PK")


def test_a_repeated_download_is_answered_304_by_etag(admin_http, order_of, buyer):
    order_id = order_of(1)
    first = admin_http.get(_url(buyer["id"], order_id))
    etag = first.headers["ETag"]
    again = admin_http.get(_url(buyer["id"], order_id), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_another_clients_order_and_unknown_formats_are_404(
    admin_http, order_of, buyer, make_client
):
    order_id = order_of(1)
    other = make_client(name="Outro Cliente")
    assert admin_http.get(_url(other.id, order_id)).status_code == 404
    assert admin_http.get(_url(buyer["id"], order_id + 999)).status_code == 404
    assert admin_http.get(_url(buyer["id"], order_id, "docx")).status_code == 404
    assert admin_http.get(_url(buyer["id"], order_id, "PDF")).status_code == 404


def test_the_download_needs_a_staff_login(http, order_of, buyer):
    order_id = order_of(1)
    response = http.get(_url(buyer["id"], order_id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")
