"""Reading what we draw the way a person (or a cashier's scanner) does: pdftotext for the
text, pdftoppm to rasterise a page, zxing-cpp to decode the barcodes on it."""

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

DPI = 300


def pdf_text(body: bytes) -> list[str]:
    """The text of each page (pdftotext -layout), no-break spaces as spaces."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = text.replace("\xa0", " ").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def rasterise(body: bytes, page: int = 1, dpi: int = DPI) -> Image.Image:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "in.pdf"
        pdf.write_bytes(body)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        image = Image.open(Path(folder) / "page.png")
        image.load()
        return image


def decode(image: Image.Image, fmt=zxingcpp.BarcodeFormat.ITF) -> list:
    return list(zxingcpp.read_barcodes(image, formats=fmt))


def svg_pdf(svg: str) -> bytes:
    """An SVG drawn alone on an A4 page by weasyprint (vector, as in the boleto PDF)."""
    from weasyprint import HTML

    return HTML(string=f"<html><body style='margin:0'>{svg}</body></html>").write_pdf()


def pdf_images(body: bytes) -> list[str]:
    """The raster images a PDF embeds (pdfimages -list rows); vector drawings are not there."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "in.pdf"
        pdf.write_bytes(body)
        out = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, check=True
        ).stdout.decode()
    return [line for line in out.splitlines()[2:] if line.strip()]
