"""Client pages: list, new, edit (tabs), addresses and contacts in popups."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_timezone
from markupsafe import Markup

from portal import db
from portal.admin import stale, unit_of_work
from portal.admin.auth import current_staff
from portal.admin.fragments import fragment
from portal.admin.messages import flash
from portal.clients import accounts, addresses, contacts, list_rows, listing, queries
from portal.clients import service as clients
from portal.clients.forms import (
    AddressForm,
    BulkActionForm,
    ClientForm,
    ClientListForm,
    ContactForm,
)
from portal.clients.models import GROUPS, Address, Contact
from portal.config import setting
from portal.errors import DomainError, StaleEdit
from portal.extension_points import client_saved, send
from portal.i18n import _, _l
from portal.lookups import service as lookups
from portal.mail import service as mail
from portal.sefaz.queries import VERDICT_ON_LIST_ROWS


def _fill_choices(form: ClientForm, client=None) -> None:
    form.status_id.choices = [(s.id, s.name) for s in queries.statuses()]
    for kind in lookups.KINDS.values():
        current = getattr(client, kind.client_field, None) if client else None
        entries = [e for e in lookups.entries(kind) if e.is_active or e.id == current]
        getattr(form, kind.client_field).choices = [(None, "—")] + [(e.id, e.name) for e in entries]


def client_send_access(client_id: int):
    """ "Enviar acesso": e-mail the client a link to choose the storefront password."""
    client = queries.load_for_page(client_id) or abort(404)
    back = redirect(url_for(".client_edit", client_id=client.id))
    if "clientela_storefront" not in current_app.blueprints:
        flash(_("The storefront is not enabled in this installation."), "warning")
        return back
    if not client.email:
        flash(_("Save the client's main e-mail first: it is the login at the shop."), "warning")
        return back
    link = url_for(
        "clientela_storefront.set_password",
        token=accounts.link_token(client, accounts.ACCESS),
        _external=True,
    )
    message_id = mail.queue(
        client.email,
        "access_link",
        name=client.name,
        link=link,
        hours=accounts.link_hours(accounts.ACCESS),
        shop_name=setting("CLIENTELA_SHOP_NAME"),
    )

    def deliver():
        outcome = mail.deliver([message_id])
        flash(_("Access link sent to %(email)s.", email=client.email), "success")
        notice = mail.outcome_notice(outcome)
        if notice:
            flash(notice, "warning")

    unit_of_work.after_commit(deliver)
    if not client.status.grants_access:
        flash(
            _("Note: the client's status gives no access to the shop; change it to let them in."),
            "warning",
        )
    return back


def _page(form: ClientForm, client=None, status: int = 200):
    tabs = current_app.extensions["clientela"].client_tabs if client else []
    return (
        render_template(
            "clientela/admin/clients/edit.html",
            form=form,
            client=client,
            lookup_kinds=lookups.KINDS.values(),
            history=queries.history_of(client.id) if client else [],
            extra_tabs=[(tab, tab.context(client)) for tab in tabs],
            storefront_enabled="clientela_storefront" in current_app.blueprints,
        ),
        status,
    )


def _list_form(choices: dict[str, list[tuple[int, str]]]) -> ClientListForm:
    form = ClientListForm(request.args)
    form.situacao.choices = [(None, _("All statuses")), *choices["status"]]
    form.perfil.choices = [(None, _("All profiles")), *choices["profile"]]
    form.vendedor.choices = [(None, _("All sellers")), *choices["seller"]]
    form.etiqueta.choices = [(None, _("All tags")), *choices["tag"]]
    return form


def _rows_with_verdicts(ids: list[int]) -> list[list_rows.ListRow]:
    """The table's rows with each client's Sefaz badge, in one query."""
    return list_rows.list_rows(ids, joins=(VERDICT_ON_LIST_ROWS,))


def clients_list():
    reads = queries.list_page_reads()  # the four menus and the counters in one query
    form = _list_form(reads.choices)
    filters = form.to_filters()
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        # the list is empty by construction: say why, next to the filter
        form.ate.errors = [
            *form.ate.errors,
            _("The end date is before the start date: no client can match. Swap the dates."),
        ]
    page = listing.list_clients(
        filters,
        after=request.args.get("apos"),
        before=request.args.get("antes"),
        last=request.args.get("ultima") == "1",
        per_page=current_app.config["CLIENTELA_PAGE_SIZE"],
        total=sum(reads.counters.values()),
        load=_rows_with_verdicts,
    )
    status = 200
    if any(ord(c) < 32 or ord(c) == 127 for c in form.q.data or ""):  # NUL & co: never stored
        flash(_("Remove the control characters (such as NUL) from the search."), "danger")
        status = 400
    bulk_form = BulkActionForm(formdata=None)
    bulk_form.status_id.choices = form.situacao.choices[1:]
    bulk_form.seller_id.choices = [(None, _("None (remove)")), *form.vendedor.choices[1:]]
    bulk_form.filters.data = _filter_query(request.args)
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        template, panel = "clientela/admin/clients/_list_results.html", None
    else:
        template, panel = "clientela/admin/clients/list.html", _filter_panel(form, reads)
    return render_template(
        template,
        form=form,
        page=page,
        rows_html=_rows_html(page.items),
        bulk_form=bulk_form,
        filter_args=_filter_args(request.args),
        filter_panel=panel,
    ), status


CLIENT_ROWS = "clientela/admin/clients/_client_rows.html"


def _rows_html(rows: list[list_rows.ListRow]) -> Markup:
    """The table's rows, rendered once per page content: a row's HTML follows from its values
    (and the time zone its dates are shown in), so a page seen again with nothing changed
    (the first page, a repeated search) renders no row; any changed value is another key."""
    if not rows:
        return Markup()
    page = tuple(rows)
    return fragment(
        ("client rows", str(get_timezone()), page),
        lambda: current_app.jinja_env.get_template(CLIENT_ROWS).module.client_rows(
            page, url_for(".client_edit", client_id=1)[:-1]
        ),
    )


def _filter_panel(form: ClientListForm, reads: queries.ListPageReads) -> Markup:
    """The counters and the filter form. What they show follows from the URL's filters, the
    menus' choices and the counters, so they are rendered once for each such set: drawing
    them (some twenty fields, menus and links) was a sixth of the first page's cost."""
    filters = tuple((k, v) for k, v in request.args.items(multi=True) if k not in _PAGING_ARGS)
    choices = tuple(tuple(pairs) for pairs in reads.choices.values())
    return fragment(
        ("clients filters", filters, choices, tuple(reads.counters.items())),
        lambda: render_template(
            "clientela/admin/clients/_list_filters.html",
            form=form,
            counters=reads.counters,
            counter_links=_counter_links(request.args),
            more_filters_open=bool(_filter_args(request.args).keys() - {"q", "grupo", "ordem"}),
        ),
    )


