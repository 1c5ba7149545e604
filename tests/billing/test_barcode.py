"""The boleto's barcode: Interleaved 2 of 5 as FEBRABAN draws it, and a scanner reads it back."""

import re
from datetime import date
from decimal import Decimal

import pytest

from portal.billing import barcode
from portal.billing.banks import Account, issue
from portal.errors import DomainError
from tests.billing.conftest import VALID
from tests.billing.rendering import DPI, decode, pdf_images, rasterise, svg_pdf

CODE = "34197184700000600001090022335021234567890000"  # Itaú, R$ 600,00


def _bars(svg: str) -> list[tuple[float, float]]:
    """(x, width) of each bar, in mm, from the SVG path."""
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    return [
        (float(x), float(w))
        for x, w, _h in re.findall(r"M([\d.]+) 0h([\d.]+)v([\d.]+)h-[\d.]+z", path)
    ]


def test_44_digits_are_405_modules_103_mm_wide_with_a_3_to_1_ratio_and_5_mm_quiet_zones():
    svg = barcode.barcode_svg(CODE)
    assert 'width="113mm" height="13mm"' in svg  # 103 mm of bars + 2 x 5 mm quiet zone
    assert barcode.modules(CODE) == 405
    bars = _bars(svg)
    assert len(bars) == 2 + 22 * 5 + 2  # start (2 bars), 5 bars per pair, stop (2 bars)
    widths = sorted({round(w, 4) for _x, w in bars})
    assert widths == [pytest.approx(103 / 405, abs=1e-4), pytest.approx(3 * 103 / 405, abs=1e-4)]
    assert widths[0] == pytest.approx(0.254, abs=0.001)  # the manuals' narrow bar
    first_x = bars[0][0]
    last_end = bars[-1][0] + bars[-1][1]
    assert first_x == pytest.approx(5.0, abs=1e-3)
    assert last_end == pytest.approx(108.0, abs=1e-3)


def test_start_and_stop_patterns_and_no_bearer_bars():
    sequence = barcode.elements(CODE)
    assert sequence.startswith("NNNN") and sequence.endswith("WNN")
    svg = barcode.barcode_svg(CODE)
    # Every bar is a full-height vertical rectangle: no horizontal bearer bar above or below.
    heights = set(re.findall(r"v([\d.]+)h", svg))
    assert heights == {"13"}
    assert svg.count("<path") == 1 and svg.count("<rect") == 1  # the white background only


def test_the_digit_patterns_have_two_wide_elements_of_five():
    for digit, pattern in barcode.PATTERNS.items():
        assert len(pattern) == 5 and pattern.count("W") == 2, digit
    assert len(set(barcode.PATTERNS.values())) == 10


@pytest.mark.parametrize("digits", ["", "123", "12a4", "١٢"])
def test_odd_or_non_digit_input_is_refused(digits):
    with pytest.raises(DomainError):
        barcode.barcode_svg(digits)


def test_the_drawn_barcode_decodes_back_to_its_44_digits():
    svg = barcode.barcode_svg(CODE)
    pdf = svg_pdf(svg)
    assert pdf_images(pdf) == []  # vector: nothing rasterised in the PDF
    image = rasterise(pdf)
    [found] = decode(image)
    assert found.text == CODE
    assert found.format.name == "ITF"
    # The printed width, measured on the 300 dpi rendering: 103 mm of bars.
    left = min(p.x for p in (found.position.top_left, found.position.bottom_left))
    right = max(p.x for p in (found.position.top_right, found.position.bottom_right))
    assert (right - left) / DPI * 25.4 == pytest.approx(103, abs=1.0)


@pytest.mark.parametrize("vector", VALID[:6], ids=lambda v: v["bank"])
def test_public_vectors_decode(vector):
    pdf = svg_pdf(barcode.barcode_svg(vector["barcode"]))
    assert [f.text for f in decode(rasterise(pdf, dpi=200))] == [vector["barcode"]]


def test_the_screen_svg_scales_and_still_decodes():
    issued = issue(
        Account("001", agencia="1234", conta="5678", convenio="1234567", carteira="17"),
        42,
        date(2026, 12, 10),
        Decimal("1234.56"),
    )
    svg = barcode.barcode_svg(issued.code.barcode, responsive=True)
    assert "width=" not in svg.split(">")[0].replace("viewBox", "")
    sized = svg.replace("<svg ", '<svg style="width:160mm;height:20mm" ', 1)
    [found] = decode(rasterise(svg_pdf(sized), dpi=150))
    assert found.text == issued.code.barcode
