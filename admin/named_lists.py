"""The back office's editable named lists: one view and one template set for all of them.

A `Screen` says where a `NamedList` lives in the back office: its URLs (endpoints), the
prefix of its form fields, and whether it is a page of its own (Situações, Tipos de Pedidos)
or a popup over the client form (the lookups' pencils). The rules are the kinds' own.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from portal import db
from portal.admin import unit_of_work
from portal.admin.messages import flash
from portal.clients.statuses import CLIENT_STATUSES
from portal.errors import DomainError, NotFound
from portal.i18n import _l, lazy_pgettext
from portal.lookups import service as lookups
from portal.named_lists import EntryInput, NamedList
from portal.orders import lists as order_lists
from portal.text import LIST_POSITION_LENGTH

PAGE_TEMPLATE = "clientela/admin/named_lists/page.html"
POPUP_TEMPLATE = "clientela/admin/named_lists/_popup.html"


@dataclass(frozen=True)
class Screen:
    kind: NamedList
    prefix: str  # of the form's field names ("status-name")
    endpoint: str  # the list (and "add" form)
    entry_endpoint: str  # one entry's edit form; takes `entry_arg`
    entry_arg: str = "entry_id"
    url_args: dict = field(default_factory=dict)
    delete_endpoint: str | None = None
    popup: bool = False

    def url(self, entry=None) -> str:
        if entry is None:
            return url_for(self.endpoint, **self.url_args)
        return url_for(self.entry_endpoint, **self.url_args, **{self.entry_arg: entry.id})

    def delete_url(self, entry) -> str:
        return url_for(self.delete_endpoint, **self.url_args, **{self.entry_arg: entry.id})


CLIENT_STATUSES_SCREEN = Screen(
    CLIENT_STATUSES,
    prefix="status",
    endpoint=".statuses_page",
    entry_endpoint=".status_edit",
    entry_arg="status_id",
    delete_endpoint=".status_delete",
)
ORDER_SCREENS = {
    kind.slug: Screen(
        kind,
        prefix="entry",
        endpoint=".order_list_page",
        entry_endpoint=".order_list_entry",
        url_args={"slug": kind.slug},
    )
    for kind in order_lists.KINDS.values()
}
LOOKUP_SCREENS = {
    kind.slug: Screen(
        kind,
        prefix="lookup",
        endpoint=".lookup_popup",
        entry_endpoint=".lookup_entry",
        url_args={"slug": kind.slug},
        popup=True,
    )
    for kind in lookups.KINDS.values()
}


@cache
def form_class(kind: NamedList) -> type[FlaskForm]:
    """The form of one kind: name, position and active flag when it has them, its fields."""
    attrs = {
        "name": StringField(_l("Name"), render_kw={"maxlength": kind.name_max}),
        "version": HiddenField(),
    }
    if kind.positioned:
        attrs["position"] = StringField(
            lazy_pgettext("list position", "Position"),
            default="0",
            render_kw={"inputmode": "numeric", "maxlength": LIST_POSITION_LENGTH},
        )
    if kind.has_active:
        attrs["is_active"] = BooleanField(lazy_pgettext("list entry", "Active"), default=True)
    for f in kind.fields:
        if f.type == "bool":
            attrs[f.name] = BooleanField(f.label)
        elif f.type == "textarea":
            limit = {"maxlength": f.max_length} if f.max_length else {}
            attrs[f.name] = TextAreaField(f.label, render_kw={"rows": 2, **limit})
        else:
            limit = {"maxlength": f.max_length} if f.max_length else {}
            attrs[f.name] = StringField(f.label, render_kw=limit)
    return type(f"{type(kind).__name__}Form", (FlaskForm,), attrs)


def _load_form(form, kind: NamedList, entry) -> None:
    form.name.data = entry.name
    form.version.data = str(entry.version)
    if kind.positioned:
        form.position.data = str(entry.position)
    if kind.has_active:
        form.is_active.data = entry.is_active
    for f in kind.fields:
        form[f.name].data = getattr(entry, f.attr)


def _input(form, kind: NamedList) -> EntryInput:
    return EntryInput(
        name=form.name.data,
        position=form.position.data if kind.positioned else 0,
        is_active=form.is_active.data if kind.has_active else True,
        values={f.name: form[f.name].data for f in kind.fields},
    )


# Views ----------------------------------------------------------------------------------


def statuses_page(status_id: int | None = None):
    return _edit(CLIENT_STATUSES_SCREEN, status_id)


def status_delete(status_id: int):
    return _delete(CLIENT_STATUSES_SCREEN, status_id)


def order_list_page(slug: str, entry_id: int | None = None):
    return _edit(ORDER_SCREENS.get(slug) or abort(404), entry_id)


def lookup_popup(slug: str, entry_id: int | None = None):
    return _edit(LOOKUP_SCREENS.get(slug) or abort(404), entry_id)


def _edit(screen: Screen, entry_id: int | None):
    """The list with its form: add (no id) or edit one entry; a page, or a popup's body."""
    kind = screen.kind
    entry = db.session.get(kind.model, entry_id) if entry_id else None
    if entry_id and entry is None:
        abort(404)
    form = form_class(kind)(prefix=screen.prefix)
    if request.method == "GET" and entry:
        _load_form(form, kind, entry)
    saved = None
    if form.validate_on_submit():
        version = form.version.data or ""
        expected = int(version) if entry and version.isdigit() else None
        try:
            saved = kind.save(entry.id if entry else None, _input(form, kind), expected)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
        else:
            if not screen.popup:
                message = kind.noun.say("saved", name=saved.entry.name)
                flash(" ".join([message, *saved.notes]), "success")
                return redirect(screen.url())
            form, entry = form_class(kind)(prefix=screen.prefix, formdata=None), None
    context = {
        "screen": screen,
        "kind": kind,
        "form": form,
        "entry": entry,
        "entries": kind.entries(),
        "in_use": kind.in_use(),
    }
    if not screen.popup:
        status = 422 if request.method == "POST" else 200
        return render_template(PAGE_TEMPLATE, **context), status
    return _popup_response(screen, saved, context)


def _popup_response(screen: Screen, saved, context: dict):
    kind = screen.kind
    message = None
    if saved is not None:
        entry = saved.entry
        phrase = "saved_selected" if entry.is_active else "saved"
        message = kind.noun.say(phrase, name=entry.name)
    body = render_template(POPUP_TEMPLATE, saved_message=message, **context)
    response = make_response(body, 200 if saved or request.method == "GET" else 422)
    if saved is not None:
        # The client form picks the entry in its field, keeping everything else it holds.
        response.headers["HX-Trigger"] = json.dumps(
            {
                "clientela:lookupSaved": {
                    "field": kind.client_field,
                    "id": saved.entry.id,
                    "name": saved.entry.name,
                    "active": saved.entry.is_active,
                }
            }
        )
    return response


def _delete(screen: Screen, entry_id: int):
    kind = screen.kind
    try:
        name = kind.delete(entry_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        unit_of_work.reject()
        flash(exc.message, "danger")
    else:
        flash(kind.noun.say("deleted", name=name), "success")
    return redirect(screen.url())
