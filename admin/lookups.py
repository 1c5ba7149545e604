"""The pencil popups: list, add and edit a lookup's entries without leaving the client form."""

import json

from flask import abort, make_response, render_template, request

from portal import db
from portal.errors import DomainError, NotFound
from portal.lookups import service as lookups
from portal.lookups.forms import LookupEntryForm


def lookup_popup(slug: str, entry_id: int | None = None):
    try:
        kind = lookups.kind_named(slug)
    except NotFound:
        abort(404)
    entry = db.session.get(kind.model, entry_id) if entry_id else None
    if entry_id and entry is None:
        abort(404)
    form = LookupEntryForm(prefix="lookup")
    if request.method == "GET" and entry:
        form.load(kind, entry)
    saved = None
    if form.validate_on_submit():
        try:
            saved = lookups.save(
                kind,
                entry.id if entry else None,
                form.name.data,
                form.extra.data,
                form.is_active.data,
                int(form.version.data) if entry and form.version.data else None,
            )
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            db.session.commit()
            form = LookupEntryForm(prefix="lookup", formdata=None)
            entry = None
    form.extra.label.text = kind.extra_label or ""
    body = render_template(
        "clientela/admin/lookups/_popup.html",
        kind=kind,
        form=form,
        entry=entry,
        entries=lookups.entries(kind),
        saved=saved,
    )
    status = 422 if request.method == "POST" and saved is None else 200
    response = make_response(body, status)
    if saved is not None:
        # The client form picks the entry in its field, keeping everything else it holds.
        response.headers["HX-Trigger"] = json.dumps(
            {
                "clientela:lookupSaved": {
                    "field": kind.client_field,
                    "id": saved.id,
                    "name": saved.name,
                    "active": saved.is_active,
                }
            }
        )
    return response
