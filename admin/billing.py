"""Back office of billing: Configurações → Contas de cobrança (list, add, edit, Remessa,
Retorno) and the "Pagamento" tabs of the order popup and the client page (mark paid, cancel,
issue). Thin views: the rules are portal.billing's.

boleto-face adds its buttons (PDF, Reenviar) in the `boleto_actions` block / the
`<td class="boleto-actions">` cell of `_boletos_table.html`.
"""

from datetime import date

from flask import Flask, Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from portal import db
from portal.admin import unit_of_work
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.billing import accounts, cnab, issuing
from portal.billing import status as boleto_status
from portal.billing.forms import AccountForm, CancelForm, PayForm, RetornoForm, parse_date
from portal.billing.models import (
    OPEN_STATUSES,
    STATUS_OVERDUE,
    STORED_STATUSES,
    BillingAccount,
    Boleto,
)
from portal.billing.service import accounts as all_accounts
from portal.billing.service import boletos_for_client, boletos_for_order
from portal.errors import DomainError, NotFound, StaleEdit
from portal.extension_points import (
    ClientTab,
    MenuEntry,
    OrderTab,
    add_client_tab,
    add_menu_entry,
    add_order_tab,
    order_status_changed,
    send,
)
from portal.i18n import _, _l
from portal.orders import queries as order_queries
from portal.orders.models import Order
from portal.orders.service import Actor

ORDER_TAB = "clientela/admin/billing/_order_tab.html"
CLIENT_TAB = "clientela/admin/billing/_client_tab.html"
CLIENT_LIST = "clientela/admin/billing/_client_boletos.html"
PAGE_SIZE = 25


def init_app(app: Flask) -> None:
    add_menu_entry(
        app,
        MenuEntry(_l("Billing accounts"), "clientela_admin.billing_accounts", 170, _l("Settings")),
    )
    add_order_tab(app, OrderTab("pagamento", _l("Payment"), ORDER_TAB, order_tab_context))
    add_client_tab(app, ClientTab("pagamento", _l("Payment"), CLIENT_TAB, client_tab_context))


def _actor() -> Actor:
    return Actor.of_staff(current_staff._get_current_object())


def status_badge(boleto: Boleto) -> tuple[str, str]:
    shown = boleto.shown_status()
    colour = {
        "emitido": "secondary",
        "registrado": "primary",
        "pago": "success",
        "vencido": "danger",
        "cancelado": "dark",
        "rejeitado": "warning",
    }.get(shown, "secondary")
    return boleto_status.status_label(shown), colour


def _common() -> dict:
    return {"status_badge": status_badge, "open_statuses": OPEN_STATUSES}


# The order's Pagamento tab ------------------------------------------------------------------


def order_tab_context(order) -> dict:
    boletos = boletos_for_order(db.session, order.id)
    return {
        "order": order,
        "boletos": boletos,
        "note": issuing.pending_note(order),
        "where": "order",
        **_common(),
    }


def _order_tab(order_id: int, status: int = 200, message: str | None = None):
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    ctx = order_tab_context(order)
    if message:
        ctx["message"] = message
    return render_template(ORDER_TAB, ctx=ctx), status


def order_boletos_issue(order_id: int):
    if db.session.get(Order, order_id) is None:
        abort(404)
    staff = current_staff._get_current_object()
    try:
        result = issuing.issue_for_order(
            order_id, actor_label=staff.display_name, staff_user_id=staff.id
        )
    except DomainError as exc:
        unit_of_work.reject()
        return _order_tab(order_id, 422, exc.message)
    if not result.boletos:
        return _order_tab(order_id, 200, result.note)
    return _order_tab(order_id, 200, _("Boletos issued: %(count)s.", count=len(result.boletos)))


# The client's Pagamento tab -----------------------------------------------------------------


