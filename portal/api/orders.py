"""API handlers for orders: create with items, read, list by client, change status."""

from flask import current_app, url_for
from sqlalchemy import select

from portal import db
from portal.api import schemas
from portal.api.events import announce
from portal.api.spec import Call, Operation, Registry, Reply
from portal.clients import service as clients
from portal.errors import NotFound
from portal.extension_points import order_created, order_status_changed
from portal.i18n import _
from portal.orders import queries
from portal.orders import service as orders
from portal.orders.models import Order
from portal.orders.validation import ItemInput, OrderInput
from portal.visits import service as visits


def _actor(call: Call) -> orders.Actor:
    return orders.Actor(label=f"API: {call.api_key.name}")


def _load(order_id: int) -> Order:
    db.session.expire_all()
    order = queries.load_order(order_id)
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def _input(body: schemas.OrderInput, choices: orders.OrderChoices) -> OrderInput:
    """One order's body as the service takes it (type and status left out: the lists' first)."""
    values = body.model_dump(exclude={"client_id", "items", "visitor_id"})
    items = [ItemInput(**item.model_dump()) for item in body.items]
    return orders.with_list_defaults(OrderInput(**values, items=items), choices)


def _link_visitor(order: Order, visitor_id: str | None) -> None:
    """The shop sent the visitor the order came from: its visits become the client's and
    the order's Visita tab shows the last one (same transaction as the order)."""
    if visitor_id:
        visits.link_order(db.session, order.id, visitor_id, order.client_id, order.created_at)


def order_create(call: Call) -> Reply:
    choices = orders.OrderChoices()
    client_id = call.body.client_id
    choices.client(client_id)  # 404 before anything else
    order = orders.create_order(
        client_id, _input(call.body, choices), _actor(call), orders.ORIGIN_API, choices
    )
    _link_visitor(order, call.body.visitor_id)
    announce(order_created, order=order, actor=None)
    location = url_for("clientela_api.order_get", order_id=order.id)
    return Reply(schemas.Order.of(order), 201, location)


def order_batch(call: Call) -> Reply:
    """All the orders in one transaction, or none (422 naming `/orders/<i>/<field>`)."""
    choices = orders.OrderChoices()
    entries = [(body.client_id, _input(body, choices)) for body in call.body.orders]
    created = orders.create_orders(entries, _actor(call), orders.ORIGIN_API, choices)
    for order, body in zip(created, call.body.orders, strict=True):
        _link_visitor(order, body.visitor_id)
    for order in created:
        announce(order_created, order=order, actor=None)
    return Reply(schemas.OrderBatch(orders=[schemas.Order.of(o) for o in created]), 201)


def order_get(call: Call) -> Reply:
    return Reply(schemas.Order.of(_load(call.path["order_id"])))


def order_status(call: Call) -> Reply:
    before = db.session.scalar(select(Order.status_id).where(Order.id == call.path["order_id"]))
    order = orders.change_status(
        call.path["order_id"], call.body.status_id, _actor(call), call.body.version
    )
    if order.status_id != before:
        announce(
            order_status_changed,
            order=order,
            old_status_id=before,
            new_status_id=order.status_id,
            actor=None,
        )
    return Reply(schemas.Order.of(_load(order.id)))


def client_orders(call: Call) -> Reply:
    client = clients.get_client(call.path["client_id"])
    page = call.query.page or 1
    per_page = call.query.per_page or current_app.config["CLIENTELA_API_PAGE_SIZE"]
    rows = queries.orders_of_client(client.id, offset=(page - 1) * per_page, limit=per_page + 1)
    return Reply(
        schemas.OrderPage(
            items=[schemas.Order.of(o, history=False) for o in rows[:per_page]],
            page=page,
            per_page=per_page,
            has_next=len(rows) > per_page,
        )
    )


def order_types(call: Call) -> Reply:
    return Reply(schemas.ListEntries(items=queries.order_types()))


def order_statuses(call: Call) -> Reply:
    return Reply(schemas.ListEntries(items=queries.order_statuses()))


def register(registry: Registry, max_page: int) -> None:
    tag = "Pedidos"
    registry.add(
        Operation("POST", "/orders", "order_create", order_create, "Cria um pedido com itens",
                  tag, body=schemas.OrderInput, response=schemas.Order,
                  status=201, idempotent=True, errors=(401, 404, 409, 422)),
        Operation("POST", "/orders/batch", "order_batch", order_batch,
                  f"Cria até {orders.MAX_BATCH} pedidos numa só transação (todos ou nenhum)",
                  tag, body=schemas.OrderBatchInput, response=schemas.OrderBatch, status=201,
                  idempotent=True, errors=(401, 409, 422)),
        Operation("GET", "/orders/<clientela_id:order_id>", "order_get", order_get,
                  "Um pedido, com itens e histórico de situações", tag, response=schemas.Order,
                  errors=(401, 404)),
        Operation("POST", "/orders/<clientela_id:order_id>/status", "order_status", order_status,
                  "Muda a Situação do Pedido", tag, body=schemas.StatusChange,
                  response=schemas.Order, errors=(401, 404, 409, 422)),
        Operation("GET", "/clients/<clientela_id:client_id>/orders", "client_orders", client_orders,
                  "Pedidos de um cliente (mais novos primeiro)", tag,
                  query=schemas.paged(schemas.PageQuery, max_page), response=schemas.OrderPage,
                  errors=(401, 404, 422)),
        Operation("GET", "/order-types", "order_types", order_types, "Tipos de Pedido", tag,
                  response=schemas.ListEntries, errors=(401,)),
        Operation("GET", "/order-statuses", "order_statuses", order_statuses,
                  "Situações do Pedido, na ordem da lista", tag, response=schemas.ListEntries,
                  errors=(401,)),
    )  # fmt: skip
