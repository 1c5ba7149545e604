"""Boletos in the storefront: the order page's "Pagamento" tab, the boleto PDF, "Reenviar
boleto" (e-mails the second-copy link) and the public second copy ("segunda via").

The tab and the PDF are the signed-in client's own (another client's boleto answers 404, like
a missing one). The second copy needs no sign-in: its link is signed, expires, and opens that
one boleto only (`portal.billing.links`); an altered link is 404, an expired one 410, both a
page that says what to do.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, abort, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from portal import db
from portal.billing import links
from portal.billing.display import boleto_card
from portal.billing.mailing import queue_second_copy
from portal.billing.models import OPEN_STATUSES, STATUS_PAID, Boleto
from portal.billing.service import boletos_for_order
from portal.billing.slip import render_boleto_pdf, slip_for
from portal.config import setting
from portal.extension_points import OrderTab, add_storefront_order_tab
from portal.extensions import limiter
from portal.i18n import _, _l
from portal.mail import service as mail
from portal.storefront import queries
from portal.storefront.auth import current_client
from portal.storefront.messages import flash

PRINTABLE = (*OPEN_STATUSES, STATUS_PAID)  # not a cancelled or rejected boleto


def init_app(app: Flask) -> None:
    add_storefront_order_tab(
        app,
        OrderTab(
            key="pagamento",
            label=_l("Payment"),
            template="clientela/storefront/_pagamento_tab.html",
            context=tab_context,
        ),
    )


def tab_context(order) -> dict:
    today = date.today()
    boletos = [b for b in boletos_for_order(db.session, order.id) if b.client_id == order.client_id]
    return {"order": order, "cards": [boleto_card(b, today) for b in boletos]}


def _own_boleto(order_id: int, boleto_id: int) -> Boleto:
    """This client's boleto of this order, or 404 (another client's is exactly like none)."""
    boleto = db.session.scalar(
        select(Boleto).where(
            Boleto.id == boleto_id,
            Boleto.order_id == order_id,
            Boleto.client_id == current_client.id,
        )
    )
    if boleto is None or queries.own_order(current_client.id, order_id) is None:
        abort(404)
    return boleto


def _pdf_response(boleto: Boleto):
    if boleto.status not in PRINTABLE:
        page = render_template(
            "clientela/storefront/notice.html",
            title=_("This boleto was cancelled"),
            text=_("It can no longer be paid. See the order's Payment tab for the current one."),
        )
        return page, 410
    body = render_boleto_pdf([slip_for(boleto)])
    response = make_response(body)
    response.mimetype = "application/pdf"
    name = f"boleto-{boleto.order_id}-{boleto.instalment}.pdf"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def boleto_pdf(order_id: int, boleto_id: int):
    return _pdf_response(_own_boleto(order_id, boleto_id))


def _resend_key() -> str:
    boleto_id = (request.view_args or {}).get("boleto_id")
    return f"clientela-boleto-resend:{current_client.id}:{boleto_id}"


def _resend_refused(_limit):
    flash(
        _(
            "This boleto was already sent several times in the last hour. Check your inbox "
            "(and the spam folder), or try again later."
        ),
        "warning",
    )
    order_id = (request.view_args or {}).get("order_id")
    return redirect(url_for(".order", order_id=order_id, _anchor="tab-pagamento"))


def second_copy_link(boleto: Boleto) -> str:
    return url_for(
        "clientela_storefront.second_copy", token=links.second_copy_token(boleto), _external=True
    )


@limiter.limit(
    lambda: setting("CLIENTELA_BOLETO_RESEND_LIMIT"),
    key_func=_resend_key,
    methods=["POST"],
    on_breach=_resend_refused,
)
def resend(order_id: int, boleto_id: int):
    """E-mail the boleto's second-copy link to the client's main e-mail (POST, CSRF)."""
    boleto = _own_boleto(order_id, boleto_id)
    client = current_client._get_current_object()
    back = redirect(url_for(".order", order_id=order_id, _anchor="tab-pagamento"))
    if not client.email:
        flash(_("Your account has no e-mail address to send the boleto to."), "danger")
        return back
    if boleto.status not in OPEN_STATUSES:
        flash(_("This boleto is no longer open: there is nothing to send."), "warning")
        return back
    message_id = queue_second_copy(boleto, second_copy_link(boleto))
    db.session.commit()
    outcome = mail.deliver([message_id])
    flash(_("We sent the boleto's link to %(email)s.", email=client.email), "success")
    notice = mail.outcome_notice(outcome)
    if notice:
        flash(notice, "warning")
    return back


# The second copy (public) -------------------------------------------------------------------


def _link_problem(expired: bool):
    if expired:
        title = _("This boleto link has expired")
        text = _(
            "For your safety, boleto links work for %(days)s days. Sign in and open the order's "
            "Payment tab to see the boleto or have a new link sent.",
            days=links.link_days(),
        )
    else:
        title = _("Boleto link not valid")
        text = _(
            "This link is incomplete or was altered. Open the link exactly as it arrived in the "
            "e-mail, or sign in and open the order's Payment tab."
        )
    page = render_template("clientela/storefront/notice.html", title=title, text=text)
    return page, 410 if expired else 404


def _boleto_from(token: str) -> Boleto | tuple:
    try:
        return links.boleto_for_token(db.session, token)
    except links.LinkExpired:
        return _link_problem(expired=True)
    except links.LinkInvalid:
        return _link_problem(expired=False)


def second_copy(token: str):
    found = _boleto_from(token)
    if not isinstance(found, Boleto):
        return found
    return render_template("clientela/storefront/boleto.html", card=boleto_card(found), token=token)


def second_copy_pdf(token: str):
    found = _boleto_from(token)
    if not isinstance(found, Boleto):
        return found
    return _pdf_response(found)
