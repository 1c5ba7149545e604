"""Bulk actions from the client list: check, confirm, then run at once or as a job.

A selection of at most CLIENTELA_JOB_THRESHOLD clients runs inside the request, as before
(an action all-or-nothing in one transaction, an export downloaded at once); a larger one
becomes a background job (`portal.jobs`) and the clerk lands on its progress page. The
action's own parameters (tag, status, seller) are checked before the confirmation, and any
refusal re-renders the confirmation page with the selection kept.
"""

import os
from datetime import datetime
from tempfile import NamedTemporaryFile
from urllib.parse import parse_qs, parse_qsl, urlencode

from flask import (
    Response,
    current_app,
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
from portal.clients import bulk, exports, queries
from portal.clients.forms import BulkActionForm, ClientListForm, optional_int
from portal.config import setting
from portal.errors import DomainError
from portal.i18n import _
from portal.jobs import runner, tasks
from portal.jobs import service as jobs
from portal.lookups import service as lookups

ACTION_LABELS = dict(BulkActionForm.action.kwargs["choices"])
CONFIRM_TEMPLATE = "clientela/admin/clients/bulk_confirm.html"


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


def _options(form: BulkActionForm) -> dict:
    return {
        "tag": form.tag.data,
        "status_id": form.status_id.data,
        "seller_id": form.seller_id.data,
    }


def clients_bulk():
    form = _form()
    # Re-encoded: the posted text never reaches the Location header as typed (CR/LF: a 500).
    filters = urlencode(parse_qsl(form.filters.data or "", keep_blank_values=True))
    back = url_for(".clients_list") + (f"?{filters}" if filters else "")
    action = form.action.data
    if not form.validate_on_submit() or action not in ACTION_LABELS or not action:
        flash(_("Choose an action for the selected clients."), "info")
        return redirect(back)
    ids = [i for i in (optional_int(v) for v in request.form.getlist("ids")) if i]
    all_matching = form.scope.data == "all"
    filters = _filters_from(form.filters.data or "")
    try:
        target = bulk.targets(filters, ids, all_matching)
    except DomainError as exc:  # nothing (or too much) ticked: back to the list to choose
        flash(exc.message, "info")
        return redirect(back)
    total = bulk.count(target)
    background = total > setting("CLIENTELA_JOB_THRESHOLD")

    def confirm(error: DomainError | None = None):
        page = render_template(
            CONFIRM_TEMPLATE,
            form=form,
            ids=ids,
            total=total,
            background=background,
            batch=setting("CLIENTELA_JOB_BATCH"),
            ttl_hours=setting("CLIENTELA_EXPORT_TTL_HOURS"),
            action_label=ACTION_LABELS[action],
            error=error,
            back=back,
        )
        if error is None:
            return page
        unit_of_work.reject()
        return page, 422

    try:
        if action in bulk.ACTIONS:
            bulk.check(action, **_options(form))
    except DomainError as exc:
        return confirm(exc)
    if not form.confirmed.data:
        return confirm()
    if background:
        job = jobs.create(
            action,
            tasks.params_for(filters, ids, all_matching, **_options(form)),
            current_staff._get_current_object(),
            total,
        )
        app, job_id = current_app._get_current_object(), job.id
        unit_of_work.after_commit(lambda: runner.submit(app, job_id))
        return redirect(url_for(".job_page", job_id=job.id))
    if action == "export_csv":
        return _csv(target, filters.sort)
    if action == "export_xlsx":
        return _xlsx(target, filters.sort)
    try:
        changed = bulk.run(action, target, current_staff._get_current_object(), **_options(form))
    except DomainError as exc:
        return confirm(exc)
    flash(
        _(
            "%(changed)s client(s) changed out of %(total)s selected.",
            changed=changed,
            total=total,
        ),
        "success",
    )
    return redirect(back)


def _filename(extension: str) -> str:
    return tasks.download_name(f"export_{extension}", datetime.now().astimezone())


def _csv(target, sort: str) -> Response:
    response = Response(
        stream_with_context(bulk.csv_chunks(target, sort)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _xlsx(target, sort: str) -> Response:
    """Written to a temporary file (openpyxl's write-only mode), removed once it is sent."""
    with NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = handle.name
    bulk.xlsx_file(target, path, sort)
    response = send_file(
        path,
        as_attachment=True,
        download_name=_filename("xlsx"),
        mimetype=exports.XLSX_MIMETYPE,
    )
    response.call_on_close(lambda: os.unlink(path))
    return response
