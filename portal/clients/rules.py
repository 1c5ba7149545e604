"""Pure checks and normalisers for client data: one rule set for forms, API and imports.

Each function takes what a person typed and returns the stored form, or raises DomainError
naming the field and saying, in Portuguese, what to fix.
"""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from validate_docbr import CNPJ, CPF

from portal.clients.models import KIND_COMPANY, KIND_PERSON
from portal.errors import DomainError

UFS = (
    "AC",
    "AL",
    "AM",
    "AP",
    "BA",
    "CE",
    "DF",
    "ES",
    "GO",
    "MA",
    "MG",
    "MS",
    "MT",
    "PA",
    "PB",
    "PE",
    "PI",
    "PR",
    "RJ",
    "RN",
    "RO",
    "RR",
    "RS",
    "SC",
    "SE",
    "SP",
    "TO",
)

_MASK_CHARS = re.compile(r"[\s./\-]")
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#?\w+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_cpf = CPF()
_cnpj = CNPJ()


def clean_text(
    value: str | None, field: str, label: str, max_length: int, *, required=False, multiline=False
) -> str | None:
    """Trimmed text (one-line fields get inner runs of spaces folded); None when empty."""
    raw = (value or "").replace("\r\n", "\n")
    text = raw.strip() if multiline else " ".join(raw.split())
    if not text:
        if required:
            raise DomainError(f"Informe {label}.", field=field)
        return None
    if len(text) > max_length:
        raise DomainError(
            f"{label[0].upper()}{label[1:]} pode ter no máximo {max_length} caracteres "
            f"(foram {len(text)}).",
            field=field,
        )
    if _MARKUP.search(text):
        raise DomainError(
            "Não use marcação HTML (como <script>) neste campo: digite só o texto.",
            field=field,
        )
    if _CONTROL.search(text.replace("\n", "").replace("\t", "")):
        raise DomainError("O texto contém caracteres de controle: digite-o de novo.", field=field)
    return text


def normalize_document(raw: str | None, field: str = "document") -> str | None:
    """CPF (11 digits) or CNPJ (14 characters, numeric or the 2026 alphanumeric) without mask."""
    value = _MASK_CHARS.sub("", raw or "").upper()
    if not value:
        return None
    if len(value) == 11:
        if not value.isdigit():
            raise DomainError("CPF deve ter só números.", field=field)
        if not _cpf.validate(value):
            raise DomainError(
                "CPF inválido: os dígitos verificadores não conferem. Confira o número.",
                field=field,
            )
        return value
    if len(value) == 14:
        if not value.isalnum() or not value[-2:].isdigit():
            raise DomainError(
                "CNPJ deve ter 12 letras ou números seguidos de 2 dígitos verificadores.",
                field=field,
            )
        if not _cnpj.validate(value):
            raise DomainError(
                "CNPJ inválido: os dígitos verificadores não conferem. Confira o número.",
                field=field,
            )
        return value
    raise DomainError(
        f"CPF tem 11 dígitos e CNPJ tem 14 caracteres; você digitou {len(value)}.", field=field
    )


def document_kind(document: str) -> str:
    return KIND_PERSON if len(document) == 11 else KIND_COMPANY


def check_document_matches_kind(document: str | None, kind: str, field: str = "document") -> None:
    if document is None:
        return
    if kind == KIND_PERSON and len(document) != 11:
        raise DomainError("Pessoa Física usa CPF (11 dígitos), não CNPJ.", field=field)
    if kind == KIND_COMPANY and len(document) != 14:
        raise DomainError("Pessoa Jurídica usa CNPJ (14 caracteres), não CPF.", field=field)


def format_document(document: str | None) -> str:
    if not document:
        return ""
    if len(document) == 11:
        return f"{document[:3]}.{document[3:6]}.{document[6:9]}-{document[9:]}"
    if len(document) == 14:
        return f"{document[:2]}.{document[2:5]}.{document[5:8]}/{document[8:12]}-{document[12:]}"
    return document


