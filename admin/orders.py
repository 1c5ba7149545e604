"""Orders in the back office: the client's Pedidos tab and the order popup (the two lists
of types and statuses are named lists: `admin/named_lists.py`)."""

from flask import Flask, Response, abort, render_template, request

from portal import db
from portal.admin import stale, unit_of_work
from portal.admin.auth import current_staff
from portal.clients import queries as client_queries
from portal.documents.service import order_document
from portal.errors import DomainError, NotFound, StaleEdit
from portal.extension_points import (
    ClientTab,
    add_client_tab,
    order_created,
    order_status_changed,
    send,
)
from portal.i18n import _, _l
from portal.lookups import service as lookups
from portal.orders import queries
from portal.orders import service as orders
from portal.orders.forms import OrderForm
from portal.orders.models import Order

TAB_TEMPLATE = "clientela/admin/orders/_client_tab.html"
LIST_TEMPLATE = "clientela/admin/orders/_orders.html"


def tab_context(client) -> dict:
    return {"client": client, "orders": queries.orders_of_client(client.id)}


def register_client_tab(app: Flask) -> None:
    add_client_tab(
        app,
        ClientTab(key="pedidos", label=_l("Orders"), template=TAB_TEMPLATE, context=tab_context),
    )


def orders_list():
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    rows, has_next = queries.recent_orders(page)
    return render_template(
        "clientela/admin/orders/list.html", orders=rows, page=page, has_next=has_next
    )


# The popup ----------------------------------------------------------------------------------


def _fill(form: OrderForm, client, order: Order | None) -> None:
    form.fill_choices(
        queries.order_types(),
        queries.order_statuses(),
        client.addresses,
        lookups.entries(lookups.KINDS["formas-pagamento"]),
        lookups.entries(lookups.KINDS["prazos-pagamento"]),
        order,
    )


def _order_popup(client_id: int, order_id: int | None):
    client = client_queries.load_for_page(client_id) or abort(404)
    order = queries.load_order(order_id) if order_id is not None else None
    if order_id is not None and (order is None or order.client_id != client.id):
        abort(404)
    form = OrderForm(prefix="order")
    stale.carry(form)
    _fill(form, client, order)
    if request.method == "GET":
        if order:
            form.load(order)
            stale.remember(form)
        else:
            defaults = orders.defaults_for_new_order(client)
            form.type_id.data = defaults.type_id
            form.status_id.data = defaults.status_id
            form.payment_method_id.data = defaults.payment_method_id
            form.payment_term_id.data = defaults.payment_term_id
            form.delivery_address_id.data = defaults.delivery_address_id
            form.items.append_entry()
    if form.validate_on_submit():
        actor = orders.Actor.of_staff(current_staff)
        before = order.status_id if order else None
        try:
            if order:
                saved = orders.update_order(
                    order.id, form.to_input(), form.expected_version(), actor
                )
            else:
                saved = orders.create_order(client.id, form.to_input(), actor)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
            if isinstance(exc, StaleEdit) and order is not None:
                _explain_stale(form, client, order.id)
        else:
            _announce(saved, before)
            return _saved(client.id, _("Order saved."))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "clientela/admin/orders/_order_form.html", form=form, client=client, order=order
    ), status


def _announce(order: Order, status_before: int | None) -> None:
    """`order_created` / `order_status_changed` once the save is committed."""
    if status_before is None:
        signal, values = order_created, {}
    elif order.status_id != status_before:
        signal = order_status_changed
        values = {"old_status_id": status_before, "new_status_id": order.status_id}
    else:
        return
    unit_of_work.after_commit(
        lambda: send(signal, order=order, actor=current_staff, source="admin", **values)
    )


def _explain_stale(form: OrderForm, client, order_id: int) -> None:
    """Show what the other save changed next to the typed values; a new save goes through."""
    current = queries.load_order(order_id)  # the rejection rolled back: read as stored now
    if current is None:
        return
    stored = OrderForm(formdata=None, prefix="order")
    _fill(stored, client, current)
    stored.load(current)
    stale.recover(form, stored, current.version)


def _saved(client_id: int, message: str):
    client = client_queries.load_for_page(client_id)
    return unit_of_work.saved(
        LIST_TEMPLATE,
        target="#orders",
        message=message,
        ctx={"client": client, "orders": _orders(client_id)},
    )


def _orders(client_id: int):
    db.session.expire_all()
    return queries.orders_of_client(client_id)


def order_new(client_id: int):
    return _order_popup(client_id, None)


def order_edit(client_id: int, order_id: int):
    return _order_popup(client_id, order_id)


def order_download(client_id: int, order_id: int, fmt: str):
    """The order document (PDF, CSV or XLSX) as the client downloads it; 304 by ETag."""
    order = queries.load_order(order_id)
    if order is None or order.client_id != client_id:
        abort(404)
    try:
        document = order_document(order, fmt)
    except NotFound:
        abort(404)
    response = Response(document.body, content_type=document.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(document.etag)
    return response.make_conditional(request)
