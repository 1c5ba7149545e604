"""Jobs: create, claim, advance, cancel, finish; reap the dead; purge old exports.

Views and commands call `create`, `request_cancel`, `reap_stale`, `purge_exports` with the
request's session and commit as usual (they only flush). The runner's own bookkeeping
(`claim`, `finish`, `fail`) has no request to commit for it, so it commits itself; it goes
through Core updates guarded by the job's status, so two runners never both take one job
and a job that was reaped stays failed.
"""

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from portal import db
from portal.config import setting
from portal.db import utcnow
from portal.errors import DomainError
from portal.i18n import _
from portal.jobs.models import ACTIVE, CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job
from portal.staff.models import StaffUser

PART_SUFFIX = ".part"


def create(kind: str, params: dict, actor: StaffUser | None, total: int) -> Job:
    job = Job(kind=kind, params=params, staff_id=actor.id if actor else None, total=total)
    db.session.add(job)
    db.session.flush()
    return job


def get(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def recent(limit: int = 50) -> list[Job]:
    return list(db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))


def queued_ids() -> list[int]:
    return list(db.session.scalars(select(Job.id).where(Job.status == QUEUED).order_by(Job.id)))


def request_cancel(job: Job) -> None:
    """Ask the job to stop at its next batch; a job still in the queue stops at once."""
    if job.status == QUEUED:
        _finish_where(job.id, (QUEUED,), status=CANCELLED)
        db.session.refresh(job)
    elif job.status == RUNNING:
        job.cancel_requested = True
        db.session.flush()
    else:
        raise DomainError(_("This job has already finished."))


# The runner's side --------------------------------------------------------------------------


def claim(job_id: int) -> bool:
    """Take a queued job: True for exactly one caller."""
    now = utcnow()
    taken = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == QUEUED)
        .values(status=RUNNING, started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    return bool(taken)


def beat(job_id: int) -> None:
    db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == RUNNING).values(heartbeat_at=utcnow())
    )


def advance(job_id: int, done: int, changed: int = 0) -> bool:
    """Record progress (in the caller's transaction); False when the job was asked to stop
    or is no longer running (reaped as dead)."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING)
        .values(done=done, changed=changed, heartbeat_at=utcnow())
    )
    state = db.session.execute(
        select(Job.status, Job.cancel_requested).where(Job.id == job_id)
    ).one()
    return state.status == RUNNING and not state.cancel_requested


def _finish_where(job_id: int, statuses, **values) -> bool:
    return bool(
        db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status.in_(statuses))
            .values(finished_at=utcnow(), **values)
        ).rowcount
    )


def finish(job_id: int, **values) -> bool:
    """Mark a running job done (or cancelled, with `status=CANCELLED`); commits."""
    values.setdefault("status", DONE)
    ok = _finish_where(job_id, (RUNNING,), **values)
    db.session.commit()
    return ok


def fail(job_id: int, message: str) -> None:
    _finish_where(job_id, ACTIVE, status=FAILED, error=message)
    db.session.commit()


def reap_stale(now: datetime | None = None) -> int:
    """Running jobs whose runner has not beaten for CLIENTELA_JOB_STALE_SECONDS died (a
    killed process, a lost machine): mark them failed and remove their partial files. The
    caller commits."""
    limit = (now or utcnow()) - timedelta(seconds=setting("CLIENTELA_JOB_STALE_SECONDS"))
    dead = list(
        db.session.scalars(select(Job.id).where(Job.status == RUNNING, Job.heartbeat_at < limit))
    )
    for job_id in dead:
        remove_partial(job_id)
        _finish_where(
            job_id,
            (RUNNING,),
            status=FAILED,
            error=_(
                "The process running this job stopped before finishing (the worker was "
                "restarted or died). Nothing was left half-written; start it again."
            ),
        )
    db.session.flush()
    return len(dead)


# Export files -------------------------------------------------------------------------------


def export_dir() -> Path:
    path = Path(setting("CLIENTELA_EXPORT_DIR"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_export_name(job_id: int, extension: str) -> str:
    """The stored file's name: the job id and a random part (never guessable)."""
    return f"job-{job_id}-{secrets.token_urlsafe(12)}.{extension}"


def partial_path(name: str) -> Path:
    return export_dir() / (name + PART_SUFFIX)


def remove_partial(job_id: int) -> None:
    for path in export_dir().glob(f"job-{job_id}-*{PART_SUFFIX}"):
        path.unlink(missing_ok=True)


def download_path(job: Job, staff: StaffUser) -> Path | None:
    """The finished export's file, for the staff user who asked for it only, while kept."""
    if job.staff_id != staff.id or job.status != DONE or not job.result_path:
        return None
    if is_expired(job):
        return None
    path = export_dir() / job.result_path
    return path if path.is_file() else None


def expires_at(job: Job) -> datetime | None:
    if job.finished_at is None or not job.result_path:
        return None
    return job.finished_at + timedelta(hours=setting("CLIENTELA_EXPORT_TTL_HOURS"))


def is_expired(job: Job, now: datetime | None = None) -> bool:
    end = expires_at(job)
    return end is not None and (now or utcnow()) >= end


def purge_exports(now: datetime | None = None) -> int:
    """Delete exports older than CLIENTELA_EXPORT_TTL_HOURS (and leftovers of dead jobs);
    returns how many files went. The caller commits."""
    now = now or utcnow()
    limit = now - timedelta(hours=setting("CLIENTELA_EXPORT_TTL_HOURS"))
    removed = 0
    expired = db.session.scalars(
        select(Job).where(Job.result_path.is_not(None), Job.finished_at < limit)
    ).all()
    for job in expired:
        path = export_dir() / job.result_path
        if path.exists():
            path.unlink()
            removed += 1
        job.result_path = None
    running = set(db.session.scalars(select(Job.id).where(Job.status.in_(ACTIVE))))
    kept = set(db.session.scalars(select(Job.result_path).where(Job.result_path.is_not(None))))
    for path in export_dir().iterdir():
        if not path.name.startswith("job-"):
            continue
        job_id = int(path.name.split("-")[1]) if path.name.split("-")[1].isdigit() else None
        if path.name.endswith(PART_SUFFIX):
            if job_id not in running:
                path.unlink(missing_ok=True)
                removed += 1
        elif path.name not in kept and os.stat(path).st_mtime < limit.timestamp():
            path.unlink(missing_ok=True)  # an orphan (its job row is gone)
            removed += 1
    db.session.flush()
    return removed
