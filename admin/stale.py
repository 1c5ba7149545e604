"""Recovering from a stale-edit refusal: keep what the clerk typed, move the form onto the
stored version, and show what the other person changed next to the typed values.

Every edit form (client page, address and contact popups, order popup) works the same way:

    stale.carry(form)
    if request.method == "GET":
        form.load(record)
        stale.remember(form)                  # what the form opened with
    ...
    except DomainError as exc:
        unit_of_work.reject(exc, form)
        if isinstance(exc, StaleEdit):
            stale.recover(form, fresh_form_loaded_from_the_stored_record, record.version)

"Changed since opened" compares the stored record with the values the form was opened with.
The form carries those as a fingerprint per field (a short hash of each value, in the hidden
input `clientela_opened`): comparing stored with *typed* values would also list every field
the clerk changed, hiding the other person's changes among the clerk's own. Only hashes travel,
so nothing is signed: a forged fingerprint could only change the notice its own sender sees.
A form posted without fingerprints (opened before this existed) lists every field where the
stored value differs from the typed one.

After `recover` the form's `version` is the stored one and its fingerprints are the stored
values, so the next "Save" goes through on top of the other change, and a third person's save
in between is caught the same way again.
"""

import hashlib
import json
from dataclasses import dataclass

from flask import request

from portal.i18n import pgettext

OPENED_FIELD = "clientela_opened"
_SKIPPED = {"CSRFTokenField", "HiddenField", "PasswordField", "SubmitField"}


@dataclass(frozen=True)
class Change:
    """One field the other person changed: its label, their saved value, the typed one."""

    label: str
    theirs: str
    yours: str


def remember(form) -> None:
    """Fingerprint the values `form` opens with (call right after `form.load(record)`)."""
    form.clientela_opened = _encode(_fingerprints(form))


def carry(form) -> None:
    """Keep the fingerprints a posted form came with (call after building a posted form)."""
    form.clientela_opened = request.form.get(OPENED_FIELD, "") if request.method == "POST" else ""


def recover(form, stored, version: int) -> None:
    """`form` (as typed) was refused as stale; `stored` is a new form of the same class loaded
    from the record as it is stored now. Lists the changes (`form.stale_changes`), moves the
    form onto `version` and onto the stored values' fingerprints."""
    opened = _decode(request.form.get(OPENED_FIELD))
    now = _fingerprints(stored)
    typed = _fingerprints(form)
    changes = []
    for name, field in _fields(stored):
        base = opened.get(name) if opened is not None else typed.get(name)
        if base != now[name]:
            changes.append(Change(str(field.label.text), _shown(field), _shown(form[name])))
    form.stale_changes = changes
    form.version.data = str(version)
    form.clientela_opened = _encode(now)


def _fields(form):
    return [(name, field) for name, field in form._fields.items() if field.type not in _SKIPPED]


def _fingerprints(form) -> dict[str, str]:
    return {
        name: hashlib.blake2b(
            json.dumps(field.data, sort_keys=True, default=str).encode(), digest_size=6
        ).hexdigest()
        for name, field in _fields(form)
    }


def _encode(fingerprints: dict[str, str]) -> str:
    return json.dumps(fingerprints, separators=(",", ":"), sort_keys=True)


def _decode(token: str | None) -> dict[str, str] | None:
    try:
        value = json.loads(token or "")
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    return value


def _shown(field, inside: bool = False) -> str:
    """A field's value as the clerk reads it (choices by name, lists one entry per line)."""
    kind = field.type
    if kind in ("SelectField", "RadioField"):
        text = next((str(c[1]) for c in field.iter_choices() if c[2]), "")
    elif kind == "BooleanField":
        if inside:  # a flag inside a row (a phone's SMS consent): named when set
            text = str(field.label.text) if field.data else ""
        else:
            text = pgettext("yes or no", "Yes") if field.data else pgettext("yes or no", "No")
    elif kind == "FieldList":
        text = "; ".join(filter(None, (_shown(entry, inside=True) for entry in field)))
    elif kind == "FormField":
        parts = (_shown(sub, inside=True) for sub in field.form if sub.type not in _SKIPPED)
        text = " ".join(filter(None, parts))
    else:
        text = field._value() or ""
    return text if text or inside else "—"
