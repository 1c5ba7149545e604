"""API handlers for clients: create, read, update, list, upsert, addresses and contacts.

Every write goes through `portal.clients.service` (the forms' rule set); errors come back as
problem+json pointing at each field.
"""

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import db
from portal.api import schemas
from portal.api.spec import Call, Operation, Registry, Reply
from portal.clients import addresses, contacts, listing, queries, rules
from portal.clients import service as clients
from portal.clients.models import Address, Client, Contact
from portal.clients.phones import PhoneInput
from portal.clients.search import ClientFilters
from portal.errors import DomainError, InvalidInput, NotFound

_SCALARS = (
    "name", "kind", "status_id", "trade_name", "document", "ie_indicator",
    "state_registration", "email", "password", "birth_date", "notes", "is_supplier",
    "has_conflict", "email_consent", "profile_id", "seller_id", "payment_method_id",
    "payment_term_id",
)  # fmt: skip


# Answers -----------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def phone_json(phone) -> dict:
    return {
        "number": phone.number,
        "kind": phone.kind,
        "consent_sms": phone.consent_sms,
        "consent_whatsapp": phone.consent_whatsapp,
        "consent_viber": phone.consent_viber,
    }


def address_json(a: Address) -> dict:
    return {
        "id": a.id, "kind": a.kind, "is_active": a.is_active, "cep": a.cep, "street": a.street,
        "number": a.number, "complement": a.complement, "district": a.district, "city": a.city,
        "uf": a.uf, "version": a.version,
    }  # fmt: skip


def contact_json(c: Contact) -> dict:
    return {
        "id": c.id, "name": c.name, "role": c.role, "email": c.email, "notes": c.notes,
        "phones": [phone_json(p) for p in c.phones], "version": c.version,
    }  # fmt: skip


def client_json(c: Client) -> dict:
    return {
        "id": c.id, "kind": c.kind, "name": c.name, "trade_name": c.trade_name,
        "document": c.document, "email": c.email, "status_id": c.status_id,
        "status": c.status.name, "ie_indicator": c.ie_indicator,
        "state_registration": c.state_registration, "birth_date": _iso(c.birth_date),
        "notes": c.notes, "tags": [t.name for t in c.tags], "is_supplier": c.is_supplier,
        "has_conflict": c.has_conflict, "email_consent": c.email_consent,
        "has_password": bool(c.password_hash), "phones": [phone_json(p) for p in c.phones],
        "addresses": [address_json(a) for a in c.addresses],
        "contacts": [contact_json(x) for x in c.contacts], "profile_id": c.profile_id,
        "seller_id": c.seller_id, "payment_method_id": c.payment_method_id,
        "payment_term_id": c.payment_term_id, "origin": c.origin,
        "first_purchase_at": _iso(c.first_purchase_at),
        "last_purchase_at": _iso(c.last_purchase_at), "created_at": _iso(c.created_at),
        "updated_at": _iso(c.updated_at), "version": c.version,
    }  # fmt: skip


def _load(client_id: int) -> Client:
    db.session.expire_all()
    client = queries.load_for_page(client_id)
    if client is None:
        raise NotFound("Cliente não encontrado.")
    return client


def _client_reply(client_id: int, status: int = 200) -> Reply:
    location = url_for("clientela_api.client_get", client_id=client_id)
    return Reply(client_json(_load(client_id)), status, location if status == 201 else None)


# Inputs ------------------------------------------------------------------------------------


def _phones(rows) -> list[PhoneInput]:
    return [
        PhoneInput(
            number=row.get("number") or "",
            kind=row.get("kind") or "Celular",
            consent_sms=bool(row.get("consent_sms")),
            consent_whatsapp=bool(row.get("consent_whatsapp")),
            consent_viber=bool(row.get("consent_viber")),
        )
        for row in rows or []
    ]


def _status_id_named(name: str | None):
    wanted = (name or "").strip().lower()
    for status in queries.statuses():
        if status.name.lower() == wanted:
            return status.id
    raise InvalidInput([DomainError("Situação desconhecida: use um nome da lista.", "status")])


def _input_from(client: Client) -> clients.ClientInput:
    """The client as it is now, so a PATCH changes only what it sends."""
    return clients.ClientInput(
        **{name: getattr(client, name) for name in _SCALARS if name != "password"},
        tags=[t.name for t in client.tags],
        phones=[
            PhoneInput(p.number, p.kind, p.consent_sms, p.consent_whatsapp, p.consent_viber)
            for p in client.phones
        ],
    )


