"""The Situações page: the client statuses staff add, rename, reorder and flag."""

from flask import abort, redirect, render_template, request, url_for

from portal import db
from portal.admin.messages import flash
from portal.clients import queries, statuses
from portal.clients.forms import ClientStatusForm
from portal.clients.models import ClientStatus
from portal.errors import DomainError, NotFound


def statuses_page(status_id: int | None = None):
    status = db.session.get(ClientStatus, status_id) if status_id else None
    if status_id and status is None:
        abort(404)
    form = ClientStatusForm(prefix="status")
    if request.method == "GET" and status:
        form.load(status)
    if form.validate_on_submit():
        data = statuses.StatusInput(
            name=form.name.data,
            position=form.position.data,
            grants_access=form.grants_access.data,
            is_default=form.is_default.data,
        )
        version = int(form.version.data) if status and form.version.data.isdigit() else None
        try:
            saved = statuses.save(status.id if status else None, data, version)
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            db.session.commit()
            message = f"Situação “{saved.status.name}” gravada."
            if saved.regrouped:
                message += f" {saved.regrouped} cliente(s) mudaram de grupo nos contadores."
            flash(message, "success")
            return redirect(url_for(".statuses_page"))
    entries = queries.statuses()
    return render_template(
        "clientela/admin/clients/statuses.html",
        form=form,
        entry=status,
        entries=entries,
        in_use=queries.statuses_in_use(),
    ), 422 if request.method == "POST" else 200


def status_delete(status_id: int):
    try:
        name = statuses.delete(status_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(f"Situação “{name}” excluída.", "success")
    return redirect(url_for(".statuses_page"))
