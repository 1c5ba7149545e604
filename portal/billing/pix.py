"""Pix "copia e cola" (BR Code, static): the EMV tag-length-value payload and its QR code.

    payload = brcode(key="fulano@example.com", name="Loja", city="Sao Paulo",
                     amount=Decimal("600.00"), txid="PEDIDO123P1")
    svg = qr_svg(payload)

Layout (Banco Central, "Manual de Padrões para Iniciação do Pix", BR Code): 00 payload
format "01"; 26 merchant account (00 GUI "br.gov.bcb.pix", 01 key, 02 description); 52
category "0000"; 53 currency "986"; 54 amount (optional); 58 "BR"; 59 name (up to 25);
60 city (up to 15); 62 additional data (05 txid, up to 25 letters and digits, "***" when
none); 63 CRC16-CCITT (polynomial 0x1021, initial 0xFFFF) over everything up to "6304".
"""

from __future__ import annotations

import io
import re
import unicodedata
from decimal import Decimal

import segno

from portal.errors import DomainError
from portal.i18n import _

GUI = "br.gov.bcb.pix"
TXID = re.compile(r"^[A-Za-z0-9]{1,25}$")


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    size = len(value)
    if size > 99:
        raise DomainError(_("A Pix field holds up to 99 characters."), field="pix")
    return f"{tag}{size:02d}{value}"


def _plain(text: str, limit: int) -> str:
    folded = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch) and ord(ch) < 127)
    return " ".join(ascii_text.split())[:limit]


def brcode(
    key: str,
    name: str,
    city: str,
    amount: Decimal | None = None,
    txid: str | None = None,
    description: str | None = None,
) -> str:
    """The copy-and-paste payload of a static Pix charge to `key`."""
    key = (key or "").strip()
    if not key or len(key) > 77:
        raise DomainError(_("Type the account's Pix key (up to 77 characters)."), field="pix_key")
    name, city = _plain(name, 25), _plain(city, 15)
    if not name or not city:
        raise DomainError(_("A Pix charge needs the beneficiary's name and city."), field="pix")
    if txid is not None and not TXID.match(txid):
        raise DomainError(_("The Pix txid has 1 to 25 letters and digits."), field="txid")
    account = tlv("00", GUI) + tlv("01", key)
    if description:
        account += tlv("02", _plain(description, 99 - len(account) - 4))
    payload = tlv("00", "01") + tlv("26", account) + tlv("52", "0000") + tlv("53", "986")
    if amount is not None:
        if Decimal(amount) <= 0:
            raise DomainError(_("A Pix amount is more than zero."), field="amount")
        payload += tlv("54", format(Decimal(amount).quantize(Decimal("0.01")), "f"))
    payload += tlv("58", "BR") + tlv("59", name) + tlv("60", city)
    payload += tlv("62", tlv("05", txid or "***"))
    payload += "6304"
    return payload + f"{crc16(payload.encode('utf-8')):04X}"


def parse(payload: str) -> dict[str, str | dict[str, str]]:
    """The payload's fields by tag (26 and 62 opened one level); DomainError if the CRC or
    the structure is wrong."""
    payload = (payload or "").strip()
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise DomainError(_("A Pix payload ends with its CRC (tag 63)."), field="pix")
    expected = f"{crc16(payload[:-4].encode('utf-8')):04X}"
    if payload[-4:].upper() != expected:
        raise DomainError(
            _(
                "The Pix payload's CRC does not match: expected %(expected)s, found %(found)s.",
                expected=expected,
                found=payload[-4:],
            ),
            field="pix",
        )
    fields = _fields(payload)
    for tag in ("26", "62"):
        if tag in fields:
            fields[tag] = _fields(fields[tag])
    return fields


def _fields(text: str) -> dict:
    fields: dict = {}
    position = 0
    while position < len(text):
        tag, size = text[position : position + 2], text[position + 2 : position + 4]
        if not size.isdigit() or position + 4 + int(size) > len(text):
            raise DomainError(_("The Pix payload is malformed."), field="pix")
        fields[tag] = text[position + 4 : position + 4 + int(size)]
        position += 4 + int(size)
    return fields


def qr_svg(payload: str, scale: int = 4) -> str:
    """The payload's QR code as an SVG document (error correction M, quiet zone 4)."""
    qr = segno.make_qr(payload, error="m", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return out.getvalue().decode("utf-8")
