"""A client's storefront account: signup, sign-in, e-mail confirmation, passwords, links.

Use cases flush, never commit (the storefront's view commits, then sends the e-mail).

Links sent by e-mail are signed (itsdangerous, `SECRET_KEY`), expire, and are single-use
without a table: each carries a fingerprint of what using it changes (the confirmation
state for a confirmation link; the password hash for a reset or access link), so once used
it no longer matches.
"""

import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from portal import db
from portal.brazil.documents import normalize_document
from portal.clients import history
from portal.clients import service as clients
from portal.clients.models import (
    KIND_COMPANY,
    KIND_PERSON,
    ORIGIN_STOREFRONT,
    Client,
)
from portal.clients.phones import PhoneInput
from portal.config import setting
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector
from portal.i18n import _
from portal.security.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)

# History actions written by the client (the back office shows them "by the client").
SIGNUP = "storefront_signup"
UPDATED = "storefront_updated"
CONFIRMED = "storefront_confirmed"
PASSWORD = "storefront_password"
ADDRESS_ADDED = "storefront_address_added"
ADDRESS_UPDATED = "storefront_address_updated"

CONFIRM = "confirm"
RESET = "reset"
ACCESS = "access"
_MAX_AGE_SETTING = {
    CONFIRM: "CLIENTELA_CONFIRM_LINK_HOURS",
    RESET: "CLIENTELA_RESET_LINK_HOURS",
    ACCESS: "CLIENTELA_ACCESS_LINK_HOURS",
}


def link_hours(purpose: str) -> int:
    """How long a link of this purpose works (its setting, in hours)."""
    return int(setting(_MAX_AGE_SETTING[purpose]))


@dataclass
class SignupInput:
    name: str
    email: str
    password: str
    document: str
    phone: str | None = None
    consent_sms: bool = False
    consent_whatsapp: bool = False
    consent_viber: bool = False
    email_consent: bool = False


@dataclass
class SignupResult:
    """`client`: the new account; or `existing`: the owner of the e-mail or document typed
    (a duplicate: the visitor gets the same answer, the owner a message)."""

    client: Client | None = None
    existing: Client | None = None
    grants_access: bool = True


def _password_rule(password: str, field: str, errors: ErrorCollector) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        errors.add(
            _(
                "The password must have %(min)s to %(max)s characters.",
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
            ),
            field,
        )


def signup(data: SignupInput) -> SignupResult:
    """Register a visitor as a client (Situação: the default for new clients)."""
    errors = ErrorCollector()
    if not (data.email or "").strip():
        errors.add(_("Enter your e-mail: it is your login."), "email")
    if not (data.document or "").strip():
        errors.add(_("Enter your CPF or CNPJ."), "document")
    _password_rule(data.password, "password", errors)
    status = clients.default_status()
    digits = "".join(c for c in (data.document or "") if c.isalnum())
    kind = KIND_COMPANY if len(digits) == 14 else KIND_PERSON
    phones = []
    if (data.phone or "").strip():
        phones.append(
            PhoneInput(
                number=data.phone,
                kind="Celular",
                consent_sms=data.consent_sms,
                consent_whatsapp=data.consent_whatsapp,
                consent_viber=data.consent_viber,
                ref="phone",
            )
        )
    client_input = clients.ClientInput(
        name=data.name,
        kind=kind,
        status_id=status.id,
        document=data.document,
        email=data.email,
        password=data.password if not errors.errors else None,
        email_consent=data.email_consent,
        phones=phones,
    )
    savepoint = db.session.begin_nested()
    try:
        client = clients.register(client_input, None, origin=ORIGIN_STOREFRONT, action=SIGNUP)
    except DomainError as exc:
        savepoint.rollback()
        found = getattr(exc, "errors", [exc])
        errors.errors.extend(e for e in found if e.code != clients.TAKEN)
        errors.raise_if_any()
        # Only "already registered" is left: the same answer, and the same hashing work.
        hash_password(data.password)
        return SignupResult(existing=_owner(data), grants_access=status.grants_access)
    if errors.errors:  # the password or a required field: nothing is kept
        savepoint.rollback()
        errors.raise_if_any()
    savepoint.commit()
    return SignupResult(client=client, grants_access=status.grants_access)


def _owner(data: SignupInput) -> Client | None:
    email = (data.email or "").strip().lower()
    owner = db.session.scalar(select(Client).where(Client.email == email)) if email else None
    if owner is None:
        try:
            document = normalize_document(data.document)
        except DomainError:
            return None
        if document:
            owner = db.session.scalar(select(Client).where(Client.document == document))
    return owner if owner is not None and owner.email else None


def needs_confirmation(client: Client) -> bool:
    """A storefront signup confirms its e-mail before the first login (staff-made clients
    were vouched for by staff; a used reset or access link confirms too)."""
    return client.origin == ORIGIN_STOREFRONT and client.email_confirmed_at is None


def may_sign_in(client: Client) -> bool:
    return bool(client.status.grants_access and not needs_confirmation(client))


