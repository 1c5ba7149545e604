"""Back office: a boleto's PDF and "Reenviar" (e-mails the second-copy link to the client),
the two buttons of each row of the Pagamento tabs (order popup, client page), through the
hook `_boleto_actions.html` that admin/billing.py's table includes."""

from flask import abort, current_app, make_response, request, url_for

from portal import db
from portal.admin import unit_of_work
from portal.billing.links import second_copy_token
from portal.billing.mailing import queue_second_copy
from portal.billing.models import OPEN_STATUSES, Boleto
from portal.billing.slip import render_boleto_pdf, slip_for
from portal.config import setting
from portal.extensions import limiter
from portal.i18n import _
from portal.mail import service as mail

STOREFRONT = "clientela_storefront"


def _boleto(boleto_id: int) -> Boleto:
    boleto = db.session.get(Boleto, boleto_id)
    if boleto is None:
        abort(404)
    return boleto


def boleto_pdf(boleto_id: int):
    boleto = _boleto(boleto_id)
    response = make_response(render_boleto_pdf([slip_for(boleto)]))
    response.mimetype = "application/pdf"
    name = f"boleto-{boleto.order_id}-{boleto.instalment}.pdf"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def can_resend(boleto: Boleto) -> bool:
    """Open boletos, when the storefront (which serves the second copy) is mounted."""
    return boleto.status in OPEN_STATUSES and STOREFRONT in current_app.blueprints


def _toast(message: str, status: int = 200):
    """An htmx answer that swaps nothing: the page shows `message` (a toast; red if failed)."""
    if status >= 400:
        return make_response(message, status)
    return unit_of_work.saved_message(message)


def _resend_key() -> str:
    return f"clientela-boleto-resend-admin:{(request.view_args or {}).get('boleto_id')}"


def _resend_refused(_limit):
    return _toast(
        _("This boleto was already sent several times in the last hour. Try again later."), 429
    )


@limiter.limit(
    lambda: setting("CLIENTELA_BOLETO_RESEND_LIMIT"),
    key_func=_resend_key,
    methods=["POST"],
    on_breach=_resend_refused,
)
def boleto_resend(boleto_id: int):
    boleto = _boleto(boleto_id)
    if not can_resend(boleto):
        return _toast(_("Only an open boleto is re-sent (and the storefront must be on)."), 409)
    link = url_for(f"{STOREFRONT}.second_copy", token=second_copy_token(boleto), _external=True)
    message_id = queue_second_copy(boleto, link)
    if message_id is None:
        return _toast(_("The client has no e-mail address: nothing was sent."), 422)
    unit_of_work.after_commit(lambda: mail.deliver([message_id]))
    email = boleto_email(boleto)
    return _toast(_("The boleto's link was sent to %(email)s.", email=email))


def boleto_email(boleto: Boleto) -> str:
    from portal.orders.models import Order

    return db.session.get(Order, boleto.order_id).client.email or ""