def search_document_prefix(raw: str) -> str | None:
    """The unmasked start of a CPF/CNPJ typed in a search box, or None if it is not one."""
    value = _MASK_CHARS.sub("", raw or "").upper()
    if len(value) >= 3 and value.isalnum() and any(c.isdigit() for c in value[:3]):
        return value
    return None


def normalize_email(raw: str | None, field: str = "email", *, required=False) -> str | None:
    value = (raw or "").strip()
    if not value:
        if required:
            raise DomainError("Informe o e-mail.", field=field)
        return None
    if len(value) > 254:
        raise DomainError("E-mail pode ter no máximo 254 caracteres.", field=field)
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(
            "E-mail inválido: use o formato nome@dominio.com.br.", field=field
        ) from None
    return result.normalized.lower()


def normalize_cep(raw: str | None, field: str = "cep") -> str:
    value = re.sub(r"[\s.\-]", "", raw or "")
    if not value:
        raise DomainError("Informe o CEP.", field=field)
    if not (len(value) == 8 and value.isdigit()):
        raise DomainError("CEP deve ter 8 dígitos, como 01310-100.", field=field)
    return value


def format_cep(cep: str | None) -> str:
    return f"{cep[:5]}-{cep[5:]}" if cep and len(cep) == 8 else (cep or "")


def normalize_uf(raw: str | None, field: str = "uf") -> str:
    value = (raw or "").strip().upper()
    if value not in UFS:
        raise DomainError("UF inválida: escolha uma das 27 unidades da federação.", field=field)
    return value


def normalize_phone(raw: str | None, field: str = "number") -> str:
    """E.164 for a Brazilian number (DDD required) or an international one starting with +."""
    value = (raw or "").strip()
    if not value:
        raise DomainError("Informe o número do telefone.", field=field)
    if len(value) > 30:
        raise DomainError("Telefone longo demais: digite DDD e número.", field=field)
    try:
        parsed = phonenumbers.parse(value, "BR")
    except phonenumbers.NumberParseException:
        raise DomainError(
            "Telefone inválido: digite DDD e número, como (11) 98765-4321.", field=field
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            "Telefone inválido: confira o DDD e a quantidade de dígitos.", field=field
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(number: str | None) -> str:
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "BR")
    except phonenumbers.NumberParseException:
        return number
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 55
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def search_phone_digits(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw or "")
    return digits if len(digits) >= 8 and re.fullmatch(r"[\d\s()+\-.]+", raw.strip()) else None


def normalize_state_registration(raw: str | None, indicator: str, field="state_registration"):
    """IE: required for a contributor, cleared when exempt (isento)."""
    from portal.clients.models import IE_CONTRIBUTOR, IE_EXEMPT, IE_NON_CONTRIBUTOR

    if indicator not in (IE_CONTRIBUTOR, IE_EXEMPT, IE_NON_CONTRIBUTOR):
        raise DomainError("Escolha o indicador da Inscrição Estadual.", field="ie_indicator")
    if indicator == IE_EXEMPT:
        return None
    value = re.sub(r"[\s./\-]", "", raw or "").upper()
    if not value:
        if indicator == IE_CONTRIBUTOR:
            raise DomainError("Contribuinte do ICMS precisa da Inscrição Estadual.", field=field)
        return None
    if not (2 <= len(value) <= 14 and value.isalnum()):
        raise DomainError("Inscrição Estadual deve ter de 2 a 14 letras ou números.", field=field)
    return value


def parse_tags(raw: str | list[str] | None, field: str = "tags") -> list[str]:
    items = raw if isinstance(raw, list) else (raw or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = clean_text(item, field, "cada etiqueta", 60)
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if len(tags) > 30:
        raise DomainError("Use no máximo 30 etiquetas por cliente.", field=field)
    return tags


def list_position(value) -> int | None:
    """Where an entry sits in a short editable list: an int from -10000 to 10000 (empty = 0),
    or None when what was typed is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.lstrip("-").isdigit() and len(text) < 8 else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -10_000 <= value <= 10_000 else None
