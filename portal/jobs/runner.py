"""Where jobs run: RQ worker processes with `REDIS_URL`, else a thread of the web process.

- **RQ** (`CLIENTELA_JOB_RUNNER=rq`, or `auto` with `REDIS_URL`): `submit` puts the job's id
  on the `CLIENTELA_JOB_QUEUE` queue; `flask --app portal clientela worker` runs RQ's worker,
  which forks a work horse per job that calls `rq_entry(job_id)`.
- **Thread** (the default without Redis): `submit` wakes a thread of this process that
  drains every queued job from the database, one at a time, and ends when none is left; no
  thread lives while nothing is queued. Any process's thread may take any queued job.

Either way `execute` claims the job in the database (exactly one runner gets it), beats a
heartbeat from a side thread while it runs (so a slow batch is never taken for a dead
worker), records a failure with its message in Portuguese, and purges expired exports
afterwards. A runner that dies stops beating: `service.reap_stale` marks its job failed.
"""

import logging
import threading
import weakref

from flask import Flask

from portal import db
from portal.config import setting
from portal.errors import DomainError
from portal.i18n import _
from portal.jobs import service, tasks

logger = logging.getLogger(__name__)


def mode(app: Flask) -> str:
    chosen = setting("CLIENTELA_JOB_RUNNER", app)
    if chosen in ("rq", "thread"):
        return chosen
    return "rq" if setting("REDIS_URL", app) else "thread"


def submit(app: Flask, job_id: int) -> None:
    """Hand a committed, queued job to the runner."""
    if mode(app) == "rq":
        try:
            enqueue_rq(app, job_id)
            return
        except Exception:  # Redis unreachable: the job still runs, here
            logger.warning("jobs: RQ unreachable, job %s runs on a thread instead", job_id)
    kick(app)


# Running one job ------------------------------------------------------------------------------


class _Heartbeat(threading.Thread):
    def __init__(self, app: Flask, job_id: int) -> None:
        super().__init__(daemon=True, name=f"clientela-job-{job_id}-heartbeat")
        self.app, self.job_id = app, job_id
        self.stop = threading.Event()
        self.every = max(0.5, setting("CLIENTELA_JOB_STALE_SECONDS", app) / 4)

    def run(self) -> None:
        while not self.stop.wait(self.every):
            try:
                with self.app.app_context():
                    service.beat(self.job_id)
                    db.session.commit()
            except Exception:
                logger.exception("jobs: heartbeat of job %s failed", self.job_id)


def execute(app: Flask, job_id: int) -> None:
    """Claim and run one job in its own app context; never raises."""
    with app.app_context():
        db.open_job_session()
        if not service.claim(job_id):
            return
        heartbeat = _Heartbeat(app, job_id)
        heartbeat.start()
        try:
            tasks.run(job_id)
        except DomainError as exc:
            db.session.rollback()
            service.fail(job_id, exc.message)
        except Exception:
            logger.exception("jobs: job %s failed", job_id)
            db.session.rollback()
            service.fail(
                job_id,
                _("An unexpected error stopped this job. The team was notified in the log."),
            )
        finally:
            heartbeat.stop.set()
            heartbeat.join(timeout=5)
        try:
            service.purge_exports()
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("jobs: purging old exports failed")


# The thread runner ----------------------------------------------------------------------------


class _Drain:
    """One per app: a thread that runs the queued jobs while there are any."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending = False
        self.thread: threading.Thread | None = None

    def kick(self, app: Flask) -> None:
        with self.lock:
            self.pending = True
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, args=(app,), daemon=True, name="clientela-jobs"
                )
                self.thread.start()

    def _run(self, app: Flask) -> None:
        while True:
            with self.lock:
                if not self.pending:
                    self.thread = None
                    return
                self.pending = False
            try:
                with app.app_context():
                    ids = service.queued_ids()
                for job_id in ids:
                    execute(app, job_id)
            except Exception:
                logger.exception("jobs: the job thread failed")


_drains: "weakref.WeakKeyDictionary[Flask, _Drain]" = weakref.WeakKeyDictionary()
_drains_lock = threading.Lock()


def kick(app: Flask) -> None:
    """Run the queued jobs on this process's job thread (started if needed)."""
    with _drains_lock:
        drain = _drains.setdefault(app, _Drain())
    drain.kick(app)


def wait_idle(app: Flask, timeout: float = 30) -> bool:
    """Wait until this process's job thread has nothing left (tests, benchmarks)."""
    drain = _drains.get(app)
    thread = drain.thread if drain else None
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


# RQ ---------------------------------------------------------------------------------------


def _redis(app: Flask):
    from redis import Redis

    return Redis.from_url(setting("REDIS_URL", app))


def queue(app: Flask):
    from rq import Queue

    return Queue(setting("CLIENTELA_JOB_QUEUE", app), connection=_redis(app))


def enqueue_rq(app: Flask, job_id: int) -> None:
    name = setting("CLIENTELA_JOB_QUEUE", app)
    queue(app).enqueue(
        "portal.jobs.runner.rq_entry",
        job_id,
        job_id=f"{name}-{job_id}",
        job_timeout=setting("CLIENTELA_JOB_TIMEOUT_SECONDS", app),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


WORKER_APP: Flask | None = None  # set by `flask clientela worker` before it starts


def rq_entry(job_id: int) -> None:
    """What RQ's work horse calls: the job, in the worker's app (fresh connections)."""
    app = WORKER_APP
    if app is None:
        raise RuntimeError("start the worker with `flask --app portal clientela worker`")
    engine = app.extensions["clientela"].engine
    for forked in (engine, db.job_engine(engine)):
        forked.dispose(close=False)  # never share a forked socket
    execute(app, job_id)


def run_worker(app: Flask, *, burst: bool = False) -> None:
    """`flask clientela worker`: RQ's worker with REDIS_URL, else drain the database's queue."""
    global WORKER_APP
    WORKER_APP = app
    with app.app_context():
        service.reap_stale()
        service.purge_exports()
        db.session.commit()
    if mode(app) == "rq":
        from rq import Worker

        name = setting("CLIENTELA_JOB_QUEUE", app)
        worker = Worker([queue(app)], connection=_redis(app), name=f"{name}-{_unique()}")
        worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
        return
    import time

    while True:
        with app.app_context():
            service.reap_stale()
            db.session.commit()
            ids = service.queued_ids()
        for job_id in ids:
            execute(app, job_id)
        if burst and not ids:
            return
        time.sleep(1)


def _unique() -> str:
    import os
    import secrets

    return f"{os.getpid()}-{secrets.token_hex(3)}"
