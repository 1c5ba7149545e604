"""Client use cases: register and edit a client. They flush; the caller commits.

A client's addresses and contacts have their own modules (`addresses`, `contacts`); the
phone rows both clients and contacts carry live in `phones`.
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from portal import db
from portal.brazil.documents import check_document_matches_kind, normalize_document
from portal.brazil.ie import normalize_state_registration
from portal.clients import history, limits, relationship, rules
from portal.clients.models import (
    GROUP_ACTIVE,
    GROUP_CONTACT,
    GROUP_LEAD,
    KIND_COMPANY,
    KIND_PERSON,
    ORIGIN_STAFF,
    Client,
    ClientStatus,
    Tag,
)
from portal.clients.phones import PhoneInput, check_phones, replace_phones
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.i18n import _, _l
from portal.lookups.models import ClientProfile, PaymentMethod, PaymentTerm, Seller
from portal.security.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hash_password
from portal.staff.models import StaffUser
from portal.text import clean_text, normalize_email


@dataclass
class ClientInput:
    name: str
    kind: str = KIND_PERSON
    status_id: int | None = None
    trade_name: str | None = None
    document: str | None = None
    ie_indicator: str = "nao_contribuinte"
    state_registration: str | None = None
    email: str | None = None
    password: str | None = None  # None/empty: keep the current one
    birth_date: date | None = None
    notes: str | None = None
    tags: list[str] | str | None = None
    is_supplier: bool = False
    has_conflict: bool = False
    email_consent: bool = False
    phones: list[PhoneInput] = field(default_factory=list)
    profile_id: int | None = None
    seller_id: int | None = None
    payment_method_id: int | None = None
    payment_term_id: int | None = None


def get_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFound(_("Client not found."))
    return client


def _locked(client_id: int) -> Client:
    """The client as stored now, its row locked until the commit (PostgreSQL): an edit waits
    for a purchase being recorded (and the other way round) and then sees its result, so the
    group it derives is never computed from purchases it did not see."""
    client = db.session.scalars(
        select(Client)
        .where(Client.id == client_id)
        .with_for_update(of=Client)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if client is None:
        raise NotFound(_("Client not found."))
    return client


def default_status() -> ClientStatus:
    status = db.session.scalars(
        select(ClientStatus).order_by(ClientStatus.is_default.desc(), ClientStatus.position)
    ).first()
    if status is None:
        raise DomainError(_("No client status registered: run the migrations."), field="status_id")
    return status


def register(
    data: ClientInput,
    actor: StaffUser | None,
    origin: str = ORIGIN_STAFF,
    action: str = "created",
) -> Client:
    """`action` names the history row (the storefront's signup is `storefront_signup`)."""
    client = Client(origin=origin, session_token=new_session_token())
    _apply(client, data, is_new=True)
    db.session.add(client)
    _flush_unique(client)
    history.record(client, actor, action, history.snapshot_of_new(client))
    return client


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


@db.stale_as_edit()
def update(
    client_id: int,
    data: ClientInput,
    expected_version: int,
    actor: StaffUser | None,
    action: str = "updated",
):
    client = _locked(client_id)
    if client.version != expected_version:
        raise StaleEdit()
    before = history.snapshot(client)
    _apply(client, data, is_new=False)
    _flush_unique(client)
    changes = history.diff(before, history.snapshot(client))
    if changes:
        history.record(client, actor, action, changes)
    return client


def record_purchase(client_id: int, at: datetime) -> None:
    """An order that counts as a purchase arrived: the client's first/last purchase move.

    Order creation calls this (never the list page), so counters need no join over orders.
    A purchase is not an edit: it writes with set-based UPDATEs that neither check nor bump
    the client's `version` (nor `updated_at`), so concurrent purchases never conflict with
    each other or with a staff edit of the client. The first UPDATE locks the row (on
    PostgreSQL) and returns the group as stored, so the counters move exactly once even
    when purchases of one client race.
    """
    first, last = Client.first_purchase_at, Client.last_purchase_at
    stored = db.session.execute(
        sql_update(Client)
        .where(Client.id == client_id)
        .values(
            {
                first: case((or_(first.is_(None), first > at), at), else_=first),
                last: case((or_(last.is_(None), last < at), at), else_=last),
                Client.updated_at: Client.updated_at,  # not an edit: "last changed" stays
            }
        )
        .returning(Client.group)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if stored is None:
        raise NotFound(_("Client not found."))
    if stored in (GROUP_LEAD, GROUP_CONTACT):  # a purchase makes an accessible client active
        db.session.execute(
            sql_update(Client)
            .where(Client.id == client_id)
            .values({Client.group: GROUP_ACTIVE, Client.updated_at: Client.updated_at})
            .execution_options(synchronize_session=False)
        )
        relationship.move_counters(db.session, Counter({stored: -1, GROUP_ACTIVE: 1}))
    loaded = db.session.identity_map.get(identity_key(Client, client_id))
    if loaded is not None:  # the copy in memory forgets what the UPDATEs changed
        db.session.expire(loaded, ["first_purchase_at", "last_purchase_at", "group"])


def _flush_unique(client: Client) -> None:
    """Flush, turning a lost race on a unique field into the same message as the pre-check."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    except IntegrityError as exc:
        text = str(exc.orig).lower()
        if "email" in text:
            raise DomainError(_EMAIL_TAKEN, field="email", code=TAKEN) from None
        if "document" in text:
            raise DomainError(_DOCUMENT_TAKEN, field="document", code=TAKEN) from None
        raise


# The code of "already registered" errors (the storefront answers them without saying so).
TAKEN = "taken"
_EMAIL_TAKEN = _l("This e-mail is already another client's main e-mail.")
_DOCUMENT_TAKEN = _l("This CPF/CNPJ is already registered to another client.")


def _apply(client: Client, data: ClientInput, *, is_new: bool) -> None:
    """Validate every field (reporting all errors at once), then write them to `client`."""
    errors = ErrorCollector()
    kind = data.kind if data.kind in (KIND_PERSON, KIND_COMPANY) else None
    if kind is None:
        errors.add(_("Choose individual or company."), "kind")
    name = errors.check(
        clean_text, data.name, "name", _("the Name/Company name"), limits.NAME, required=True
    )
    trade_name = errors.check(
        clean_text, data.trade_name, "trade_name", _("the trade name"), limits.TRADE_NAME
    )
    document = errors.check(normalize_document, data.document)
    if document and kind:
        errors.check(check_document_matches_kind, document, kind)
    state_registration = errors.check(
        normalize_state_registration, data.state_registration, data.ie_indicator
    )
    email = errors.check(normalize_email, data.email)
    notes = errors.check(
        clean_text,
        data.notes,
        "notes",
        _("the notes"),
        limits.NOTES,
        multiline=True,
        plural=True,
    )
    tags = errors.check(rules.parse_tags, data.tags) or []
    password = data.password or ""
    if password:
        if len(password) < MIN_PASSWORD_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
            errors.add(
                _(
                    "The password must have %(min)s to %(max)s characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
                "password",
            )
        elif not email:
            errors.add(
                _("To set the password, enter the main e-mail: it is the login at the shop."),
                "email",
            )
    if data.birth_date and (data.birth_date > date.today() or data.birth_date.year < 1850):
        errors.add(_("Invalid date: use a date between 1850 and today."), "birth_date")
    phones = check_phones(data.phones, errors, prefix="phones")
    status = _check_status(data.status_id, errors)
    lookups = {
        "profile_id": _check_lookup(
            ClientProfile,
            data.profile_id,
            client.profile_id,
            errors,
            "profile_id",
            _l("Choose an active client profile from the list."),
        ),
        "seller_id": _check_lookup(
            Seller,
            data.seller_id,
            client.seller_id,
            errors,
            "seller_id",
            _l("Choose an active seller from the list."),
        ),
        "payment_method_id": _check_lookup(
            PaymentMethod,
            data.payment_method_id,
            client.payment_method_id,
            errors,
            "payment_method_id",
            _l("Choose an active payment method from the list."),
        ),
        "payment_term_id": _check_lookup(
            PaymentTerm,
            data.payment_term_id,
            client.payment_term_id,
            errors,
            "payment_term_id",
            _l("Choose an active payment term from the list."),
        ),
    }
    if document and _taken(Client.document, document, client.id):
        errors.errors.append(DomainError(_DOCUMENT_TAKEN, field="document", code=TAKEN))
    if email and _taken(Client.email, email, client.id):
        errors.errors.append(DomainError(_EMAIL_TAKEN, field="email", code=TAKEN))
    if email is None and client.password_hash and not password and not is_new:
        errors.add(
            _("This client has a shop password: the main e-mail (the login) is required."),
            "email",
        )
    errors.raise_if_any()

    client.kind = kind
    client.name = name
    client.trade_name = trade_name
    client.document = document
    client.ie_indicator = data.ie_indicator
    client.state_registration = state_registration
    client.email = email
    client.birth_date = data.birth_date
    client.notes = notes
    client.is_supplier = bool(data.is_supplier)
    client.has_conflict = bool(data.has_conflict)
    client.email_consent = bool(data.email_consent)
    client.status = status
    for attr, value in lookups.items():
        setattr(client, attr, value)
    if password:
        client.password_hash = hash_password(password)
        client.password_set_at = utcnow()
    client.tags = _tags_named(tags)
    replace_phones(client.phones, phones)


def _taken(column, value: str, own_id: int | None) -> bool:
    query = select(func.count()).where(column == value)
    if own_id is not None:
        query = query.where(Client.id != own_id)
    return db.session.scalar(query) > 0


def _check_status(status_id: int | None, errors: ErrorCollector) -> ClientStatus | None:
    if status_id is None:
        return errors.check(default_status)
    status = db.session.get(ClientStatus, status_id)
    if status is None:
        errors.add(_("Choose a status from the list."), "status_id")
    return status


def _check_lookup(model, new_id, current_id, errors: ErrorCollector, field_name: str, unknown):
    """The id chosen for a lookup field; `unknown` is the message for one not in the list."""
    if new_id is None:
        return None
    entry = db.session.get(model, new_id)
    if entry is None or (not entry.is_active and new_id != current_id):
        errors.add(str(unknown), field_name)
        return None
    return new_id


def _tags_named(names: list[str]) -> list[Tag]:
    if not names:
        return []
    lowered = [n.lower() for n in names]
    existing = {
        t.name.lower(): t
        for t in db.session.scalars(select(Tag).where(func.lower(Tag.name).in_(lowered)))
    }
    tags = []
    for name in names:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            existing[name.lower()] = tag
        tags.append(tag)
    return tags