def _client_filters(args) -> dict:
    status = args.get("status") or None
    if status not in (*STORED_STATUSES, STATUS_OVERDUE, None):
        status = None
    after = args.get("after", "")
    return {
        "status": status,
        "overdue": args.get("overdue") == "1",
        "after": int(after) if after.isdigit() and int(after) < 2**31 else None,
    }


def client_boletos_context(client_id: int, args) -> dict:
    filters = _client_filters(args)
    rows = boletos_for_client(db.session, client_id, limit=PAGE_SIZE + 1, **filters)
    numbers = {
        o.id: o.display_number
        for o in db.session.scalars(
            select(Order).where(Order.id.in_({b.order_id for b in rows[:PAGE_SIZE]} or {0}))
        )
    }
    return {
        "client_id": client_id,
        "boletos": rows[:PAGE_SIZE],
        "next_after": rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        "filters": filters,
        "statuses": [(s, boleto_status.status_label(s)) for s in (*STORED_STATUSES, "vencido")],
        "order_numbers": numbers,
        "where": "client",
        **_common(),
    }


def client_tab_context(client) -> dict:
    return client_boletos_context(client.id, {})


def client_boletos(client_id: int):
    return render_template(CLIENT_LIST, ctx=client_boletos_context(client_id, request.args))


# Mark paid / cancel (from either tab) -------------------------------------------------------


def _after_status(boleto: Boleto, outcome, message: str):
    if outcome.order_status:
        old, new = outcome.order_status
        order_id = boleto.order_id
        staff = current_staff._get_current_object()

        def announce():
            send(order_status_changed, order=order_queries.load_order(order_id),
                 old_status_id=old, new_status_id=new, actor=staff, source="admin")  # fmt: skip

        unit_of_work.after_commit(announce)
    if request.form.get("where") == "client":
        ctx = client_boletos_context(boleto.client_id, {})
        ctx["message"] = message
        return render_template(CLIENT_LIST, ctx=ctx)
    return _order_tab(boleto.order_id, 200, message)


def _boleto(boleto_id: int) -> Boleto:
    boleto = db.session.get(Boleto, boleto_id)
    if boleto is None:
        abort(404)
    return boleto


def boleto_pay(boleto_id: int):
    boleto = _boleto(boleto_id)
    form = PayForm(prefix=f"pay{boleto.id}")
    if request.method == "GET":
        form.paid_on.data = date.today().isoformat()
        form.amount.data = format(boleto.amount, "f").replace(".", ",")
        form.fees.data = "0,00"
        form.version.data = str(boleto.version)
        return render_template(
            "clientela/admin/billing/_pay_form.html", form=form, boleto=boleto,
            where=request.args.get("where", "order"),
        )  # fmt: skip
    version = form.version.data or ""
    try:
        paid_on = parse_date(form.paid_on.data, "paid_on", _("Payment date"))
        outcome = boleto_status.mark_paid(
            boleto.id, paid_on, form.amount.data, form.fees.data, _actor(),
            expected_version=int(version) if version.isdigit() else None,
        )  # fmt: skip
    except (StaleEdit, NotFound) as exc:
        unit_of_work.reject()
        flash(exc.message, "danger")
        return _after_status(_boleto(boleto_id), _no_outcome(), exc.message)
    except DomainError as exc:
        unit_of_work.reject(exc, form)
        return render_template(
            "clientela/admin/billing/_pay_form.html", form=form, boleto=_boleto(boleto_id),
            where=request.form.get("where", "order"),
        ), 422  # fmt: skip
    return _after_status(outcome.boleto, outcome, _("Boleto marked as paid."))


class _no_outcome:
    order_status = None


def boleto_cancel(boleto_id: int):
    boleto = _boleto(boleto_id)
    form = CancelForm(prefix=f"cancel{boleto.id}")
    version = form.version.data or ""
    try:
        outcome = boleto_status.cancel(
            boleto.id, _actor(), note=form.note.data or "",
            expected_version=int(version) if version.isdigit() else None,
        )  # fmt: skip
    except DomainError as exc:
        unit_of_work.reject()
        return _after_status(_boleto(boleto_id), _no_outcome(), exc.message)
    return _after_status(outcome.boleto, outcome, _("Boleto cancelled."))


