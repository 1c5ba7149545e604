"""API handlers for orders: create with items, read, list by client, change status."""

from flask import current_app, url_for

from portal import db
from portal.api import schemas
from portal.api.shapes import Array, Obj
from portal.api.spec import Call, Operation, Registry, Reply
from portal.clients import service as clients
from portal.errors import NotFound
from portal.orders import queries
from portal.orders import service as orders
from portal.orders.models import Order
from portal.orders.validation import ItemInput, OrderInput


def _money(value) -> str:
    return format(value, "f")


def _quantity(value) -> str:
    return format(value.normalize(), "f")


def order_json(order: Order | orders.NewOrder, *, history: bool = True) -> dict:
    body = {
        "id": order.id,
        "number": order.number,
        "display_number": order.display_number,
        "client_id": order.client_id,
        "type_id": order.type_id,
        "type": order.type.name,
        "status_id": order.status_id,
        "status": order.status.name,
        "counts_as_purchase": order.status.counts_as_purchase,
        "items": [
            {
                "code": i.code,
                "description": i.description,
                "quantity": _quantity(i.quantity),
                "unit_price": _money(i.unit_price),
                "discount": _money(i.discount),
                "total": _money(i.total),
            }
            for i in order.items
        ],
        "item_count": order.item_count,
        "items_total": _money(order.items_total),
        "discount_total": _money(order.discount_total),
        "shipping": _money(order.shipping),
        "total": _money(order.total),
        "delivery_address_id": order.delivery_address_id,
        "payment_method_id": order.payment_method_id,
        "payment_term_id": order.payment_term_id,
        "origin": order.origin,
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
        "version": order.version,
    }
    if history:
        body["status_history"] = [
            {
                "at": c.at.isoformat(),
                "by": c.actor_label,
                "from_status_id": c.from_status_id,
                "from_status": c.from_status.name if c.from_status else None,
                "to_status_id": c.to_status_id,
                "to_status": c.to_status.name,
            }
            for c in order.status_changes
        ]
    return body


def _actor(call: Call) -> orders.Actor:
    return orders.Actor(label=f"API: {call.api_key.name}")


def _load(order_id: int) -> Order:
    db.session.expire_all()
    order = queries.load_order(order_id)
    if order is None:
        raise NotFound("Pedido não encontrado.")
    return order


def _input(body: dict, choices: orders.OrderChoices) -> OrderInput:
    """One order's body as the service takes it; type and status default to the lists' first."""
    return OrderInput(
        type_id=body.get("type_id") or choices.default_type_id(),
        status_id=body.get("status_id") or choices.default_status_id(),
        items=[
            ItemInput(
                code=row.get("code"),
                description=row.get("description"),
                quantity=row.get("quantity"),
                unit_price=row.get("unit_price"),
                discount=row.get("discount"),
            )
            for row in body.get("items") or []
        ],
        shipping=body.get("shipping"),
        delivery_address_id=body.get("delivery_address_id"),
        payment_method_id=body.get("payment_method_id"),
        payment_term_id=body.get("payment_term_id"),
    )


def order_create(call: Call) -> Reply:
    choices = orders.OrderChoices()
    client_id = call.body["client_id"]
    choices.client(client_id)  # 404 before anything else
    order = orders.create_order(
        client_id, _input(call.body, choices), _actor(call), orders.ORIGIN_API, choices
    )
    location = url_for("clientela_api.order_get", order_id=order.id)
    return Reply(order_json(order), 201, location)


def order_batch(call: Call) -> Reply:
    """All the orders in one transaction, or none (422 naming `/orders/<i>/<field>`)."""
    choices = orders.OrderChoices()
    entries = [(body["client_id"], _input(body, choices)) for body in call.body["orders"]]
    created = orders.create_orders(entries, _actor(call), orders.ORIGIN_API, choices)
    return Reply({"orders": [order_json(o) for o in created]}, 201)