def authenticate(email: str, password: str) -> Client | None:
    """The client these credentials open, or None: unknown e-mail, wrong password,
    unconfirmed e-mail and a Situação without access all cost one hash check and look alike."""
    clean = (email or "").strip().lower()[:254]
    findable = clean and "\x00" not in clean  # PostgreSQL text cannot hold NUL: nobody has it
    client = db.session.scalar(select(Client).where(Client.email == clean)) if findable else None
    ok, new_hash = verify_password(password, client.password_hash if client else None)
    if not ok or client is None or not may_sign_in(client):
        return None
    if new_hash:  # an old bcrypt hash: upgraded to argon2id
        client.password_hash = new_hash
    if not client.session_token:
        client.session_token = clients.new_session_token()
    return client


def end_sessions(client: Client) -> None:
    """Every open storefront session of this client ends at its next request (logout).

    A Core UPDATE: the token is not part of the record staff edit (no version bump)."""
    token = clients.new_session_token()
    db.session.execute(
        update(Client)
        .where(Client.id == client.id)
        .values(session_token=token)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    client.session_token = token
    db.session.expire(client, ["session_token"])


def change_password(client: Client, current: str, new: str) -> None:
    errors = ErrorCollector()
    ok, _new_hash = verify_password(current, client.password_hash)
    if not ok:
        errors.add(_("The current password is not right."), "current_password")
    _password_rule(new, "new_password", errors)
    errors.raise_if_any()
    _set_password(client, new)


def _set_password(client: Client, password: str) -> None:
    client.password_hash = hash_password(password)
    client.password_set_at = utcnow()
    client.session_token = clients.new_session_token()  # every other session ends
    history.record(client, None, PASSWORD, [history.change("Senha", "", "")])


# Signed links -------------------------------------------------------------------------


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(setting("SECRET_KEY"), salt=f"clientela-client-{purpose}")


def _fingerprint(client: Client, purpose: str) -> str:
    if purpose == CONFIRM:
        state = f"{client.email}|{client.email_confirmed_at}"
    else:
        state = f"{client.email}|{client.password_hash}"
    return hashlib.sha256(f"{purpose}|{client.id}|{state}".encode()).hexdigest()[:20]


def link_token(client: Client, purpose: str) -> str:
    return _serializer(purpose).dumps([client.id, _fingerprint(client, purpose)])


def client_for_link(token: str, purpose: str) -> Client | None:
    """The client a link is for; None when forged, expired or already used."""
    max_age = link_hours(purpose) * 3600
    try:
        client_id, fingerprint = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    client = db.session.get(Client, client_id) if isinstance(client_id, int) else None
    if client is None or not client.email or _fingerprint(client, purpose) != fingerprint:
        return None
    return client


def confirm_email(token: str) -> Client | None:
    client = client_for_link(token, CONFIRM)
    if client is None:
        return None
    client.email_confirmed_at = utcnow()
    history.record(client, None, CONFIRMED, [history.change("E-mail confirmado", "", "sim")])
    return client


def password_link_allowed(client: Client) -> bool:
    """Whether a reset link may be sent: only to a client who may enter the shop."""
    return bool(client.email and client.status.grants_access)


def client_by_email(email: str) -> Client | None:
    clean = (email or "").strip().lower()[:254]
    return db.session.scalar(select(Client).where(Client.email == clean)) if clean else None


def set_password_from_link(token: str, purpose: str, password: str) -> Client:
    """Use a reset/access link: the new password, e-mail confirmed, other sessions ended."""
    client = client_for_link(token, purpose)
    if client is None:
        raise DomainError(_("This link is invalid, expired or was already used."), "token")
    errors = ErrorCollector()
    _password_rule(password, "password", errors)
    errors.raise_if_any()
    _set_password(client, password)
    if client.email_confirmed_at is None:
        client.email_confirmed_at = utcnow()
    return client


# Meus dados ----------------------------------------------------------------------------


def update_own_data(
    client: Client,
    *,
    name: str,
    phones: list[PhoneInput],
    email_consent: bool,
    expected_version: int,
) -> Client:
    """What the client may change: name, phones with their consents, e-mail consent.
    Document and main e-mail stay as staff set them."""
    data = clients.ClientInput(
        name=name,
        kind=client.kind,
        status_id=client.status_id,
        trade_name=client.trade_name,
        document=client.document,
        ie_indicator=client.ie_indicator,
        state_registration=client.state_registration,
        email=client.email,
        birth_date=client.birth_date,
        notes=client.notes,
        tags=[t.name for t in client.tags],
        is_supplier=client.is_supplier,
        has_conflict=client.has_conflict,
        email_consent=email_consent,
        phones=phones,
        profile_id=client.profile_id,
        seller_id=client.seller_id,
        payment_method_id=client.payment_method_id,
        payment_term_id=client.payment_term_id,
    )
    return clients.update(client.id, data, expected_version, None, action=UPDATED)
