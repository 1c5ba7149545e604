"""The back office's URL map. Views live in the sibling modules; this file only routes."""

from flask import Blueprint, redirect, url_for
from flask_limiter import RateLimitExceeded

from portal.admin import (
    api_keys,
    auth,
    clients,
    clients_bulk,
    lookups,
    messages,
    orders,
    sefaz,
    statuses,
)


def create_blueprint(url_prefix: str = "/admin") -> Blueprint:
    bp = Blueprint("clientela_admin", __name__, url_prefix=url_prefix)

    bp.add_url_rule("/login", "login", auth.login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", auth.logout, methods=["POST"])
    bp.register_error_handler(RateLimitExceeded, auth.too_many_attempts)
    bp.context_processor(
        lambda: {"current_staff": auth.current_staff, "clientela_messages": messages.take_messages}
    )

    def route(rule, endpoint, view, methods=("GET",)):
        bp.add_url_rule(rule, endpoint, auth.staff_required(view), methods=list(methods))

    route("/", "home", lambda: redirect(url_for(".clients_list")))
    route("/clientes", "clients_list", clients.clients_list)
    route("/clientes/acoes", "clients_bulk", clients_bulk.clients_bulk, ("POST",))
    route("/clientes/novo", "client_new", clients.client_new, ("GET", "POST"))
    route("/clientes/<int:client_id>", "client_edit", clients.client_edit, ("GET", "POST"))
    route(
        "/clientes/<int:client_id>/enderecos/novo",
        "address_new",
        clients.address_new,
        ("GET", "POST"),
    )
    route(
        "/clientes/<int:client_id>/enderecos/<int:address_id>",
        "address_edit",
        clients.address_edit,
        ("GET", "POST"),
    )
    route(
        "/clientes/<int:client_id>/contatos/novo",
        "contact_new",
        clients.contact_new,
        ("GET", "POST"),
    )
    route(
        "/clientes/<int:client_id>/contatos/<int:contact_id>",
        "contact_edit",
        clients.contact_edit,
        ("GET", "POST"),
    )
    route("/situacoes", "statuses_page", statuses.statuses_page, ("GET", "POST"))
    route("/situacoes/<int:status_id>", "status_edit", statuses.statuses_page, ("GET", "POST"))
    route("/situacoes/<int:status_id>/excluir", "status_delete", statuses.status_delete, ("POST",))
    route("/listas/<slug>", "lookup_popup", lookups.lookup_popup, ("GET", "POST"))
    route("/listas/<slug>/<int:entry_id>", "lookup_entry", lookups.lookup_popup, ("GET", "POST"))
    # Sefaz consultation (htmx, from the client form).
    route("/sefaz/consultar", "sefaz_consult", sefaz.consult, ("POST",))
    # Orders (Pedidos tab popup, lists) and API keys.
    route("/pedidos", "orders_list", orders.orders_list)
    route("/clientes/<int:client_id>/pedidos/novo", "order_new", orders.order_new, ("GET", "POST"))
    route(
        "/clientes/<int:client_id>/pedidos/<int:order_id>",
        "order_edit",
        orders.order_edit,
        ("GET", "POST"),
    )
    route("/pedidos/listas/<slug>", "order_list_page", orders.order_list_page, ("GET", "POST"))
    route(
        "/pedidos/listas/<slug>/<int:entry_id>",
        "order_list_entry",
        orders.order_list_page,
        ("GET", "POST"),
    )
    route("/chaves-de-api", "api_keys", api_keys.api_keys, ("GET", "POST"))
    route(
        "/chaves-de-api/<int:key_id>/revogar", "api_key_revoke", api_keys.api_key_revoke, ("POST",)
    )
    return bp