_PAGING_ARGS = ("apos", "antes", "ultima")


def _filter_args(args) -> dict:
    """The current filters as URL arguments (paging cursors dropped)."""
    return {k: v for k, v in args.items() if k not in _PAGING_ARGS and v}


def _counter_links(args) -> dict[str, str]:
    """Each counter selects its group keeping the other filters; the chosen one clears it."""
    links = {}
    for group in GROUPS:
        chosen = {k: v for k, v in _filter_args(args).items() if k != "grupo"}
        if args.get("grupo") != group:
            chosen["grupo"] = group
        links[group] = url_for(".clients_list", **chosen)
    return links


def _filter_query(args) -> str:
    return urlencode(_filter_args(args))


def client_new():
    form = ClientForm()
    _fill_choices(form)
    if request.method == "GET":
        form.status_id.data = clients.default_status().id
        form.phones.append_entry()
    if form.validate_on_submit():
        try:
            client = clients.register(form.to_input(), actor=current_staff)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
        else:
            unit_of_work.after_commit(
                lambda: send(
                    client_saved, client=client, created=True, actor=current_staff, source="admin"
                )
            )
            flash(_("Client saved. Now you can add addresses and contacts."), "success")
            return redirect(url_for(".client_edit", client_id=client.id))
    return _page(form, status=422 if request.method == "POST" else 200)


