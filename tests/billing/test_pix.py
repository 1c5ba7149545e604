"""Pix "copia e cola" (BR Code): the Banco Central's published example, the CRC catalogue
vector, and the QR code read back by a barcode reader."""

import io
from decimal import Decimal

import pytest
import segno
import zxingcpp
from PIL import Image

from portal.billing import pix
from portal.errors import DomainError

# Banco Central do Brasil, "Manual de Padrões para Iniciação do Pix" (BR Code example),
# as quoted in the project's shared/boleto/README.md.
BCB_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
    "5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)


def test_crc16_ccitt_false_check_value():
    # The CRC catalogue's check value for CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF).
    assert pix.crc16(b"123456789") == 0x29B1
    assert f"{pix.crc16(BCB_EXAMPLE[:-4].encode()):04X}" == "1D3D"


def test_the_central_banks_example_is_built_exactly():
    payload = pix.brcode("123e4567-e12b-12d1-a456-426655440000", "Fulano de Tal", "BRASILIA")
    assert payload == BCB_EXAMPLE


def test_amount_txid_and_plain_ascii_name(babel_pt_br):
    payload = pix.brcode(
        "+5511999998888", "Padaria São João & Filhos Comércio", "São Paulo",
        amount=Decimal("600"), txid="PEDIDO123P1",
    )  # fmt: skip
    fields = pix.parse(payload)
    assert fields["26"] == {"00": "br.gov.bcb.pix", "01": "+5511999998888"}
    assert fields["54"] == "600.00"
    assert fields["59"] == "Padaria Sao Joao & Filhos"  # 25 characters, no accents
    assert fields["60"] == "Sao Paulo"
    assert fields["62"] == {"05": "PEDIDO123P1"}
    with pytest.raises(DomainError) as caught:
        pix.parse(payload[:-1] + ("0" if payload[-1] != "0" else "1"))
    assert "CRC" in caught.value.message


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": ""},
        {"key": "x" * 78},
        {"txid": "com espaço"},
        {"txid": "A" * 26},
        {"amount": Decimal("0")},
        {"name": "  "},
    ],
)
def test_wrong_input_is_a_domain_error(babel_pt_br, kwargs):
    values = {"key": "a@b.com", "name": "Loja", "city": "Recife", **kwargs}
    with pytest.raises(DomainError):
        pix.brcode(**values)


def test_qr_code_svg_reads_back_to_the_payload():
    payload = pix.brcode("a@b.com", "Loja", "Recife", amount=Decimal("12.34"), txid="T1")
    svg = pix.qr_svg(payload)
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    # The same symbol rasterised (segno writes PNG without Pillow) and decoded.
    png = io.BytesIO()
    segno.make_qr(payload, error="m", boost_error=False).save(png, kind="png", scale=6)
    png.seek(0)
    found = zxingcpp.read_barcodes(Image.open(png))
    assert [result.text for result in found] == [payload]
