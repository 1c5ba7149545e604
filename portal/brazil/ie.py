"""Inscrição Estadual (IE) and its indicator: ICMS contributor, exempt, or not a contributor.

A contributor must have an IE; an exempt one (isento) has none stored; a non-contributor may
have one. The IE itself is 2 to 14 letters or digits (each state has its own layout; the
check digits are not verified here).
"""

import re

from portal.errors import DomainError
from portal.i18n import _

CONTRIBUTOR = "contribuinte"
EXEMPT = "isento"
NON_CONTRIBUTOR = "nao_contribuinte"
INDICATORS = (CONTRIBUTOR, EXEMPT, NON_CONTRIBUTOR)

_MASK_CHARS = re.compile(r"[\s./\-]")


def normalize_state_registration(
    raw: str | None, indicator: str, field: str = "state_registration"
) -> str | None:
    """IE without mask: required for a contributor, cleared when exempt (isento)."""
    if indicator not in INDICATORS:
        raise DomainError(_("Choose the State Registration indicator."), field="ie_indicator")
    if indicator == EXEMPT:
        return None
    value = _MASK_CHARS.sub("", raw or "").upper()
    if not value:
        if indicator == CONTRIBUTOR:
            raise DomainError(_("An ICMS taxpayer needs the State Registration."), field=field)
        return None
    if not (2 <= len(value) <= 14 and value.isalnum()):
        raise DomainError(_("The State Registration has 2 to 14 letters or digits."), field=field)
    return value