# Configurações → Contas de cobrança ---------------------------------------------------------


def billing_accounts():
    rows = all_accounts(db.session)
    return render_template(
        "clientela/admin/billing/accounts.html",
        accounts=rows,
        supports_cnab=cnab.supports_cnab,
        bank_names={code: name for code, name in accounts.bank_choices()},
    )


def billing_account_new():
    return _account_form(None)


def billing_account_edit(account_id: int):
    return _account_form(account_id)


def _account_form(account_id: int | None):
    account = db.session.get(BillingAccount, account_id) if account_id else None
    if account_id and account is None:
        abort(404)
    form = AccountForm(prefix="account")
    if request.method == "GET":
        if account:
            form.load(account)
        else:
            form.next_nosso_numero.data = "1"
            form.is_active.data = True
            form.is_default.data = not all_accounts(db.session)
    if request.method == "POST" and form.validate_on_submit():
        try:
            saved = accounts.save(account_id, form.to_input(), form.expected_version())
        except StaleEdit as exc:
            unit_of_work.reject(exc, form)
            # What was typed stays; saving again puts it on top of the other change.
            form.version.data = str(db.session.get(BillingAccount, account_id).version)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
        else:
            flash(_("Billing account “%(name)s” saved.", name=saved.name), "success")
            return redirect(url_for(".billing_accounts"))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and not form.errors and not form.form_errors:
        status = 400  # CSRF or a broken form
    return render_template(
        "clientela/admin/billing/account_form.html", form=form, account=account
    ), status


def billing_remessa(account_id: int):
    account = db.session.get(BillingAccount, account_id) or abort(404)
    if request.method == "POST":
        try:
            remessa = cnab.build_remessa_for_account(account.id, _actor())
        except DomainError as exc:
            unit_of_work.reject()
            flash(exc.message, "warning")
            return redirect(url_for(".billing_remessa", account_id=account.id))
        # Committed after this answer (unit of work): the boletos are then "sent".
        return Response(
            remessa.text.encode("latin-1", errors="replace"),
            mimetype="text/plain",
            headers={"Content-Disposition": f'attachment; filename="{remessa.file_name}"'},
        )
    return render_template(
        "clientela/admin/billing/remessa.html",
        account=account,
        supported=cnab.supports_cnab(account.bank_code),
        pending=cnab.pending_boletos(account.id),
        **_common(),
    )


def billing_retorno(account_id: int):
    account = db.session.get(BillingAccount, account_id) or abort(404)
    form = RetornoForm(prefix="retorno")
    report, error = None, None
    if request.method == "POST":
        upload = form.file.data
        if not form.validate_on_submit() or upload is None or not getattr(upload, "filename", ""):
            error = _("Choose the bank's return file (CNAB 240, .ret or .txt) to import.")
        else:
            data = upload.read(cnab.MAX_RETORNO_BYTES + 1)
            try:
                report = cnab.import_retorno(account.id, data, _actor())
            except DomainError as exc:
                unit_of_work.reject()
                error = exc.message
            else:
                _announce_moves(report.order_moves)
    return render_template(
        "clientela/admin/billing/retorno.html",
        account=account,
        form=form,
        report=report,
        error=error,
        supported=cnab.supports_cnab(account.bank_code),
    ), (422 if error else 200)


def _announce_moves(moves) -> None:
    staff = current_staff._get_current_object()
    for order_id, old, new in moves:

        def announce(order_id=order_id, old=old, new=new):
            send(order_status_changed, order=order_queries.load_order(order_id),
                 old_status_id=old, new_status_id=new, actor=staff, source="admin")  # fmt: skip

        unit_of_work.after_commit(announce)
