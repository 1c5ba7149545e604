"""UF and document normalisation for the consultation.

Sefaz answers a malformed document with a rejection and counts repeated bad queries as
"consumo indevido" (656), so documents are checked here, check digits included, before
any call. The CNPJ may be the alphanumeric format that Receita Federal issues from 2026.
"""

from __future__ import annotations

import re

from portal.sefaz.errors import SefazInvalidRequest

_UF_LIST = "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO"
UFS: frozenset[str] = frozenset(_UF_LIST.split())

_MASK = re.compile(r"[\s./-]")
_CNPJ = re.compile(r"[0-9A-Z]{12}[0-9]{2}")
_CPF = re.compile(r"[0-9]{11}")
_IE = re.compile(r"[0-9]{2,14}")


def normalize_uf(value: str) -> str:
    """Upper-case a UF and check it is one of the 27 units of the federation."""
    uf = (value or "").strip().upper()
    if uf not in UFS:
        raise SefazInvalidRequest(f"UF inválida: {value!r}.", code="uf_invalida")
    return uf


def _unmask(value: str) -> str:
    return _MASK.sub("", value or "").upper()


def _check_digit(values: list[int], first_weight: int) -> int:
    """Modulo-11 digit shared by CNPJ (weights cycle 2..9) and CPF (weights descend)."""
    total = 0
    weight = first_weight
    for value in values:
        total += value * weight
        weight = weight - 1 if weight > 2 else 9
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cnpj(value: str) -> bool:
    """Numeric or alphanumeric CNPJ: each character counts as its ASCII code minus 48."""
    cnpj = _unmask(value)
    if not _CNPJ.fullmatch(cnpj) or len(set(cnpj)) == 1:
        return False
    values = [ord(char) - 48 for char in cnpj]
    first = _check_digit(values[:12], 5)
    second = _check_digit([*values[:12], first], 6)
    return values[12:] == [first, second]


def is_valid_cpf(value: str) -> bool:
    cpf = _unmask(value)
    if not _CPF.fullmatch(cpf) or len(set(cpf)) == 1:
        return False
    digits = [int(char) for char in cpf]
    first = _check_digit(digits[:9], 10)
    second = _check_digit([*digits[:9], first], 11)
    return digits[9:] == [first, second]


def normalize_document(*, cnpj: str | None, cpf: str | None, ie: str | None) -> tuple[str, str]:
    """Return (tag, value) for the one document given: ("CNPJ"|"CPF"|"IE", unmasked)."""
    given = [(tag, value) for tag, value in (("CNPJ", cnpj), ("CPF", cpf), ("IE", ie)) if value]
    if len(given) != 1:
        raise SefazInvalidRequest(
            "Informe exatamente um documento: CNPJ, CPF ou inscrição estadual.",
            code="documento_invalido",
        )
    tag, raw = given[0]
    value = _unmask(raw)
    valid = {
        "CNPJ": is_valid_cnpj,
        "CPF": is_valid_cpf,
        "IE": lambda ie_value: bool(_IE.fullmatch(ie_value)),
    }[tag](value)
    if not valid:
        raise SefazInvalidRequest(f"{tag} inválido: {raw!r}.", code="documento_invalido")
    return tag, value
