"""Configurações → Tarefas: recent jobs, one job's progress (htmx polling), cancel, download.

Every page here first reaps jobs whose runner died (so none shows "em andamento" forever)
and, with the thread runner, wakes this process's job thread when jobs wait in the queue
(a web process that died before taking its job leaves it queued; any other takes it).
"""

from flask import abort, current_app, redirect, render_template, request, send_file, url_for

from portal.admin import unit_of_work
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.clients.forms import BulkActionForm
from portal.db import utcnow
from portal.errors import DomainError
from portal.extension_points import MenuEntry, add_menu_entry
from portal.i18n import _, _l
from portal.jobs import runner
from portal.jobs import service as jobs
from portal.jobs.models import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job

STATUS_LABELS = {
    QUEUED: _l("Queued"),
    RUNNING: _l("Running"),
    DONE: _l("Done"),
    FAILED: _l("Failed"),
    CANCELLED: _l("Cancelled"),
}
STATUS_BADGES = {
    QUEUED: "secondary",
    RUNNING: "primary",
    DONE: "success",
    FAILED: "danger",
    CANCELLED: "warning",
}
KIND_LABELS = dict(BulkActionForm.action.kwargs["choices"])


def init_app(app) -> None:
    add_menu_entry(app, MenuEntry(_l("Jobs"), "clientela_admin.jobs_page", 180, _l("Settings")))


def _wake() -> None:
    jobs.reap_stale()
    if runner.mode(current_app) == "thread" and jobs.queued_ids():
        runner.kick(current_app._get_current_object())


def _numbers(job: Job) -> dict:
    """Rows per second and seconds left, from the progress so far."""
    if job.started_at is None or not job.done:
        return {"rate": None, "left": None}
    end = job.finished_at or utcnow()
    elapsed = max((end - job.started_at).total_seconds(), 0.001)
    rate = job.done / elapsed
    left = (job.total - job.done) / rate if job.status == RUNNING and rate else None
    return {"rate": round(rate), "left": None if left is None else max(int(left), 0)}


def _context(job: Job) -> dict:
    mine = job.staff_id == current_staff.id
    return {
        "job": job,
        "mine": mine,
        "numbers": _numbers(job),
        "kind_label": KIND_LABELS.get(job.kind, job.kind),
        "status_label": STATUS_LABELS.get(job.status, job.status),
        "badge": STATUS_BADGES.get(job.status, "secondary"),
        "can_download": mine and jobs.download_path(job, current_staff) is not None,
        "expires_at": jobs.expires_at(job),
    }


def _own_job(job_id: int) -> Job:
    job = jobs.get(job_id)
    if job is None or job.staff_id != current_staff.id:
        abort(404)
    return job


def jobs_page():
    _wake()
    rows = [_context(job) for job in jobs.recent()]
    return render_template("clientela/admin/jobs/list.html", rows=rows)


def job_page(job_id: int):
    _wake()
    job = jobs.get(job_id)
    if job is None:
        abort(404)
    template = "_progress.html" if request.headers.get("HX-Request") else "page.html"
    return render_template(f"clientela/admin/jobs/{template}", **_context(job))


def job_cancel(job_id: int):
    job = _own_job(job_id)
    try:
        jobs.request_cancel(job)
    except DomainError as exc:
        unit_of_work.reject(exc)
        flash(exc.message, "info")
    else:
        flash(_("Cancelling: the job stops after the batch it is on."), "info")
    return redirect(url_for(".job_page", job_id=job.id), 303)


def job_download(job_id: int):
    """The export's file, only for the staff user who asked for it (404 for anyone else)."""
    job = _own_job(job_id)
    path = jobs.download_path(job, current_staff)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=job.result_name)
