"""The back office's URL map and top menu. Views live in the sibling modules."""

from flask import Blueprint, redirect, url_for
from flask_limiter import RateLimitExceeded

from portal.admin import (
    api_keys,
    auth,
    billing,
    boletos,
    clients,
    clients_bulk,
    errors,
    jobs,
    messages,
    named_lists,
    orders,
    sefaz,
    visits,
)
from portal.admin.menu import menu_html
from portal.admin.unit_of_work import install as install_unit_of_work
from portal.extension_points import MenuEntry, add_menu_entry, order_tabs
from portal.i18n import _l, share_wtforms_catalogue

SETTINGS_MENU = _l("Settings")
# (label, endpoint, url_for args, order, section); other layers add theirs the same way.
MENU = (
    (_l("Clients"), "clients_list", {}, 10, None),
    (_l("Orders"), "orders_list", {}, 20, None),
    (_l("Client statuses"), "statuses_page", {}, 110, SETTINGS_MENU),
    (_l("Order types"), "order_list_page", {"slug": "tipos"}, 120, SETTINGS_MENU),
    (_l("Order statuses"), "order_list_page", {"slug": "situacoes"}, 130, SETTINGS_MENU),
    (_l("API keys"), "api_keys", {}, 190, SETTINGS_MENU),
)


def _order_tabs(order) -> list:
    """(tab, its context) for each order tab registered by other domains (billing, visits)."""
    return [(tab, tab.context(order)) for tab in order_tabs()]


