"""Rules that belong to clients alone; Brazilian rules live in `portal.brazil`, typed-text
rules (names, e-mail) in `portal.text`.

Each function takes what a person typed and returns the stored form, or raises DomainError
naming the field and saying, in the page's language, what to fix.
"""

from portal.clients import limits
from portal.errors import DomainError
from portal.i18n import _
from portal.text import clean_text

MAX_TAGS = 30


def parse_tags(raw: str | list[str] | None, field: str = "tags") -> list[str]:
    """Comma-separated (or listed) tags, trimmed, without case-insensitive repeats."""
    items = raw if isinstance(raw, list) else (raw or "").split(",")
    tags: list[str] = []
    for item in items:
        tag = clean_text(item, field, _("each tag"), limits.TAG)
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise DomainError(_("Use at most %(max)s tags per client.", max=MAX_TAGS), field=field)
    return tags
