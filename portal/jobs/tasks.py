"""The work of each job kind, in batches: exports (CSV, XLSX) and bulk actions on clients.

A job records its progress and looks for "Cancelar" at checkpoints: after a batch, once
CLIENTELA_JOB_CHECKPOINT_SECONDS have passed since the last one (and after the last batch).
A commit per 1,000-row batch meant dozens a second: each one made every SQLite web
connection drop its page cache, and on PostgreSQL each waited for a WAL flush (jobs ran
2-4x faster once that stopped).

- **Exports** write to `<name>.part` and are renamed to their final name only once the
  last row is written and flushed: a file with the final name is always complete. A
  cancelled (or dead) export leaves no file.
- **Bulk actions** commit at each checkpoint (the whole batches done since the last one,
  with their history rows, versions and counters, and the job's progress, in one
  transaction). Cancelling keeps what the finished batches did and says how many clients
  changed; the confirmation page says so. (One
  transaction over a million rows would hold the table's write lock for the whole run on
  SQLite and bloat PostgreSQL's undo; small selections still run all-or-nothing at once.)
"""

import os
import time
from contextlib import ExitStack
from dataclasses import asdict, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal import db
from portal.clients import bulk
from portal.clients.exports import CsvWriter, XlsxWriter, export_batches
from portal.clients.models import Client
from portal.clients.search import ClientFilters
from portal.config import setting
from portal.jobs import service
from portal.jobs.models import CANCELLED, RUNNING, Job
from portal.staff.models import StaffUser

EXPORT_EXTENSIONS = {"export_csv": "csv", "export_xlsx": "xlsx"}


def params_for(filters: ClientFilters, ids: list[int], all_matching: bool, **extra) -> dict:
    """What a job needs to find its clients again (JSON), from the list's filters."""
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(filters).items()}
    return {"filters": values, "ids": ids, "all": all_matching, **extra}


def filters_from(params: dict) -> ClientFilters:
    values = dict(params.get("filters") or {})
    for f in fields(ClientFilters):
        if f.name in ("created_from", "created_to") and values.get(f.name):
            values[f.name] = date.fromisoformat(values[f.name])
    return ClientFilters(**{k: v for k, v in values.items() if k in ClientFilters.__annotations__})


def download_name(kind: str, at: datetime | None = None) -> str:
    zone = ZoneInfo(setting("BABEL_DEFAULT_TIMEZONE"))
    moment = (at or datetime.now(zone)).astimezone(zone)
    return f"clientes-{moment:%Y%m%d-%H%M}.{EXPORT_EXTENSIONS[kind]}"


def run(job_id: int) -> None:
    """Do a claimed job to its end (done, cancelled), or raise."""
    job = db.session.get(Job, job_id)
    kind, params, staff_id = job.kind, dict(job.params), job.staff_id
    target = bulk.targets(filters_from(params), params.get("ids") or [], params.get("all"))
    db.session.commit()  # no transaction stays open across the batches
    if kind in EXPORT_EXTENSIONS:
        _export(job_id, kind, target, params.get("filters", {}).get("sort", "name"))
    else:
        _action(job_id, kind, target, staff_id, params)


CONTENDED = 0.2  # share of a batch's time some task waited for a CPU


class _Pacer:
    """Rests between batches while the machine's CPUs are contended.

    A job is background work. Even at idle CPU priority a job running flat out takes every
    idle moment between requests, and the pages then run on caches it trashed; on two
    cores the list page lost up to half its rate. After each batch the job reads Linux's
    CPU pressure (/proc/pressure/cpu: the time some task was ready to run but had to wait
    for a CPU); when that was at least a fifth of the batch's time, it rests
    CLIENTELA_JOB_YIELD times as long as the batch took (plus CLIENTELA_JOB_PAUSE_SECONDS,
    always). A job alone on the machine, PostgreSQL working for it included, is not
    slowed: the job and the database take turns, nobody waits for a CPU."""

    def __init__(self) -> None:
        self.factor = setting("CLIENTELA_JOB_YIELD")
        self.pause = setting("CLIENTELA_JOB_PAUSE_SECONDS")
        self._mark()

    def rest(self) -> None:
        seconds = self.pause
        stalled, span = _cpu_stall_seconds(), time.monotonic() - self.wall
        known = stalled is not None and self.stalled is not None and span > 0
        if self.factor > 0 and known and (stalled - self.stalled) / span >= CONTENDED:
            seconds += self.factor * span
        if seconds > 0:
            time.sleep(seconds)
        self._mark()

    def _mark(self) -> None:
        self.wall, self.stalled = time.monotonic(), _cpu_stall_seconds()


