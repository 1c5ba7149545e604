"""API handlers for clients: create, read, update, list, upsert, addresses and contacts.

Each parses (pydantic, `portal.api.schemas`), calls the domain (`portal.clients.sync`, which
writes through the forms' rule set) and answers with a schema; errors come back as
problem+json pointing at each field.
"""

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import db
from portal.api import schemas
from portal.api.events import announce
from portal.api.spec import Call, Operation, Registry, Reply
from portal.clients import listing, queries, sync
from portal.clients.models import Client, Contact
from portal.clients.search import ClientFilters
from portal.errors import NotFound
from portal.extension_points import client_saved
from portal.i18n import _


def _load(client_id: int) -> Client:
    db.session.expire_all()
    client = queries.load_for_page(client_id)
    if client is None:
        raise NotFound(_("Client not found."))
    return client


def _client_reply(client_id: int, status: int = 200) -> Reply:
    location = url_for("clientela_api.client_get", client_id=client_id)
    return Reply(schemas.Client.of(_load(client_id)), status, location if status == 201 else None)


def _whole_clients(ids: list[int]) -> list[Client]:
    """The page's clients with what the API answers about each, in a fixed number of queries."""
    return list(
        db.session.scalars(
            select(Client)
            .where(Client.id.in_(ids))
            .options(
                selectinload(Client.phones),
                selectinload(Client.tags),
                selectinload(Client.addresses),
                selectinload(Client.contacts).selectinload(Contact.phones),
            )
        )
    )


def client_list(call: Call) -> Reply:
    """Keyset pages: follow `next_cursor` until it is null."""
    query: schemas.ClientListQuery = call.query
    per_page = query.per_page or current_app.config["CLIENTELA_API_PAGE_SIZE"]
    filters = ClientFilters(**query.model_dump(exclude_none=True, exclude={"cursor", "per_page"}))
    page = listing.list_clients(filters, after=query.cursor, per_page=per_page, load=_whole_clients)
    return Reply(
        schemas.ClientPage(
            items=[schemas.Client.of(c) for c in page.items],
            per_page=per_page,
            has_next=not page.is_last,
            next_cursor=page.next_cursor,
        )
    )


def client_get(call: Call) -> Reply:
    return Reply(schemas.Client.of(_load(call.path["client_id"])))


def _sent(body, *exclude: str) -> dict:
    """The fields the body carries (a field left out is not a field set to null)."""
    return body.model_dump(exclude_unset=True, exclude=set(exclude))


def client_create(call: Call) -> Reply:
    client = sync.register(_sent(call.body), None)
    announce(client_saved, client=client, created=True, actor=None)
    return _client_reply(client.id, 201)


def client_update(call: Call) -> Reply:
    client = sync.patch(
        call.path["client_id"], _sent(call.body, "version"), call.body.version, None
    )
    announce(client_saved, client=client, created=False, actor=None)
    return _client_reply(client.id)


def client_upsert(call: Call) -> Reply:
    """Find by CPF/CNPJ, else by e-mail; update it (200) or create a new client (201)."""
    client, created = sync.upsert(_sent(call.body), None)
    announce(client_saved, client=client, created=created, actor=None)
    return _client_reply(client.id, 201 if created else 200)


def address_create(call: Call) -> Reply:
    address = sync.add_address(call.path["client_id"], _sent(call.body), None)
    return Reply(schemas.Address.model_validate(address), 201)


def address_update(call: Call) -> Reply:
    address = sync.patch_address(
        call.path["client_id"],
        call.path["address_id"],
        _sent(call.body, "version"),
        call.body.version,
        None,
    )
    return Reply(schemas.Address.model_validate(address))


def contact_create(call: Call) -> Reply:
    contact = sync.add_contact(call.path["client_id"], _sent(call.body), None)
    return Reply(schemas.Contact.model_validate(contact), 201)


def register(registry: Registry, max_page: int) -> None:
    tag = "Clientes"
    registry.add(
        Operation("GET", "/clients", "client_list", client_list, "Lista clientes (busca e "
                  "páginas)", tag, query=schemas.paged(schemas.ClientListQuery, max_page),
                  response=schemas.ClientPage, errors=(401, 422)),
        Operation("POST", "/clients", "client_create", client_create, "Cadastra um cliente",
                  tag, body=schemas.ClientInput, response=schemas.Client, status=201,
                  idempotent=True, errors=(401, 409, 422)),
        Operation("POST", "/clients/upsert", "client_upsert", client_upsert,
                  "Atualiza o cliente com este CPF/CNPJ (ou e-mail) ou cadastra um novo", tag,
                  body=schemas.ClientInput, response=schemas.Client, extra_statuses=(201,),
                  idempotent=True, errors=(401, 409, 422)),
        Operation("GET", "/clients/<clientela_id:client_id>", "client_get", client_get,
                  "Um cliente", tag, response=schemas.Client, errors=(401, 404)),
        Operation("PATCH", "/clients/<clientela_id:client_id>", "client_update", client_update,
                  "Altera os campos enviados de um cliente", tag, body=schemas.ClientPatch,
                  response=schemas.Client, errors=(401, 404, 409, 422)),
        Operation("POST", "/clients/<clientela_id:client_id>/addresses", "address_create",
                  address_create, "Adiciona um endereço", tag, body=schemas.AddressInput,
                  response=schemas.Address, status=201, idempotent=True,
                  errors=(401, 404, 409, 422)),
        Operation("PATCH", "/clients/<clientela_id:client_id>/addresses/<clientela_id:address_id>",
                  "address_update", address_update, "Altera um endereço", tag,
                  body=schemas.AddressPatch, response=schemas.Address,
                  errors=(401, 404, 409, 422)),
        Operation("POST", "/clients/<clientela_id:client_id>/contacts", "contact_create",
                  contact_create, "Adiciona um contato", tag, body=schemas.ContactInput,
                  response=schemas.Contact, status=201, idempotent=True,
                  errors=(401, 404, 409, 422)),
    )  # fmt: skip
