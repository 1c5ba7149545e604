"""What a person typed into a form field: free text, e-mail addresses, list positions.

Core layer, shared by every domain: imports only `portal.errors`, `portal.i18n` and
libraries. Each function returns the stored form or raises DomainError naming the field and
saying, in the page's language, what to fix.

`clean_text`'s `label` names the field inside a sentence, with its article, and goes through
the catalogue like any text: `_l("the name")` (pt_BR "o nome"). Pass `plural=True` for a
plural label (`_l("the notes")`, "as observações"), so the verb agrees with it.
"""

import re

from email_validator import EmailNotValidError, validate_email

from portal.errors import DomainError
from portal.i18n import _

MAX_EMAIL_LENGTH = 254

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#?\w+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(
    value: str | None,
    field: str,
    label: str,
    max_length: int,
    *,
    required=False,
    multiline=False,
    plural=False,
) -> str | None:
    """Trimmed text (one-line fields get inner runs of spaces folded); None when empty."""
    raw = (value or "").replace("\r\n", "\n")
    text = raw.strip() if multiline else " ".join(raw.split())
    if not text:
        if required:
            raise DomainError(_("Enter %(label)s.", label=label), field=field)
        return None
    if len(text) > max_length:
        label = str(label)
        label = label[:1].upper() + label[1:]
        if plural:
            message = _(
                "%(label)s are limited to %(max)s characters (you typed %(count)s).",
                label=label,
                max=max_length,
                count=len(text),
            )
        else:
            message = _(
                "%(label)s is limited to %(max)s characters (you typed %(count)s).",
                label=label,
                max=max_length,
                count=len(text),
            )
        raise DomainError(message, field=field)
    if _MARKUP.search(text):
        raise DomainError(
            _("Do not use HTML markup (such as <script>) in this field: type just the text."),
            field=field,
        )
    if _CONTROL.search(text.replace("\n", "").replace("\t", "")):
        raise DomainError(_("The text contains control characters: type it again."), field=field)
    return text


def normalize_email(raw: str | None, field: str = "email", *, required=False) -> str | None:
    """The address in lower case (syntax checked, no DNS lookup); None when empty."""
    value = (raw or "").strip()
    if not value:
        if required:
            raise DomainError(_("Enter the e-mail."), field=field)
        return None
    if len(value) > MAX_EMAIL_LENGTH:
        raise DomainError(
            _("The e-mail is limited to %(max)s characters.", max=MAX_EMAIL_LENGTH), field=field
        )
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(
            _("Invalid e-mail: use the format name@domain.com.br."), field=field
        ) from None
    return result.normalized.lower()


LIST_POSITION_LENGTH = 7  # "-10000" typed with spaces around: the browser's maxlength


def list_position(value) -> int | None:
    """Where an entry sits in a short editable list: an int from -10000 to 10000 (empty = 0),
    or None when what was typed is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, str):
        text = value.strip()
        value = (
            int(text) if text.lstrip("-").isdigit() and len(text) <= LIST_POSITION_LENGTH else None
        )
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -10_000 <= value <= 10_000 else None