def _cpu_stall_seconds() -> float | None:
    """Seconds, since boot, during which some task waited for a CPU (Linux's pressure stall
    information), or None where the kernel does not expose it."""
    try:
        with open("/proc/pressure/cpu", "rb") as pressure:
            first = pressure.readline().split()
        return int(first[-1].split(b"=")[1]) / 1_000_000
    except (OSError, ValueError, IndexError):
        return None


class _Checkpoints:
    """Says when a checkpoint is due: the first batch, then once every
    CLIENTELA_JOB_CHECKPOINT_SECONDS."""

    def __init__(self) -> None:
        self.every = setting("CLIENTELA_JOB_CHECKPOINT_SECONDS")
        self.last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.every:
            return False
        self.last = now
        return True


def _stopped(job_id: int) -> None:
    """After `advance` said stop: cancelled when asked (else the job was reaped as dead)."""
    db.session.rollback()
    state = db.session.execute(
        select(Job.status, Job.cancel_requested).where(Job.id == job_id)
    ).one()
    if state.status == RUNNING and state.cancel_requested:
        service.finish(job_id, status=CANCELLED)


def _export(job_id: int, kind: str, target, sort: str) -> None:
    name = service.new_export_name(job_id, EXPORT_EXTENSIONS[kind])
    part = service.partial_path(name)
    final = part.with_name(name)
    done = 0
    checkpoints, pacer = _Checkpoints(), _Pacer()
    try:
        with ExitStack() as stack:
            handle = None
            if kind == "export_csv":
                handle = stack.enter_context(open(part, "w", encoding="utf-8", newline=""))
                writer = CsvWriter(handle)
            else:
                writer = XlsxWriter(part)
            for rows in export_batches(target, sort, setting("CLIENTELA_JOB_BATCH")):
                writer.write(rows)
                done += len(rows)
                if checkpoints.due():
                    going = service.advance(job_id, done)
                    db.session.commit()
                    if not going:
                        raise _Stop
                pacer.rest()
            if handle is not None:
                handle.flush()
                os.fsync(handle.fileno())
            else:
                writer.close()
        os.replace(part, final)  # only a complete file ever has the final name
    except _Stop:
        part.unlink(missing_ok=True)
        _stopped(job_id)
        return
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if not service.finish(job_id, done=done, result_path=name, result_name=download_name(kind)):
        final.unlink(missing_ok=True)  # reaped meanwhile: nobody will fetch it


class _Stop(Exception):
    """The job was cancelled (or reaped) between batches."""


def _action(job_id: int, kind: str, target, staff_id: int | None, params: dict) -> None:
    actor = db.session.get(StaffUser, staff_id) if staff_id else None
    done = changed = 0
    checkpoints, pacer = _Checkpoints(), _Pacer()
    options = {k: params.get(k) for k in ("tag", "status_id", "seller_id")}
    for ids in bulk.id_batches(target, setting("CLIENTELA_JOB_BATCH")):
        changed += bulk.run(kind, select(Client.id).where(Client.id.in_(ids)), actor, **options)
        done += len(ids)
        if checkpoints.due():
            going = service.advance(job_id, done, changed)
            db.session.commit()  # the batches since the last checkpoint and their progress
            if not going:
                _stopped(job_id)
                return
        pacer.rest()
    service.finish(job_id, done=done, changed=changed)  # commits the last batches with it
