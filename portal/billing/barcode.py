"""The boleto's barcode drawn as Interleaved 2 of 5 (ITF), as SVG.

    svg = barcode_svg("00193373700000001000500940144816060680935031")        # 113 x 13 mm
    svg = barcode_svg(code, responsive=True)  # for a page: scales with its box, same shape

FEBRABAN's drawing (the banks' manuals, e.g. Banco do Brasil Jan/2016, Caixa SIGCB): the
44 digits without an extra check digit and without bearer bars, 103 mm x 13 mm, a 5 mm quiet
zone on each side. Digits go in pairs: the first of a pair is drawn by the five bars, the
second by the five spaces between them, each element narrow (N) or wide (W), two wide of
five. Start: N bar, N space, N bar, N space; stop: W bar, N space, N bar.

With wide = 3 x narrow a digit takes 2*3 + 3 = 9 modules, so 44 digits take 22 * 18 = 396,
start 4 and stop 5: 405 modules. 103 mm / 405 = 0.2543 mm per narrow element, the manuals'
"about 0.254 mm" (10 mils); the ratio 3:1 is inside ITF's allowed 2.25:1 to 3:1. The SVG is
vector: weasyprint embeds it in the PDF as paths, so nothing is resampled.
"""

from __future__ import annotations

from portal.errors import DomainError
from portal.i18n import _

# Element widths of each digit: 1 = narrow, 0 = wide... spelled as N/W for reading.
PATTERNS = {
    "0": "NNWWN",
    "1": "WNNNW",
    "2": "NWNNW",
    "3": "WWNNN",
    "4": "NNWNW",
    "5": "WNWNN",
    "6": "NWWNN",
    "7": "NNNWW",
    "8": "WNNWN",
    "9": "NWNWN",
}
START = "NNNN"  # bar, space, bar, space
STOP = "WNN"  # bar, space, bar

WIDTH_MM = 103.0  # the bars, start to stop
HEIGHT_MM = 13.0
QUIET_MM = 5.0
RATIO = 3  # wide / narrow


def elements(digits: str) -> str:
    """The N/W sequence, alternating bar and space, starting with a bar."""
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) % 2:
        raise DomainError(
            _("An Interleaved 2 of 5 barcode takes an even number of digits."), field="barcode"
        )
    sequence = [START]
    for index in range(0, len(digits), 2):
        bars, spaces = PATTERNS[digits[index]], PATTERNS[digits[index + 1]]
        sequence.append("".join(bar + space for bar, space in zip(bars, spaces, strict=True)))
    sequence.append(STOP)
    return "".join(sequence)


def modules(digits: str, ratio: int = RATIO) -> int:
    """The barcode's width in narrow modules (405 for 44 digits at 3:1)."""
    sequence = elements(digits)
    return sequence.count("N") + ratio * sequence.count("W")


def bars(digits: str, ratio: int = RATIO) -> list[tuple[int, int]]:
    """Each bar as (start, width) in modules from the first bar's left edge."""
    out: list[tuple[int, int]] = []
    position = 0
    for index, element in enumerate(elements(digits)):
        width = ratio if element == "W" else 1
        if index % 2 == 0:
            out.append((position, width))
        position += width
    return out


def _mm(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def barcode_svg(
    digits: str,
    *,
    width_mm: float = WIDTH_MM,
    height_mm: float = HEIGHT_MM,
    quiet_mm: float = QUIET_MM,
    ratio: int = RATIO,
    responsive: bool = False,
    css_class: str = "boleto-barcode",
) -> str:
    """The barcode as an SVG element, in millimetres: `width_mm` for the bars plus the quiet
    zones each side. `responsive` leaves out the width and height so a page's CSS sizes it
    (the viewBox keeps the proportions)."""
    narrow = width_mm / modules(digits, ratio)
    total = width_mm + 2 * quiet_mm
    size = "" if responsive else f' width="{_mm(total)}mm" height="{_mm(height_mm)}mm"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}"{size} '
        f'viewBox="0 0 {_mm(total)} {_mm(height_mm)}" preserveAspectRatio="none" '
        f'shape-rendering="crispEdges" role="img" aria-label="{digits}">',
        f'<rect x="0" y="0" width="{_mm(total)}" height="{_mm(height_mm)}" fill="#fff"/>',
    ]
    # One path of rectangles: smaller than a rect each, and drawn the same.
    path = "".join(
        f"M{_mm(quiet_mm + start * narrow)} 0h{_mm(width * narrow)}v{_mm(height_mm)}"
        f"h-{_mm(width * narrow)}z"
        for start, width in bars(digits, ratio)
    )
    parts.append(f'<path d="{path}" fill="#000"/>')
    parts.append("</svg>")
    return "".join(parts)
