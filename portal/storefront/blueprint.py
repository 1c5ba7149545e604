"""The storefront's URL map (`clientela_storefront`). Views live in the sibling modules."""

from flask import Blueprint, redirect, url_for
from flask_limiter import RateLimitExceeded

from portal.config import setting
from portal.i18n import share_wtforms_catalogue
from portal.mail.service import file_mode
from portal.storefront import account, auth, boletos, orders, profile, tracking
from portal.storefront.messages import take_messages


def _home():
    return redirect(url_for(".orders" if auth.current_client else ".login"))


def create_blueprint(url_prefix: str = "/conta") -> Blueprint:
    bp = Blueprint("clientela_storefront", __name__, url_prefix=url_prefix)
    bp.register_error_handler(RateLimitExceeded, auth.too_many_attempts)
    bp.before_request(share_wtforms_catalogue)
    bp.context_processor(
        lambda: {
            "current_client": auth.current_client,
            "storefront_messages": take_messages,
            "shop_name": setting("CLIENTELA_SHOP_NAME"),
            "mail_file_mode": file_mode,
        }
    )

    def public(rule, endpoint, view, methods=("GET",)):
        bp.add_url_rule(rule, endpoint, view, methods=list(methods))

    def private(rule, endpoint, view, methods=("GET",)):
        bp.add_url_rule(rule, endpoint, auth.client_required(view), methods=list(methods))

    public("/", "home", _home)
    # Visit tracking for pages served elsewhere: a pixel and the script that requests it.
    public("/v.gif", "visit_pixel", tracking.limited_pixel)
    public("/v.js", "visit_script", tracking.script)
    public("/entrar", "login", auth.login, ("GET", "POST"))
    public("/sair", "logout", auth.logout, ("POST",))
    public("/criar-conta", "signup", account.signup, ("GET", "POST"))
    public("/confirmar/<token>", "confirm_email", account.confirm_email)
    public("/esqueci-minha-senha", "forgot_password", account.forgot_password, ("GET", "POST"))
    public("/nova-senha/<token>", "reset_password", account.reset_password, ("GET", "POST"))
    public("/definir-senha/<token>", "set_password", account.set_password, ("GET", "POST"))
    # The boleto's second copy: a signed, expiring link, no sign-in (portal.billing.links).
    public("/boleto/<token>", "second_copy", boletos.second_copy)
    public("/boleto/<token>/boleto.pdf", "second_copy_pdf", boletos.second_copy_pdf)

    private("/pedidos", "orders", orders.orders)
    private("/pedidos/<clientela_id:order_id>", "order", orders.order)
    private(
        "/pedidos/<clientela_id:order_id>/documento.<fmt>", "order_document", orders.order_document
    )
    private(
        "/pedidos/<clientela_id:order_id>/boletos/<clientela_id:boleto_id>.pdf",
        "boleto_pdf",
        boletos.boleto_pdf,
    )
    private(
        "/pedidos/<clientela_id:order_id>/boletos/<clientela_id:boleto_id>/reenviar",
        "boleto_resend",
        boletos.resend,
        ("POST",),
    )
    private("/meus-dados", "profile", profile.profile, ("GET", "POST"))
    private("/meus-dados/senha", "change_password", profile.change_password, ("POST",))
    private("/meus-dados/enderecos/novo", "address_new", profile.address_new, ("GET", "POST"))
    private(
        "/meus-dados/enderecos/<clientela_id:address_id>",
        "address_edit",
        profile.address_edit,
        ("GET", "POST"),
    )
    private(
        "/meus-dados/enderecos/<clientela_id:address_id>/desativar",
        "address_deactivate",
        profile.address_deactivate,
        ("POST",),
    )
    private("/meus-dados/exportar.json", "export", profile.export_data)
    return bp
