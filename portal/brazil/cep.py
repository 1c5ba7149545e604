"""CEP (Código de Endereçamento Postal): 8 digits, shown as 01310-100."""

import re

from portal.errors import DomainError
from portal.i18n import _

_MASK_CHARS = re.compile(r"[\s.\-]")


def normalize_cep(raw: str | None, field: str = "cep") -> str:
    """The 8 digits of a CEP typed with or without mask; a CEP is required."""
    value = _MASK_CHARS.sub("", raw or "")
    if not value:
        raise DomainError(_("Enter the CEP."), field=field)
    if not is_valid_cep(value):
        raise DomainError(_("The CEP has 8 digits, such as 01310-100."), field=field)
    return value


def is_valid_cep(value: str | None) -> bool:
    """Eight digits, mask already removed."""
    return bool(value) and len(value) == 8 and value.isdigit()


def format_cep(cep: str | None) -> str:
    """01310100 -> 01310-100; anything else is shown as it is."""
    return f"{cep[:5]}-{cep[5:]}" if cep and len(cep) == 8 else (cep or "")
