"""CPF and CNPJ: unmask, validate (check digits via validate-docbr), mask, PF/PJ kind.

The CNPJ may be the alphanumeric one Receita Federal issues from July 2026: 12 letters or
digits followed by 2 check digits. validate-docbr zero-pads short input (`CPF().validate("191")`
is True), so the length is checked here before the check digits.
"""

import re

from validate_docbr import CNPJ, CPF

from portal.errors import DomainError
from portal.i18n import _

PERSON = "PF"  # pessoa física: CPF
COMPANY = "PJ"  # pessoa jurídica: CNPJ
KINDS = (PERSON, COMPANY)

CPF_LENGTH = 11
CNPJ_LENGTH = 14

_MASK_CHARS = re.compile(r"[\s./\-]")
_cpf = CPF()
_cnpj = CNPJ()


def unmask(raw: str | None) -> str:
    """Spaces, dots, slashes and dashes removed, letters upper-cased ("" for None)."""
    return _MASK_CHARS.sub("", raw or "").upper()


def _cpf_problem(value: str) -> str | None:
    """Why an unmasked 11-character value is not a CPF, or None when it is one."""
    if not value.isdigit():
        return _("The CPF has digits only.")
    if not _cpf.validate(value):
        return _("Invalid CPF: the check digits do not match. Check the number.")
    return None


def _cnpj_problem(value: str) -> str | None:
    """Why an unmasked 14-character value is not a CNPJ, or None when it is one."""
    if not value.isalnum() or not value[-2:].isdigit():
        return _("The CNPJ has 12 letters or digits followed by 2 check digits.")
    if not _cnpj.validate(value):
        return _("Invalid CNPJ: the check digits do not match. Check the number.")
    return None


def is_valid_cpf(raw: str | None) -> bool:
    """A CPF, masked or not: 11 digits with matching check digits."""
    value = unmask(raw)
    return len(value) == CPF_LENGTH and _cpf_problem(value) is None


def is_valid_cnpj(raw: str | None) -> bool:
    """A CNPJ, masked or not, numeric or alphanumeric, with matching check digits."""
    value = unmask(raw)
    return len(value) == CNPJ_LENGTH and _cnpj_problem(value) is None


def normalize_document(raw: str | None, field: str = "document") -> str | None:
    """CPF (11 digits) or CNPJ (14 characters, numeric or the 2026 alphanumeric) without mask;
    None when nothing was typed."""
    value = unmask(raw)
    if not value:
        return None
    if len(value) == CPF_LENGTH:
        problem = _cpf_problem(value)
    elif len(value) == CNPJ_LENGTH:
        problem = _cnpj_problem(value)
    else:
        problem = _(
            "A CPF has 11 digits and a CNPJ 14 characters; you typed %(count)s.", count=len(value)
        )
    if problem:
        raise DomainError(problem, field=field)
    return value


def kind_of(document: str | None) -> str | None:
    """PF for an unmasked CPF, PJ for an unmasked CNPJ, None for anything else."""
    length = len(document or "")
    return PERSON if length == CPF_LENGTH else COMPANY if length == CNPJ_LENGTH else None


def check_document_matches_kind(document: str | None, kind: str, field: str = "document") -> None:
    """A person (PF) has a CPF, a company (PJ) a CNPJ; no document is fine for either."""
    if document is None:
        return
    if kind == PERSON and kind_of(document) != PERSON:
        raise DomainError(_("An individual has a CPF (11 digits), not a CNPJ."), field=field)
    if kind == COMPANY and kind_of(document) != COMPANY:
        raise DomainError(_("A company has a CNPJ (14 characters), not a CPF."), field=field)


def format_document(document: str | None) -> str:
    """The masked form: 529.982.247-25, 11.222.333/0001-81, 12.ABC.345/01DE-35."""
    if not document:
        return ""
    if len(document) == CPF_LENGTH:
        return f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"
    if len(document) == CNPJ_LENGTH:
        return f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"
    return document