def client_edit(client_id: int):
    client = queries.load_for_page(client_id) or abort(404)
    form = ClientForm()
    stale.carry(form)
    _fill_choices(form, client)
    if request.method == "GET":
        form.load(client)
        stale.remember(form)
    elif form.validate_on_submit():
        try:
            clients.update(client_id, form.to_input(), form.expected_version(), current_staff)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
            client = queries.load_for_page(client_id)
            if isinstance(exc, StaleEdit) and client is not None:
                stored = ClientForm(formdata=None)
                _fill_choices(stored, client)
                stored.load(client)
                stale.recover(form, stored, client.version)
        else:
            unit_of_work.after_commit(
                lambda: send(
                    client_saved, client=client, created=False, actor=current_staff, source="admin"
                )
            )
            flash(_("Changes saved."), "success")
            return redirect(url_for(".client_edit", client_id=client_id))
    return _page(form, client, status=422 if request.method == "POST" else 200)


# Popups (htmx): the form comes back with its errors until it saves; then the list is
# re-rendered in place and the popup closes.


@dataclass(frozen=True)
class _Child:
    """An address or a contact: what differs between their two popups."""

    model: type
    form: type
    prefix: str
    add: Callable
    update: Callable
    form_template: str
    list_template: str
    target: str
    saved: str  # the toast once saved (lazy: translated per request)


_ADDRESS = _Child(
    Address,
    AddressForm,
    "address",
    addresses.add_address,
    addresses.update_address,
    "clientela/admin/clients/_address_form.html",
    "clientela/admin/clients/_addresses.html",
    "#addresses",
    _l("Address saved."),
)
_CONTACT = _Child(
    Contact,
    ContactForm,
    "contact",
    contacts.add_contact,
    contacts.update_contact,
    "clientela/admin/clients/_contact_form.html",
    "clientela/admin/clients/_contacts.html",
    "#contacts",
    _l("Contact saved."),
)


def _child_popup(kind: _Child, client_id: int, child_id: int | None):
    """Add or edit one address/contact; another client's id is 404."""
    client = queries.load_for_page(client_id) or abort(404)
    child = None
    if child_id is not None:
        child = db.session.get(kind.model, child_id)
        if child is None or child.client_id != client.id:
            abort(404)
    form = kind.form(prefix=kind.prefix)
    stale.carry(form)
    if request.method == "GET" and child:
        form.load(child)
        stale.remember(form)
    if form.validate_on_submit():
        try:
            if child:
                kind.update(child.id, form.to_input(), int(form.version.data or 0), current_staff)
            else:
                kind.add(client.id, form.to_input(), current_staff)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
            if isinstance(exc, StaleEdit) and child is not None:
                child = db.session.get(kind.model, child.id)  # as stored now (None: deleted)
                if child is not None:
                    stored = kind.form(formdata=None, prefix=kind.prefix)
                    stored.load(child)
                    stale.recover(form, stored, child.version)
        else:
            return unit_of_work.saved(
                kind.list_template,
                target=kind.target,
                message=str(kind.saved),
                client=queries.load_for_page(client_id),
            )
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "client": client, kind.prefix: child}
    return render_template(kind.form_template, **context), status


def address_new(client_id: int):
    return _child_popup(_ADDRESS, client_id, None)


def address_edit(client_id: int, address_id: int):
    return _child_popup(_ADDRESS, client_id, address_id)


def contact_new(client_id: int):
    return _child_popup(_CONTACT, client_id, None)


def contact_edit(client_id: int, contact_id: int):
    return _child_popup(_CONTACT, client_id, contact_id)
