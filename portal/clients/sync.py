"""Changes a client gets from another system (the shop, through the API).

Another system sends only the fields it knows, as a mapping of field names to values:
- a patch changes what it sends and keeps the rest (`null` clears a field; for `kind` and
  `ie_indicator` it means the default);
- an upsert finds the client by CPF/CNPJ, else by e-mail, and updates it or registers one;
- addresses and contacts sent again are not added twice (same CEP and number; same name).

The version rule, decided here once: a sent `version` must be the stored one, else
StaleEdit (409); no version means the change applies to what is stored now (last write wins).
Every write goes through `portal.clients.service`, the forms' rule set.
"""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sqlalchemy import select

from portal import db
from portal.brazil.documents import normalize_document
from portal.clients import addresses, contacts, queries
from portal.clients import service as clients
from portal.clients.models import ADDRESS_DEFAULT, ORIGIN_API, Address, Client
from portal.clients.phones import PhoneInput
from portal.errors import DomainError, InvalidInput, NotFound
from portal.i18n import _
from portal.staff.models import StaffUser
from portal.text import normalize_email

Changes = Mapping[str, Any]

_CLIENT_FIELDS = {f.name for f in fields(clients.ClientInput)}
_ADDRESS_FIELDS = [f.name for f in fields(addresses.AddressInput)]
_TO_DEFAULT_WHEN_NULL = ("kind", "ie_indicator")


def expected_version(stored: int, sent: int | None) -> int:
    """The version an edit expects: the one sent, or (none sent) the stored one."""
    return stored if sent is None else sent


# Clients -----------------------------------------------------------------------------------


def client_input(changes: Changes, current: Client | None = None) -> clients.ClientInput:
    """`changes` laid over the client as stored (or over a new client's defaults)."""
    defaults = clients.ClientInput(name="")
    data = _as_stored(current) if current is not None else defaults
    for name, value in changes.items():
        if name == "phones":
            data.phones = phone_inputs(value)
        elif name == "tags":
            data.tags = value or []
        elif name in _TO_DEFAULT_WHEN_NULL and value is None:
            setattr(data, name, getattr(defaults, name))
        elif name in _CLIENT_FIELDS:
            setattr(data, name, value)
    if changes.get("status") is not None and changes.get("status_id") is None:
        data.status_id = status_named(changes["status"])
    return data


def _as_stored(client: Client) -> clients.ClientInput:
    keep = _CLIENT_FIELDS - {"password", "tags", "phones"}  # no password: keep the current one
    return clients.ClientInput(
        **{name: getattr(client, name) for name in keep},
        tags=[t.name for t in client.tags],
        phones=[
            PhoneInput(p.number, p.kind, p.consent_sms, p.consent_whatsapp, p.consent_viber)
            for p in client.phones
        ],
    )


def phone_inputs(rows) -> list[PhoneInput]:
    """Phones as sent; a missing kind or consent takes the form's default."""
    return [PhoneInput(**{k: v for k, v in row.items() if v is not None}) for row in rows or []]


def status_named(name: str) -> int:
    wanted = name.strip().lower()
    for status in queries.statuses():
        if status.name.lower() == wanted:
            return status.id
    raise InvalidInput([DomainError(_("Unknown status: use a name from the list."), "status")])


def register(changes: Changes, actor: StaffUser | None, origin: str = ORIGIN_API) -> Client:
    """A new client with its addresses and contacts; errors of those are named `addresses-0-cep`."""
    client = clients.register(client_input(changes), actor, origin=origin)
    add_children(client, changes, actor)
    return client


def patch(client_id: int, changes: Changes, version: int | None, actor) -> Client:
    client = clients.get_client(client_id)
    expected = expected_version(client.version, version)
    return clients.update(client.id, client_input(changes, client), expected, actor)


def find_match(document: str | None, email: str | None) -> Client | None:
    """The client another system means: the same CPF/CNPJ, else the same main e-mail."""
    document = _quiet(normalize_document, document)
    email = _quiet(normalize_email, email)
    found = None
    if document:
        found = db.session.scalar(select(Client).where(Client.document == document))
    if found is None and email:
        found = db.session.scalar(select(Client).where(Client.email == email))
    return found