def order_get(call: Call) -> Reply:
    return Reply(order_json(_load(call.path["order_id"])))


def order_status(call: Call) -> Reply:
    order = orders.change_status(
        call.path["order_id"], call.body["status_id"], _actor(call), call.body.get("version")
    )
    return Reply(order_json(_load(order.id)))


def client_orders(call: Call) -> Reply:
    client = clients.get_client(call.path["client_id"])
    page = call.query.get("page") or 1
    per_page = call.query.get("per_page") or current_app.config["CLIENTELA_API_PAGE_SIZE"]
    rows = queries.orders_of_client(client.id, offset=(page - 1) * per_page, limit=per_page + 1)
    return Reply(
        {
            "items": [order_json(o, history=False) for o in rows[:per_page]],
            "page": page,
            "per_page": per_page,
            "has_next": len(rows) > per_page,
        }
    )


def _entry_json(entry) -> dict:
    return {
        "id": entry.id,
        "name": entry.name,
        "position": entry.position,
        "is_active": entry.is_active,
        "counts_as_purchase": getattr(entry, "counts_as_purchase", False),
    }


def order_types(call: Call) -> Reply:
    return Reply({"items": [_entry_json(e) for e in queries.order_types()]})


def order_statuses(call: Call) -> Reply:
    return Reply({"items": [_entry_json(e) for e in queries.order_statuses()]})


def register(registry: Registry, max_page: int) -> None:
    order = registry.component("Order", schemas.ORDER_OUT)
    page = registry.component(
        "OrderPage",
        Obj(
            {
                "items": Array(order, max_items=1000),
                "page": schemas.ID_REQUIRED,
                "per_page": schemas.ID_REQUIRED,
                "has_next": schemas.Bool(),
            },
            required=("items", "page", "per_page", "has_next"),
        ),
    )
    entries = registry.component(
        "ListEntries",
        Obj({"items": Array(registry.component("ListEntry", schemas.LIST_ENTRY_OUT),
                            max_items=1000)}, required=("items",)),
    )  # fmt: skip
    order_in = registry.component("OrderInput", schemas.ORDER_IN)
    batch_in = registry.component("OrderBatchInput", schemas.order_batch_in(order_in))
    batch = registry.component(
        "OrderBatch",
        Obj({"orders": Array(order, max_items=orders.MAX_BATCH)}, required=("orders",)),
    )
    tag = "Pedidos"
    registry.add(
        Operation("POST", "/orders", "order_create", order_create, "Cria um pedido com itens",
                  tag, body=order_in, response=order,
                  status=201, idempotent=True, errors=(401, 404, 409, 422)),
        Operation("POST", "/orders/batch", "order_batch", order_batch,
                  f"Cria até {orders.MAX_BATCH} pedidos numa só transação (todos ou nenhum)",
                  tag, body=batch_in, response=batch, status=201, idempotent=True,
                  errors=(401, 409, 422)),
        Operation("GET", "/orders/<int:order_id>", "order_get", order_get,
                  "Um pedido, com itens e histórico de situações", tag, response=order,
                  errors=(401, 404)),
        Operation("POST", "/orders/<int:order_id>/status", "order_status", order_status,
                  "Muda a Situação do Pedido", tag,
                  body=registry.component("StatusChange", schemas.STATUS_IN), response=order,
                  errors=(401, 404, 409, 422)),
        Operation("GET", "/clients/<int:client_id>/orders", "client_orders", client_orders,
                  "Pedidos de um cliente (mais novos primeiro)", tag,
                  query=schemas.page_query(max_page), response=page, errors=(401, 404, 422)),
        Operation("GET", "/order-types", "order_types", order_types, "Tipos de Pedido", tag,
                  response=entries, errors=(401,)),
        Operation("GET", "/order-statuses", "order_statuses", order_statuses,
                  "Situações do Pedido, na ordem da lista", tag, response=entries,
                  errors=(401,)),
    )  # fmt: skip