def _overlay(data: clients.ClientInput, body: dict) -> clients.ClientInput:
    for name in _SCALARS:
        if name in body:
            setattr(data, name, body[name])
    if body.get("status") is not None and body.get("status_id") is None:
        data.status_id = _status_id_named(body["status"])
    if "tags" in body:
        data.tags = body["tags"] or []
    if "phones" in body:
        data.phones = _phones(body["phones"])
    for name in ("kind", "ie_indicator"):  # null means "the default"
        if name in body and body[name] is None:
            setattr(data, name, getattr(clients.ClientInput(name=""), name))
    return data


def _address_input(body: dict, current: Address | None = None) -> addresses.AddressInput:
    base = {k: getattr(current, k) for k in schemas.ADDRESS_FIELDS} if current else {}
    base.update({k: v for k, v in body.items() if k in schemas.ADDRESS_FIELDS})
    return addresses.AddressInput(
        kind=base.get("kind") or "padrao",
        is_active=base.get("is_active", True) is not False,
        cep=base.get("cep"),
        street=base.get("street"),
        number=base.get("number"),
        district=base.get("district"),
        city=base.get("city"),
        uf=base.get("uf"),
        complement=base.get("complement"),
    )


def _contact_input(body: dict) -> contacts.ContactInput:
    return contacts.ContactInput(
        name=body.get("name"),
        role=body.get("role"),
        email=body.get("email"),
        notes=body.get("notes"),
        phones=_phones(body.get("phones")),
    )


def _under(prefix: str, exc: DomainError) -> list[DomainError]:
    """Errors of a nested address/contact, re-pointed under `/addresses/0`."""
    found = exc.errors if isinstance(exc, InvalidInput) else [exc]
    return [
        DomainError(e.message, field=f"{prefix}/{(e.field or '').replace('-', '/')}".rstrip("/"),
                    code=e.code)
        for e in found
    ]  # fmt: skip


def _add_children(client_id: int, body: dict, *, skip_existing: Client | None = None) -> None:
    errors: list[DomainError] = []
    existing_addresses = {
        (a.cep, a.number.lower()) for a in (skip_existing.addresses if skip_existing else [])
    }
    existing_contacts = {c.name.lower() for c in (skip_existing.contacts if skip_existing else [])}
    for index, row in enumerate(body.get("addresses") or []):
        cep = "".join(ch for ch in (row.get("cep") or "") if ch.isdigit())
        if (cep, (row.get("number") or "").strip().lower()) in existing_addresses:
            continue
        try:
            addresses.add_address(client_id, _address_input(row), None)
        except DomainError as exc:
            errors += _under(f"/addresses/{index}", exc)
    for index, row in enumerate(body.get("contacts") or []):
        if (row.get("name") or "").strip().lower() in existing_contacts:
            continue
        try:
            contacts.add_contact(client_id, _contact_input(row), None)
        except DomainError as exc:
            errors += _under(f"/contacts/{index}", exc)
    if errors:
        raise InvalidInput(errors)


# Handlers ----------------------------------------------------------------------------------


def list_filters(query: dict) -> ClientFilters:
    """The list page's filters (the same ClientFilters the back office builds from its form)."""
    return ClientFilters(
        q=query.get("q") or "",
        group=query.get("group"),
        status_id=query.get("status_id"),
        kind=query.get("kind"),
        profile_id=query.get("profile_id"),
        seller_id=query.get("seller_id"),
        tag_id=query.get("tag_id"),
        is_supplier=query.get("is_supplier"),
        has_conflict=query.get("has_conflict"),
        created_from=query.get("created_from"),
        created_to=query.get("created_to"),
        sort=query.get("sort") or "name",
    )


def client_list(call: Call) -> Reply:
    """Keyset pages: follow `next_cursor` until it is null."""
    per_page = call.query.get("per_page") or current_app.config["CLIENTELA_API_PAGE_SIZE"]
    page = listing.list_clients(
        list_filters(call.query), after=call.query.get("cursor"), per_page=per_page
    )
    ids = [c.id for c in page.items]
    if ids:  # addresses and contacts for the whole page in two queries, not one per client
        db.session.scalars(
            select(Client)
            .where(Client.id.in_(ids))
            .options(
                selectinload(Client.addresses),
                selectinload(Client.contacts).selectinload(Contact.phones),
            )
        ).all()
    return Reply(
        {
            "items": [client_json(c) for c in page.items],
            "per_page": per_page,
            "has_next": not page.is_last,
            "next_cursor": page.next_cursor,
        }
    )


def client_get(call: Call) -> Reply:
    return Reply(client_json(_load(call.path["client_id"])))