def create_blueprint(url_prefix: str = "/admin") -> Blueprint:
    bp = Blueprint("clientela_admin", __name__, url_prefix=url_prefix)
    install_unit_of_work(bp)  # views never commit: one commit (or rollback) per request
    bp.before_request(share_wtforms_catalogue)

    bp.add_url_rule("/login", "login", auth.login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", auth.logout, methods=["POST"])
    errors.install(bp)  # Portuguese error pages in our layout, for our URLs only
    bp.register_error_handler(RateLimitExceeded, auth.too_many_attempts)
    bp.context_processor(
        lambda: {
            "current_staff": auth.signed_in_staff,
            "admin_menu_html": menu_html,
            "order_tabs": _order_tabs,
            "clientela_messages": messages.take_messages,
        }
    )

    @bp.record_once
    def _register_menu(state) -> None:
        for label, endpoint, args, order, section in MENU:
            entry = MenuEntry(label, f"{bp.name}.{endpoint}", order, section, args)
            add_menu_entry(state.app, entry)

    def route(rule, endpoint, view, methods=("GET",)):
        bp.add_url_rule(rule, endpoint, auth.staff_required(view), methods=list(methods))

    route("/", "home", lambda: redirect(url_for(".clients_list")))
    route("/sair-de-todos", "logout_everywhere", auth.logout_everywhere, ("POST",))
    route("/clientes", "clients_list", clients.clients_list)
    route("/clientes/acoes", "clients_bulk", clients_bulk.clients_bulk, ("POST",))
    route("/clientes/novo", "client_new", clients.client_new, ("GET", "POST"))
    route("/clientes/<clientela_id:client_id>", "client_edit", clients.client_edit, ("GET", "POST"))
    route("/clientes/<clientela_id:client_id>/visitas", "client_visits", visits.client_visits)
    route(
        "/clientes/<clientela_id:client_id>/enviar-acesso",
        "client_send_access",
        clients.client_send_access,
        ("POST",),
    )
    route(
        "/clientes/<clientela_id:client_id>/enderecos/novo",
        "address_new",
        clients.address_new,
        ("GET", "POST"),
    )
    route(
        "/clientes/<clientela_id:client_id>/enderecos/<clientela_id:address_id>",
        "address_edit",
        clients.address_edit,
        ("GET", "POST"),
    )
    route(
        "/clientes/<clientela_id:client_id>/contatos/novo",
        "contact_new",
        clients.contact_new,
        ("GET", "POST"),
    )
    route(
        "/clientes/<clientela_id:client_id>/contatos/<clientela_id:contact_id>",
        "contact_edit",
        clients.contact_edit,
        ("GET", "POST"),
    )
    # The editable named lists (admin/named_lists.py): Situações, lookups, order lists.
    lists = named_lists
    route("/situacoes", "statuses_page", lists.statuses_page, ("GET", "POST"))
    route(
        "/situacoes/<clientela_id:status_id>", "status_edit", lists.statuses_page, ("GET", "POST")
    )
    route(
        "/situacoes/<clientela_id:status_id>/excluir",
        "status_delete",
        lists.status_delete,
        ("POST",),
    )
    route("/listas/<slug>", "lookup_popup", lists.lookup_popup, ("GET", "POST"))
    route(
        "/listas/<slug>/<clientela_id:entry_id>",
        "lookup_entry",
        lists.lookup_popup,
        ("GET", "POST"),
    )
    # Sefaz consultation (htmx, from the client form).
    route("/sefaz/consultar", "sefaz_consult", sefaz.consult, ("POST",))
    # Orders (Pedidos tab popup, lists) and API keys.
    route("/pedidos", "orders_list", orders.orders_list)
    route(
        "/clientes/<clientela_id:client_id>/pedidos/novo",
        "order_new",
        orders.order_new,
        ("GET", "POST"),
    )
    route(
        "/clientes/<clientela_id:client_id>/pedidos/<clientela_id:order_id>",
        "order_edit",
        orders.order_edit,
        ("GET", "POST"),
    )
    route(
        "/clientes/<clientela_id:client_id>/pedidos/<clientela_id:order_id>/documento.<fmt>",
        "order_download",
        orders.order_download,
    )
    route("/pedidos/listas/<slug>", "order_list_page", lists.order_list_page, ("GET", "POST"))
    route(
        "/pedidos/listas/<slug>/<clientela_id:entry_id>",
        "order_list_entry",
        lists.order_list_page,
        ("GET", "POST"),
    )
    # Background jobs (Configurações → Tarefas; the menu entry comes from admin/jobs.py).
    route("/tarefas", "jobs_page", jobs.jobs_page)
    route("/tarefas/<clientela_id:job_id>", "job_page", jobs.job_page)
    route("/tarefas/<clientela_id:job_id>/cancelar", "job_cancel", jobs.job_cancel, ("POST",))
    route("/tarefas/<clientela_id:job_id>/arquivo", "job_download", jobs.job_download)
    # Billing (admin/billing.py): accounts, CNAB files, the boletos of the Pagamento tabs.
    route("/contas-de-cobranca", "billing_accounts", billing.billing_accounts)
    route(
        "/contas-de-cobranca/nova",
        "billing_account_new",
        billing.billing_account_new,
        ("GET", "POST"),
    )
    route(
        "/contas-de-cobranca/<clientela_id:account_id>",
        "billing_account_edit",
        billing.billing_account_edit,
        ("GET", "POST"),
    )
    route(
        "/contas-de-cobranca/<clientela_id:account_id>/remessa",
        "billing_remessa",
        billing.billing_remessa,
        ("GET", "POST"),
    )
    route(
        "/contas-de-cobranca/<clientela_id:account_id>/retorno",
        "billing_retorno",
        billing.billing_retorno,
        ("GET", "POST"),
    )
    route(
        "/pedidos/<clientela_id:order_id>/boletos/emitir",
        "order_boletos_issue",
        billing.order_boletos_issue,
        ("POST",),
    )
    route("/clientes/<clientela_id:client_id>/boletos", "client_boletos", billing.client_boletos)
    route(
        "/boletos/<clientela_id:boleto_id>/pagar", "boleto_pay", billing.boleto_pay, ("GET", "POST")
    )
    route(
        "/boletos/<clientela_id:boleto_id>/cancelar",
        "boleto_cancel",
        billing.boleto_cancel,
        ("POST",),
    )
    # The boleto's PDF and "Reenviar" (admin/boletos.py), buttons of the Pagamento tabs.
    route("/boletos/<clientela_id:boleto_id>/boleto.pdf", "boleto_pdf_download", boletos.boleto_pdf)
    route(
        "/boletos/<clientela_id:boleto_id>/reenviar",
        "boleto_resend",
        boletos.boleto_resend,
        ("POST",),
    )
    route("/chaves-de-api", "api_keys", api_keys.api_keys, ("GET", "POST"))
    route(
        "/chaves-de-api/<clientela_id:key_id>/revogar",
        "api_key_revoke",
        api_keys.api_key_revoke,
        ("POST",),
    )
    return bp
