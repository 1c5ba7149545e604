"""Spreadsheet cells that cannot become formulas (OWASP "CSV injection").

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula; such a cell gets a leading single quote,
which every one of them shows as text. Phone numbers and plain signed numbers
(`+55 11 91234-5678`, `-12,50`) are left as they are, so they stay readable: they hold no
letters, references or function calls.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONE_OR_NUMBER = re.compile(r"[+-]?\d[\d ().,-]*")


def safe_text(value: str | None) -> str:
    text = value or ""
    if text.startswith(FORMULA_STARTS) and not _PHONE_OR_NUMBER.fullmatch(text):
        return "'" + text
    return text
