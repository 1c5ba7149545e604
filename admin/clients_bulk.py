"""Bulk actions from the client list: confirm first, then run in one transaction."""

import os
from datetime import datetime
from tempfile import NamedTemporaryFile
from urllib.parse import parse_qs, parse_qsl, urlencode

from flask import (
    Response,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import MultiDict

from portal.admin import unit_of_work
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.clients import bulk, queries
from portal.clients.forms import BulkActionForm, ClientListForm, optional_int
from portal.errors import DomainError
from portal.i18n import _
from portal.lookups import service as lookups

ACTION_LABELS = dict(BulkActionForm.action.kwargs["choices"])


def _filters_from(query: str):
    form = ClientListForm(MultiDict([(k, v) for k, vs in parse_qs(query).items() for v in vs]))
    return form.to_filters()


def _form() -> BulkActionForm:
    form = BulkActionForm()
    form.status_id.choices = [(s.id, s.name) for s in queries.statuses()]
    form.seller_id.choices = [(None, _("None (remove)"))] + [
        (e.id, e.name) for e in lookups.entries(lookups.kind_named("vendedores"), active_only=True)
    ]
    return form


def clients_bulk():
    form = _form()
    # Re-encoded: the posted text never reaches the Location header as typed (CR/LF: a 500).
    filters = urlencode(parse_qsl(form.filters.data or "", keep_blank_values=True))
    back = url_for(".clients_list") + (f"?{filters}" if filters else "")
    if (
        not form.validate_on_submit()
        or form.action.data not in ACTION_LABELS
        or not form.action.data
    ):
        flash(_("Choose an action for the selected clients."), "info")
        return redirect(back)
    ids = [i for i in (optional_int(v) for v in request.form.getlist("ids")) if i]
    try:
        target = bulk.targets(_filters_from(form.filters.data or ""), ids, form.scope.data == "all")
        total = bulk.count(target)
        if not form.confirmed.data:
            return render_template(
                "clientela/admin/clients/bulk_confirm.html",
                form=form,
                ids=ids,
                total=total,
                action_label=ACTION_LABELS[form.action.data],
                back=back,
            )
        if form.action.data == "export_csv":
            return _csv(target)
        if form.action.data == "export_xlsx":
            return _xlsx(target)
        changed = _run(form, target)
    except DomainError as exc:
        unit_of_work.reject(exc)
        flash(exc.message, "info")
        return redirect(back)
    flash(
        _(
            "%(changed)s client(s) changed out of %(total)s selected.",
            changed=changed,
            total=total,
        ),
        "success",
    )
    return redirect(back)


def _run(form: BulkActionForm, target) -> int:
    actor = current_staff._get_current_object()
    if form.action.data == "status":
        if form.status_id.data is None:
            raise DomainError(_("Choose the new status."))
        return bulk.change_status(target, form.status_id.data, actor)
    if form.action.data == "tag_add":
        return bulk.add_tag(target, form.tag.data, actor)
    if form.action.data == "tag_remove":
        return bulk.remove_tag(target, form.tag.data, actor)
    return bulk.assign_seller(target, form.seller_id.data, actor)


def _filename(extension: str) -> str:
    return f"clientes-{datetime.now():%Y%m%d-%H%M}.{extension}"


def _csv(target) -> Response:
    response = Response(
        stream_with_context(bulk.csv_chunks(target)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _xlsx(target) -> Response:
    """Written to a temporary file (openpyxl's write-only mode), removed once it is sent."""
    with NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = handle.name
    bulk.xlsx_file(target, path)
    response = send_file(
        path,
        as_attachment=True,
        download_name=_filename("xlsx"),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.call_on_close(lambda: os.unlink(path))
    return response
