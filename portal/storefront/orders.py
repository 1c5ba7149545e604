"""Pedidos: the client's orders, one order's page and its documents (PDF, CSV, XLSX)."""

from flask import abort, current_app, make_response, render_template, request

from portal.extension_points import storefront_order_tabs
from portal.storefront import queries
from portal.storefront.auth import current_client


def orders():
    page = queries.orders_page(
        current_client.id,
        request.args.get("apos"),
        current_app.config["CLIENTELA_STOREFRONT_PAGE_SIZE"],
    )
    return render_template(
        "clientela/storefront/orders.html", page=page, first=not request.args.get("apos")
    )


def _own_order(order_id: int):
    """This client's order, or 404 (another client's id answers exactly like a missing one)."""
    return queries.own_order(current_client.id, order_id) or abort(404)


def order(order_id: int):
    found = _own_order(order_id)
    tabs = [(tab, tab.context(found)) for tab in storefront_order_tabs()]
    history = [(change.at, change.to_status.name) for change in found.status_changes]
    return render_template(
        "clientela/storefront/order.html", order=found, tabs=tabs, history=history
    )


def order_document(order_id: int, fmt: str):
    """The order as PDF, CSV or XLSX (rendered by `portal.documents`, cached by version)."""
    found = _own_order(order_id)  # ownership first: another client's order is 404
    from portal.documents.service import FORMATS
    from portal.documents.service import order_document as render

    if fmt not in FORMATS:
        abort(404)
    doc = render(found, fmt)
    etag = doc.etag.strip('"')
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(doc.body)
        response.mimetype = doc.mimetype
        response.headers.set("Content-Disposition", "attachment", filename=doc.filename)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
