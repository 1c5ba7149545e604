"""Client use cases: register, edit, addresses, contacts. They flush; the caller commits."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.brazil.cep import format_cep, normalize_cep
from portal.brazil.documents import check_document_matches_kind, normalize_document
from portal.brazil.ie import normalize_state_registration
from portal.brazil.phones import normalize_phone
from portal.brazil.ufs import normalize_uf
from portal.clients import history, rules
from portal.clients.models import (
    ADDRESS_DEFAULT,
    ADDRESS_DELIVERY,
    KIND_COMPANY,
    KIND_PERSON,
    ORIGIN_STAFF,
    Address,
    Client,
    ClientStatus,
    Contact,
    Phone,
    Tag,
)
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.lookups.models import ClientProfile, PaymentMethod, PaymentTerm, Seller
from portal.security.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hash_password
from portal.staff.models import StaffUser
from portal.text import clean_text, normalize_email

PHONE_KINDS = ("Celular", "Comercial", "Residencial")


@dataclass
class PhoneInput:
    number: str
    kind: str = "Celular"
    consent_sms: bool = False
    consent_whatsapp: bool = False
    consent_viber: bool = False
    ref: str | None = None  # where errors point (form row name); default "phones-<index>"


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


@dataclass
class AddressInput:
    kind: str
    is_active: bool
    cep: str
    street: str
    number: str
    district: str
    city: str
    uf: str
    complement: str | None = None


@dataclass
class ContactInput:
    name: str
    role: str | None = None
    email: str | None = None
    notes: str | None = None
    phones: list[PhoneInput] = field(default_factory=list)


def get_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFound("Cliente não encontrado.")
    return client


def default_status() -> ClientStatus:
    status = db.session.scalars(
        select(ClientStatus).order_by(ClientStatus.is_default.desc(), ClientStatus.position)
    ).first()
    if status is None:
        raise DomainError("Nenhuma Situação cadastrada: rode as migrações.", field="status_id")
    return status


def register(data: ClientInput, actor: StaffUser | None, origin: str = ORIGIN_STAFF) -> Client:
    client = Client(origin=origin)
    _apply(client, data, is_new=True)
    db.session.add(client)
    _flush_unique(client)
    history.record(client, actor, "created", history.snapshot_of_new(client))
    return client


def update(client_id: int, data: ClientInput, expected_version: int, actor: StaffUser | None):
    client = get_client(client_id)
    if client.version != expected_version:
        raise StaleEdit()
    before = history.snapshot(client)
    _apply(client, data, is_new=False)
    _flush_unique(client)
    changes = history.diff(before, history.snapshot(client))
    if changes:
        history.record(client, actor, "updated", changes)
    return client


def record_purchase(client_id: int, at: datetime) -> None:
    """An order that counts as a purchase arrived: the client's first/last purchase move.

    Order creation calls this (never the list page), so counters need no join over orders.
    """
    client = get_client(client_id)
    if client.first_purchase_at is None or at < client.first_purchase_at:
        client.first_purchase_at = at
    if client.last_purchase_at is None or at > client.last_purchase_at:
        client.last_purchase_at = at


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
            raise DomainError(_EMAIL_TAKEN, field="email") from None
        if "document" in text:
            raise DomainError(_DOCUMENT_TAKEN, field="document") from None
        raise


_EMAIL_TAKEN = "Este e-mail já é o e-mail principal de outro cliente."
_DOCUMENT_TAKEN = "Este CPF/CNPJ já está cadastrado em outro cliente."


def _apply(client: Client, data: ClientInput, *, is_new: bool) -> None:
    """Validate every field (reporting all errors at once), then write them to `client`."""
    errors = ErrorCollector()
    kind = data.kind if data.kind in (KIND_PERSON, KIND_COMPANY) else None
    if kind is None:
        errors.add("Escolha Pessoa Física ou Pessoa Jurídica.", "kind")
    name = errors.check(clean_text, data.name, "name", "o Nome/Razão social", 200, required=True)
    trade_name = errors.check(clean_text, data.trade_name, "trade_name", "o nome fantasia", 200)
    document = errors.check(normalize_document, data.document)
    if document and kind:
        errors.check(check_document_matches_kind, document, kind)
    state_registration = errors.check(
        normalize_state_registration, data.state_registration, data.ie_indicator
    )
    email = errors.check(normalize_email, data.email)
    notes = errors.check(clean_text, data.notes, "notes", "as observações", 5000, multiline=True)
    tags = errors.check(rules.parse_tags, data.tags) or []
    password = data.password or ""
    if password:
        if len(password) < MIN_PASSWORD_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
            errors.add(
                f"A senha deve ter de {MIN_PASSWORD_LENGTH} a {MAX_PASSWORD_LENGTH} caracteres.",
                "password",
            )
        elif not email:
            errors.add(
                "Para definir a senha, informe o E-mail principal: ele é o login na loja.", "email"
            )
    if data.birth_date and (data.birth_date > date.today() or data.birth_date.year < 1850):
        errors.add("Data inválida: use uma data entre 1850 e hoje.", "birth_date")
    phones = _check_phones(data.phones, errors, prefix="phones")
    status = _check_status(data.status_id, errors)
    lookups = {
        "profile_id": _check_lookup(
            ClientProfile,
            data.profile_id,
            client.profile_id,
            errors,
            "profile_id",
            "Perfil de Cliente",
        ),
        "seller_id": _check_lookup(
            Seller, data.seller_id, client.seller_id, errors, "seller_id", "Vendedor"
        ),
        "payment_method_id": _check_lookup(
            PaymentMethod,
            data.payment_method_id,
            client.payment_method_id,
            errors,
            "payment_method_id",
            "Forma de Pagamento",
        ),
        "payment_term_id": _check_lookup(
            PaymentTerm,
            data.payment_term_id,
            client.payment_term_id,
            errors,
            "payment_term_id",
            "Prazo de Pagamento",
        ),
    }
    if document and _taken(Client.document, document, client.id):
        errors.add(_DOCUMENT_TAKEN, "document")
    if email and _taken(Client.email, email, client.id):
        errors.add(_EMAIL_TAKEN, "email")
    if email is None and client.password_hash and not password and not is_new:
        errors.add(
            "Este cliente tem senha da loja: o E-mail principal (login) é obrigatório.", "email"
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
    _replace_phones(client.phones, phones)


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
        errors.add("Escolha uma Situação da lista.", "status_id")
    return status


def _check_lookup(model, new_id, current_id, errors: ErrorCollector, field_name: str, label: str):
    if new_id is None:
        return None
    entry = db.session.get(model, new_id)
    if entry is None or (not entry.is_active and new_id != current_id):
        errors.add(f"Escolha um(a) {label} ativo(a) da lista.", field_name)
        return None
    return new_id


def _check_phones(phones: list[PhoneInput], errors: ErrorCollector, prefix: str):
    if len(phones) > 20:
        errors.add("Use no máximo 20 telefones.", prefix)
        return []
    checked = []
    seen = set()
    for index, phone in enumerate(phones):
        ref = phone.ref or f"{prefix}-{index}"
        number = errors.check(normalize_phone, phone.number, f"{ref}-number")
        kind = errors.check(
            clean_text, phone.kind, f"{ref}-kind", "o tipo do telefone", 40, required=True
        )
        if number and number in seen:
            errors.add("Telefone repetido.", f"{ref}-number")
        if number and kind:
            seen.add(number)
            checked.append((number, kind, phone))
    return checked


def _replace_phones(current: list[Phone], checked) -> None:
    by_number = {phone.number: phone for phone in current}
    current.clear()
    for position, (number, kind, data) in enumerate(checked):
        phone = by_number.get(number) or Phone(number=number)
        phone.kind = kind
        phone.position = position
        phone.consent_sms = bool(data.consent_sms)
        phone.consent_whatsapp = bool(data.consent_whatsapp)
        phone.consent_viber = bool(data.consent_viber)
        current.append(phone)


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


# Addresses ---------------------------------------------------------------------------------


def _check_address(data: AddressInput) -> dict:
    errors = ErrorCollector()
    if data.kind not in (ADDRESS_DEFAULT, ADDRESS_DELIVERY):
        errors.add("Escolha o Tipo: padrão ou entrega.", "kind")
    values = {
        "kind": data.kind,
        "is_active": bool(data.is_active),
        "cep": errors.check(normalize_cep, data.cep),
        "street": errors.check(
            clean_text, data.street, "street", "o logradouro", 200, required=True
        ),
        "number": errors.check(
            clean_text, data.number, "number", "o número (ou S/N)", 20, required=True
        ),
        "complement": errors.check(clean_text, data.complement, "complement", "o complemento", 120),
        "district": errors.check(
            clean_text, data.district, "district", "o bairro", 120, required=True
        ),
        "city": errors.check(clean_text, data.city, "city", "a cidade", 120, required=True),
        "uf": errors.check(normalize_uf, data.uf),
    }
    errors.raise_if_any()
    return values


def _check_single_default(client: Client, address: Address) -> None:
    if address.kind == ADDRESS_DEFAULT and address.is_active:
        for other in client.addresses:
            if other is not address and other.kind == ADDRESS_DEFAULT and other.is_active:
                raise DomainError(
                    "Este cliente já tem um endereço padrão ativo. Marque este como entrega, "
                    "ou inative o outro endereço padrão antes.",
                    field="kind",
                )


def add_address(client_id: int, data: AddressInput, actor: StaffUser | None) -> Address:
    client = get_client(client_id)
    address = Address(**_check_address(data))
    _check_single_default(client, address)
    client.addresses.append(address)
    db.session.flush()
    history.record(
        client, actor, "address_added", [history.change("Endereço", "", describe_address(address))]
    )
    return address


def update_address(address_id: int, data: AddressInput, expected_version: int, actor) -> Address:
    address = db.session.get(Address, address_id)
    if address is None:
        raise NotFound("Endereço não encontrado.")
    if address.version != expected_version:
        raise StaleEdit()
    values = _check_address(data)
    before = describe_address(address)
    for key, value in values.items():
        setattr(address, key, value)
    _check_single_default(address.client, address)
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    after = describe_address(address)
    if before != after:
        history.record(
            address.client, actor, "address_updated", [history.change("Endereço", before, after)]
        )
    return address


def describe_address(address: Address) -> str:
    kind = "padrão" if address.kind == ADDRESS_DEFAULT else "entrega"
    status = "ativo" if address.is_active else "inativo"
    complement = f", {address.complement}" if address.complement else ""
    return (
        f"{address.street}, {address.number}{complement} - {address.district}, {address.city}/"
        f"{address.uf}, CEP {format_cep(address.cep)} ({kind}, {status})"
    )


# Contacts ----------------------------------------------------------------------------------


def _check_contact(data: ContactInput):
    errors = ErrorCollector()
    values = {
        "name": errors.check(
            clean_text, data.name, "name", "o nome do contato", 200, required=True
        ),
        "role": errors.check(clean_text, data.role, "role", "o cargo", 120),
        "email": errors.check(normalize_email, data.email),
        "notes": errors.check(
            clean_text, data.notes, "notes", "as observações", 2000, multiline=True
        ),
    }
    phones = _check_phones(data.phones, errors, prefix="phones")
    errors.raise_if_any()
    return values, phones


def add_contact(client_id: int, data: ContactInput, actor: StaffUser | None) -> Contact:
    client = get_client(client_id)
    values, phones = _check_contact(data)
    contact = Contact(**values)
    _replace_phones(contact.phones, phones)
    client.contacts.append(contact)
    db.session.flush()
    history.record(client, actor, "contact_added", [history.change("Contato", "", contact.name)])
    return contact


def update_contact(contact_id: int, data: ContactInput, expected_version: int, actor) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("Contato não encontrado.")
    if contact.version != expected_version:
        raise StaleEdit()
    values, phones = _check_contact(data)
    before = history.describe_contact(contact)
    for key, value in values.items():
        setattr(contact, key, value)
    _replace_phones(contact.phones, phones)
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
