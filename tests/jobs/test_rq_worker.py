"""Jobs on RQ with the machine's Redis: a worker process runs them; `kill -9` of the worker
mid-job leaves the job failed (never "em andamento" forever) and no complete-looking file.

Each run uses its own queue name (a random suffix, in every key RQ writes for us) on Redis
database CLIENTELA_TEST_REDIS_DB (default 14), and deletes only those keys afterwards."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import db
from portal.jobs.models import Job
from tests.jobs.conftest import job_id_from, poll

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = int(os.environ.get("CLIENTELA_TEST_REDIS_DB", "14"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
QUEUE = f"clientela-test-{uuid.uuid4().hex[:10]}"


def _redis():
    from redis import Redis

    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except Exception:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return client


@pytest.fixture
def redis_keys():
    client = _redis()
    yield client
    for key in client.scan_iter(match=f"*{QUEUE}*"):
        client.delete(key)
    for registry in (b"rq:queues", b"rq:workers"):  # RQ's shared sets: only our members
        for member in client.smembers(registry):
            if QUEUE.encode() in member:
                client.srem(registry, member)


pytestmark = [
    pytest.mark.xdist_group("rq"),
    pytest.mark.config(
        REDIS_URL=REDIS_URL,
        CLIENTELA_JOB_RUNNER="rq",
        CLIENTELA_JOB_QUEUE=QUEUE,
        CLIENTELA_JOB_THRESHOLD=10,
        CLIENTELA_JOB_STALE_SECONDS=2,
    ),
]


@pytest.fixture
def start_worker(app, export_dir, redis_keys):
    started = []

    def start(pause: float = 0.0):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": REDIS_URL,
            "CLIENTELA_JOB_RUNNER": "rq",
            "CLIENTELA_JOB_QUEUE": QUEUE,
            "CLIENTELA_JOB_BATCH": "2",
            "CLIENTELA_JOB_PAUSE_SECONDS": str(pause),
            "CLIENTELA_JOB_STALE_SECONDS": "2",
            "CLIENTELA_EXPORT_DIR": str(export_dir),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "clientela", "worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: the worker and its work horse
        )
        started.append(process)
        return process

    yield start
    for process in started:
        for pid in _children(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (RQ's work horse runs in a session of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _confirm_export(http, action="export_csv"):
    return http.post(
        "/admin/clientes/acoes",
        data={"action": action, "scope": "all", "filters": "", "confirmed": "1"},
    )


def test_an_rq_worker_runs_the_export(admin_http, crowd, start_worker, export_dir):
    worker = start_worker()
    job_id = job_id_from(_confirm_export(admin_http, "export_xlsx"))
    final = poll(admin_http, job_id, timeout=60)[-1]
    assert final[0] == "done", final[2]
    # The worker runs below the web workers (CLIENTELA_JOB_NICE, 10, and SCHED_IDLE on
    # Linux): a page's request takes the CPU from a running job at once.
    assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(19, os.nice(0) + 10)
    if hasattr(os, "SCHED_IDLE"):
        assert os.sched_getscheduler(worker.pid) == os.SCHED_IDLE
    assert admin_http.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 200
    assert [p.suffix for p in export_dir.iterdir()] == [".xlsx"]


def test_kill_9_of_the_worker_mid_job_fails_the_job_and_leaves_no_file(
    app, admin_http, crowd, start_worker, export_dir
):
    worker = start_worker(pause=0.5)  # 15 batches of 2 rows, half a second apart
    job_id = job_id_from(_confirm_export(admin_http))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.scalar(select(Job).where(Job.id == job_id))
            if job.status == "running" and job.done >= 4:
                break
        time.sleep(0.1)
    else:
        pytest.fail(f"the job never got going: {worker.stderr.read1().decode()}")
    assert [p.name.endswith(".part") for p in export_dir.iterdir()] == [True]
    horses = _children(worker.pid)
    assert horses, "RQ's work horse is running the job"
    for pid in [worker.pid, *horses]:  # the worker and its work horse, at once
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)
    time.sleep(2.5)  # past CLIENTELA_JOB_STALE_SECONDS without a heartbeat
    final = poll(admin_http, job_id, timeout=10)[-1]
    assert final[0] == "failed"
    assert "parou antes de terminar" in final[2]
    assert list(export_dir.iterdir()) == []  # the partial file is gone, no final one exists
    assert admin_http.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 404
    with app.app_context():
        assert db.session.get(Job, job_id).status == "failed"
