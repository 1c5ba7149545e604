"""E-mailing a boleto: its second-copy link to the client's main e-mail (the outbox)."""

from __future__ import annotations

from portal import db
from portal.billing.links import link_days
from portal.billing.models import Boleto
from portal.billing.slip import format_linha
from portal.config import setting
from portal.mail import service as mail
from portal.orders.models import Order


def queue_second_copy(boleto: Boleto, link: str) -> int | None:
    """Queue the e-mail with `link` (the signed second-copy URL) to the boleto's client; the
    message id (flushed; deliver it after the commit), or None when the client has no e-mail."""
    order = db.session.get(Order, boleto.order_id)
    client = order.client
    if not client.email:
        return None
    return mail.queue(
        client.email,
        "boleto_link",
        name=client.name,
        link=link,
        days=link_days(),
        order_number=order.display_number,
        instalment=boleto.instalment,
        instalments=boleto.instalments,
        due_date=boleto.due_date,
        amount=boleto.amount,
        linha=format_linha(boleto.linha_digitavel),
        shop_name=setting("CLIENTELA_SHOP_NAME"),
    )
