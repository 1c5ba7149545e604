"""UF and document checks for the consultation, on top of `portal.brazil`.

Sefaz answers a malformed document with a rejection and counts repeated bad queries as
"consumo indevido" (656), so documents are checked before any call, with the same rules
as the back office (`portal.brazil.documents`: check digits, the length guard, the 2026
alphanumeric CNPJ). What stays here is Sefaz's own: one document per query, the IE in the
web service's digits-only layout, and errors as `SefazInvalidRequest`.
"""

from __future__ import annotations

import re

from portal.brazil.documents import is_valid_cnpj, is_valid_cpf, unmask
from portal.brazil.ufs import normalize_uf as _normalize_uf
from portal.errors import DomainError
from portal.i18n import _
from portal.sefaz.errors import SefazInvalidRequest

_IE = re.compile(r"[0-9]{2,14}")  # consCad's IE: digits only


def normalize_uf(value: str) -> str:
    """Upper-case a UF and check it is one of the 27 units of the federation."""
    try:
        return _normalize_uf(value)
    except DomainError:
        reason = _("Invalid UF: %(uf)s.", uf=repr(value))
        raise SefazInvalidRequest(reason, code="uf_invalida") from None


def _is_valid_ie(value: str) -> bool:
    return bool(_IE.fullmatch(unmask(value)))


_VALIDATORS = {"CNPJ": is_valid_cnpj, "CPF": is_valid_cpf, "IE": _is_valid_ie}


def normalize_document(*, cnpj: str | None, cpf: str | None, ie: str | None) -> tuple[str, str]:
    """Return (tag, value) for the one document given: ("CNPJ"|"CPF"|"IE", unmasked)."""
    given = [(tag, value) for tag, value in (("CNPJ", cnpj), ("CPF", cpf), ("IE", ie)) if value]
    if len(given) != 1:
        raise SefazInvalidRequest(
            _("Give exactly one document: CNPJ, CPF or state registration."),
            code="documento_invalido",
        )
    tag, raw = given[0]
    if not _VALIDATORS[tag](raw):
        reason = _("Invalid %(kind)s: %(value)s.", kind=tag, value=repr(raw))
        raise SefazInvalidRequest(reason, code="documento_invalido")
    return tag, unmask(raw)
