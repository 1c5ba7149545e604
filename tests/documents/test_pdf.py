"""The order PDF as a person reads it: its text, extracted by pdftotext."""

import re

import pytest

from portal.documents.service import FORMATS, order_document
from portal.errors import NotFound
from tests.documents.conftest import pdf_pages


@pytest.mark.config(CLIENTELA_SHOP_NAME="Loja Exemplo Ltda", CLIENTELA_SHOP_CNPJ="11222333000181")
def test_the_pdf_shows_shop_client_items_totals_and_payment(app, order_of, load):
    order_id = order_of(3)
    with app.app_context():
        document = order_document(load(order_id), "pdf")
    assert document.mimetype == "application/pdf"
    assert document.filename == "pedido-000001.pdf"
    assert document.body.startswith(b"%PDF-")
    [page] = pdf_pages(document.body)
    for text in (
        "Loja Exemplo Ltda",
        "CNPJ 11.222.333/0001-81",
        "Pedido #000001",
        "Maria da Silva",
        "CPF 529.982.247-25",
        "maria@cliente.example",
        "(11) 98765-4321",
        "Avenida Paulista, 1000, Sala 5, Bela Vista",
        "CEP 01310-100",
        "Produto número 1",
        "Produto número 2",
        "Produto número 3",
        "R$ 617,28",
        "R$ 1.234,56",
        "Soma dos itens",
        "R$ 3.703,68",
        "Frete",
        "R$ 10,00",
        "Total do pedido",
        "R$ 3.713,68",
        "Boleto",
        "30 dias",
        "Pago",
        "Página 1 de 1",
    ):
        assert text in page, text
    assert re.search(r"Criação\s+\d\d/\d\d/\d{4} \d\d:\d\d", page)


def test_a_300_item_order_paginates_with_page_numbers_on_every_page(app, order_of, load):
    order_id = order_of(300)
    with app.app_context():
        pages = pdf_pages(order_document(load(order_id), "pdf").body)
    count = len(pages)
    assert count >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Página {number} de {count}" in page
    text = "\n".join(pages)
    for n in range(1, 301):
        assert re.search(rf"SKU-{n:04d}\s+Produto número {n}\s", text), n
    # The header repeats on every page; the total comes once, on the last.
    assert all("Descrição" in page for page in pages)
    assert "R$ 370.378,00" in pages[-1] and text.count("Total do pedido") == 1


def _png(width: int, height: int) -> bytes:
    """A red RGB PNG, written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xcc\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _images(body: bytes, tmp_path) -> list[str]:
    """The image rows `pdfimages -list` prints (poppler-utils)."""
    import subprocess

    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(body)
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True)
    return out.stdout.decode().splitlines()[2:]


def test_the_logo_from_the_settings_is_drawn(app, order_of, load, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(120, 40))
    app.config["CLIENTELA_SHOP_LOGO"] = str(logo)
    order_id = order_of(1)
    with app.app_context():
        with_logo = order_document(load(order_id), "pdf").body
        app.config["CLIENTELA_SHOP_LOGO"] = None
        without = order_document(load(order_id), "pdf").body
    [image] = _images(with_logo, tmp_path)
    assert " 120 " in image and " 40 " in image  # the logo's own pixels
    assert _images(without, tmp_path) == []  # a new setting is a new document, not the cache


def test_an_unknown_format_is_not_found(app, order_of, load):
    order_id = order_of(1)
    with app.app_context(), pytest.raises(NotFound):
        order_document(load(order_id), "docx")
    assert FORMATS == ("pdf", "csv", "xlsx")