def upsert(changes: Changes, actor, origin: str = ORIGIN_API) -> tuple[Client, bool]:
    """Update the matching client, or register a new one; answers (client, created)."""
    document, email = changes.get("document"), changes.get("email")
    found = find_match(document, email)
    if found is None:
        if not (document or email):
            raise InvalidInput(
                [
                    DomainError(
                        _("Enter the CPF/CNPJ or the e-mail to find the client."),
                        field="document",
                    )
                ]
            )
        return register(changes, actor, origin), True
    # An upsert carries no version: it applies to what is stored (last write wins).
    expected = expected_version(found.version, None)
    clients.update(found.id, client_input(changes, found), expected, actor)
    add_children(found, changes, actor, skip_known=True)
    return found, False


def _quiet(normalize, value):
    if not value:
        return None
    try:
        return normalize(value)
    except DomainError:
        return None  # the service reports it with the rest


def add_children(client: Client, changes: Changes, actor, *, skip_known: bool = False) -> None:
    """The addresses and contacts in `changes`; with `skip_known`, the ones it has are skipped."""
    known_addresses = {(a.cep, a.number.lower()) for a in client.addresses} if skip_known else set()
    known_contacts = {c.name.lower() for c in client.contacts} if skip_known else set()
    errors: list[DomainError] = []
    for index, row in enumerate(changes.get("addresses") or []):
        cep = "".join(ch for ch in (row.get("cep") or "") if ch.isdigit())
        if (cep, (row.get("number") or "").strip().lower()) in known_addresses:
            continue
        try:
            addresses.add_address(client.id, address_input(row), actor)
        except DomainError as exc:
            errors += _under(f"addresses-{index}", exc)
    for index, row in enumerate(changes.get("contacts") or []):
        if (row.get("name") or "").strip().lower() in known_contacts:
            continue
        try:
            contacts.add_contact(client.id, contact_input(row), actor)
        except DomainError as exc:
            errors += _under(f"contacts-{index}", exc)
    if errors:
        raise InvalidInput(errors)


def _under(prefix: str, exc: DomainError) -> list[DomainError]:
    """Errors of one address/contact, named under it (`addresses-0-cep`)."""
    found = exc.errors if isinstance(exc, InvalidInput) else [exc]
    return [
        DomainError(e.message, field=f"{prefix}-{e.field}" if e.field else prefix, code=e.code)
        for e in found
    ]


# Addresses and contacts --------------------------------------------------------------------


def address_input(changes: Changes, current: Address | None = None) -> addresses.AddressInput:
    """`changes` over the stored address; a new one is, unless told, the active default."""
    values = {name: getattr(current, name) for name in _ADDRESS_FIELDS} if current else {}
    values.update({k: v for k, v in changes.items() if k in _ADDRESS_FIELDS})
    return addresses.AddressInput(
        **{name: values.get(name) for name in _ADDRESS_FIELDS}
        | {"kind": values.get("kind") or ADDRESS_DEFAULT,
           "is_active": values.get("is_active") is not False}
    )  # fmt: skip


def add_address(client_id: int, changes: Changes, actor) -> Address:
    return addresses.add_address(client_id, address_input(changes), actor)


def patch_address(client_id: int, address_id: int, changes: Changes, version, actor) -> Address:
    """Only an address of this client (another client's is NotFound, as a missing one)."""
    address = db.session.get(Address, address_id)
    if address is None or address.client_id != client_id:
        raise NotFound(_("Address not found."))
    expected = expected_version(address.version, version)
    return addresses.update_address(address.id, address_input(changes, address), expected, actor)


def contact_input(changes: Changes) -> contacts.ContactInput:
    return contacts.ContactInput(
        name=changes.get("name"),
        role=changes.get("role"),
        email=changes.get("email"),
        notes=changes.get("notes"),
        phones=phone_inputs(changes.get("phones")),
    )


def add_contact(client_id: int, changes: Changes, actor):
    return contacts.add_contact(client_id, contact_input(changes), actor)
