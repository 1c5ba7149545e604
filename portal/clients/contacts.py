"""A client's contacts (people at the company): add and edit, each with its phones."""

from dataclasses import dataclass, field

from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.clients import history, limits
from portal.clients.models import Contact
from portal.clients.phones import PhoneInput, check_phones, replace_phones
from portal.clients.service import get_client
from portal.errors import ErrorCollector, NotFound, StaleEdit
from portal.i18n import _
from portal.staff.models import StaffUser
from portal.text import clean_text, normalize_email


@dataclass
class ContactInput:
    name: str
    role: str | None = None
    email: str | None = None
    notes: str | None = None
    phones: list[PhoneInput] = field(default_factory=list)


def _check_contact(data: ContactInput):
    errors = ErrorCollector()
    values = {
        "name": errors.check(
            clean_text,
            data.name,
            "name",
            _("the contact's name"),
            limits.CONTACT_NAME,
            required=True,
        ),
        "role": errors.check(clean_text, data.role, "role", _("the role"), limits.CONTACT_ROLE),
        "email": errors.check(normalize_email, data.email),
        "notes": errors.check(
            clean_text,
            data.notes,
            "notes",
            _("the notes"),
            limits.CONTACT_NOTES,
            multiline=True,
            plural=True,
        ),
    }
    phones = check_phones(data.phones, errors, prefix="phones")
    errors.raise_if_any()
    return values, phones


def add_contact(client_id: int, data: ContactInput, actor: StaffUser | None) -> Contact:
    client = get_client(client_id)
    values, phones = _check_contact(data)
    contact = Contact(**values)
    replace_phones(contact.phones, phones)
    client.contacts.append(contact)
    db.session.flush()
    history.record(client, actor, "contact_added", [history.change("Contato", "", contact.name)])
    return contact


@db.stale_as_edit()
def update_contact(contact_id: int, data: ContactInput, expected_version: int, actor) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(_("Contact not found."))
    if contact.version != expected_version:
        raise StaleEdit()
    values, phones = _check_contact(data)
    before = history.describe_contact(contact)
    for key, value in values.items():
        setattr(contact, key, value)
    replace_phones(contact.phones, phones)
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    after = history.describe_contact(contact)
    if before != after:
        history.record(
            contact.client, actor, "contact_updated", [history.change("Contato", before, after)]
        )
    return contact