def client_create(call: Call) -> Reply:
    data = _overlay(clients.ClientInput(name=""), call.body)
    client = clients.register(data, None, origin="api")
    _add_children(client.id, call.body)
    return _client_reply(client.id, 201)


def client_update(call: Call) -> Reply:
    client = _load(call.path["client_id"])
    expected = call.body.get("version") or client.version
    clients.update(client.id, _overlay(_input_from(client), call.body), expected, None)
    return _client_reply(client.id)


def client_upsert(call: Call) -> Reply:
    """Find by CPF/CNPJ, else by e-mail; update it (200) or create a new client (201)."""
    body = call.body
    found = None
    document = body.get("document") and _quiet(rules.normalize_document, body["document"])
    email = body.get("email") and _quiet(rules.normalize_email, body["email"])
    if document:
        found = db.session.scalar(select(Client).where(Client.document == document))
    if found is None and email:
        found = db.session.scalar(select(Client).where(Client.email == email))
    if found is None:
        if not (body.get("document") or body.get("email")):
            raise InvalidInput(
                [DomainError("Informe o CPF/CNPJ ou o e-mail para localizar o cliente.",
                             field="/document")]
            )  # fmt: skip
        return client_create(call)
    client = _load(found.id)
    clients.update(client.id, _overlay(_input_from(client), body), client.version, None)
    _add_children(client.id, body, skip_existing=client)
    return _client_reply(client.id)


def _quiet(func, value):
    try:
        return func(value)
    except DomainError:
        return None  # the service reports it with the rest


def address_create(call: Call) -> Reply:
    client = _load(call.path["client_id"])
    address = addresses.add_address(client.id, _address_input(call.body), None)
    return Reply(address_json(address), 201)


def _own_address(client_id: int, address_id: int) -> Address:
    address = db.session.get(Address, address_id)
    if address is None or address.client_id != client_id:
        raise NotFound("Endereço não encontrado.")
    return address


def address_update(call: Call) -> Reply:
    address = _own_address(call.path["client_id"], call.path["address_id"])
    expected = call.body.get("version") or address.version
    data = _address_input(call.body, current=address)
    return Reply(address_json(addresses.update_address(address.id, data, expected, None)))


def contact_create(call: Call) -> Reply:
    client = _load(call.path["client_id"])
    contact = contacts.add_contact(client.id, _contact_input(call.body), None)
    return Reply(contact_json(contact), 201)


def register(registry: Registry, max_page: int) -> None:
    refs = schemas.register_client_components(registry)
    client, tag = refs["client"], "Clientes"
    registry.add(
        Operation("GET", "/clients", "client_list", client_list, "Lista clientes (busca e "
                  "páginas)", tag, query=schemas.client_list_query(max_page),
                  response=refs["page"], errors=(401, 422)),
        Operation("POST", "/clients", "client_create", client_create, "Cadastra um cliente",
                  tag, body=refs["client_in"], response=client, status=201, idempotent=True,
                  errors=(401, 409, 422)),
        Operation("POST", "/clients/upsert", "client_upsert", client_upsert,
                  "Atualiza o cliente com este CPF/CNPJ (ou e-mail) ou cadastra um novo", tag,
                  body=refs["client_in"], response=client, extra_statuses=(201,),
                  idempotent=True, errors=(401, 409, 422)),
        Operation("GET", "/clients/<int:client_id>", "client_get", client_get,
                  "Um cliente", tag, response=client, errors=(401, 404)),
        Operation("PATCH", "/clients/<int:client_id>", "client_update", client_update,
                  "Altera os campos enviados de um cliente", tag, body=refs["client_patch"],
                  response=client, errors=(401, 404, 409, 422)),
        Operation("POST", "/clients/<int:client_id>/addresses", "address_create",
                  address_create, "Adiciona um endereço", tag, body=schemas.ADDRESS_IN,
                  response=refs["address"], status=201, idempotent=True,
                  errors=(401, 404, 409, 422)),
        Operation("PATCH", "/clients/<int:client_id>/addresses/<int:address_id>",
                  "address_update", address_update, "Altera um endereço", tag,
                  body=schemas.ADDRESS_PATCH, response=refs["address"],
                  errors=(401, 404, 409, 422)),
        Operation("POST", "/clients/<int:client_id>/contacts", "contact_create",
                  contact_create, "Adiciona um contato", tag, body=schemas.CONTACT_IN,
                  response=refs["contact"], status=201, idempotent=True,
                  errors=(401, 404, 409, 422)),
    )  # fmt: skip
