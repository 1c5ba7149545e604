"""Exports and a bulk tag over every client, through the job runner, with and without Redis.

`python bench/bulk_jobs.py` (no arguments: 1,000,000 clients; the database is the one
bench/seed.py builds for bench/list_clients.py, `bench/.data/clientela_bench_1000000.db` and
`clientela_bench_1000000` on PostgreSQL, seeded here when missing). For each engine and each
runner ("thread": no Redis, the job runs on a thread of a gunicorn worker, as `make run`
starts it; "rq": REDIS_URL set and `flask clientela worker` beside gunicorn) it serves the
app with gunicorn exactly as `make run` does, signs in, and then:

- warms the list page up (BENCH_LOAD_SECONDS of load, not counted);
- for each of "Exportar CSV", "Exportar XLSX" and "Adicionar etiqueta" over all clients:
  measures the list page's req/s with no job (wrk -t2 -c8, or 8 Python threads without
  wrk; BENCH_LOAD_SECONDS), confirms the action as a clerk does (POST with the CSRF
  token), and measures the list while the job runs. With RQ: BENCH_PAIRS (5) pairs of
  2-second windows, the work horse paused (SIGSTOP) in the first of each pair and running
  in the second; the ratio is median(running) / median(paused), so both sides are measured
  at the same moments of a machine whose speed drifts. With the thread runner (the job shares a
  gunicorn worker, which cannot be paused alone): the first BENCH_LOAD_SECONDS of the job
  against the quiet measure just before it. The memory of the processes that run jobs is
  sampled for the whole job: private (RssAnon + RssShmem, sampled peak) and resident (VmHWM);
- reads rows/s from the job's own start and end times, minus the time it was paused.

The tag it adds is removed afterwards (with its history rows), so the databases stay as
bench/list_clients.py expects. The last line is JSON: `export_csv_rows_per_s`,
`export_xlsx_rows_per_s`, `tag_rows_per_s`, `worker_peak_mb` (private),
`worker_peak_rss_mb` (resident, with SQLite's mmapped file pages), `list_during_job_ratio`
(each the worst over engines and runners), and every figure per engine and runner.

Options: BENCH_CLIENTS (default 1000000), BENCH_ENGINES (default "sqlite,postgresql"),
BENCH_RUNNERS (default "thread,rq"), BENCH_PG_URL, BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13; the keys use a queue name of their own and are deleted),
BENCH_LOAD_SECONDS (default 10), BENCH_BATCH (rows per batch, default: the setting's 1000),
BENCH_PAIRS (default 5), BENCH_JOBS (default "export_csv,export_xlsx,tag").
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import BENCH_STAFF, prepared_app  # noqa: E402
from wrk import requests_per_second  # noqa: E402

SIZE = int(os.environ.get("BENCH_CLIENTS", "1000000"))
ENGINES = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
RUNNERS = os.environ.get("BENCH_RUNNERS", "thread,rq").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
BATCH = os.environ.get("BENCH_BATCH")
CONNECTIONS = 8
PAIRS = int(os.environ.get("BENCH_PAIRS", "5"))  # paused/running windows per RQ job
WINDOW = 2.0  # seconds per window
STAFF = BENCH_STAFF
TAG = "bench-tarefa"
JOBS = [
    job
    for job in (
        ("export_csv", "export_csv", {}),
        ("export_xlsx", "export_xlsx", {}),
        ("tag", "tag_add", {"tag": TAG}),
    )
    if job[0] in os.environ.get("BENCH_JOBS", "export_csv,export_xlsx,tag").split(",")
]
DATA = ROOT / "bench" / ".data"
VENV_BIN = Path(sys.executable).parent


def database_url(engine: str) -> str | None:
    name = f"clientela_bench_{SIZE}"
    if engine == "sqlite":
        DATA.mkdir(exist_ok=True)
        return f"sqlite:///{DATA / (name + '.db')}"
    admin_url = sa.engine.make_url(PG_URL)
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            if not connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ):
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL unreachable, skipped: {exc.orig}", file=sys.stderr)
        return None
    return admin_url.set(database=name).render_as_string(hide_password=False)


def prepare(url: str) -> None:
    app = prepared_app(url, SIZE)
    app.extensions["clientela"].engine.dispose()


def cleanup(url: str) -> None:
    """Take the bench's tag off again, with its history rows (the list bench's data stays)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tag_id = connection.scalar(
            sa.text("SELECT id FROM clientela_tags WHERE name = :n"), {"n": TAG}
        )
        if tag_id:
            connection.execute(
                sa.text("DELETE FROM clientela_client_tags WHERE tag_id = :t"), {"t": tag_id}
            )
            connection.execute(sa.text("DELETE FROM clientela_tags WHERE id = :t"), {"t": tag_id})
        connection.execute(
            sa.text("DELETE FROM clientela_client_changes WHERE action = 'bulk_tag'")
        )
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
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


def memory_mb(pid: int) -> tuple[float, float]:
    """(private, peak resident) MB of a process: RssAnon + RssShmem now, and VmHWM.

    The peak resident size counts the database file pages SQLite reads through its mmap
    (up to 256 MB, `portal/db.py`): file pages shared with the OS cache and dropped under
    pressure, not memory the job holds; the target is about the private part."""
    try:
        status = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return 0.0, 0.0
    fields = dict(re.findall(r"^(\w+):\s+(\d+) kB", status, re.MULTILINE))
    private = int(fields.get("RssAnon", 0)) + int(fields.get("RssShmem", 0))
    return private / 1024, int(fields.get("VmHWM", 0)) / 1024


class Served:
    """gunicorn as `make run` starts it (and the RQ worker for the "rq" runner)."""

    def __init__(self, url: str, runner: str, export_dir: Path) -> None:
        self.port = free_port()
        self.queue = f"clientela-bench-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "CLIENTELA_JOB_THRESHOLD": "1000",
            "CLIENTELA_JOB_RUNNER": runner,
            "CLIENTELA_JOB_QUEUE": self.queue,
            "CLIENTELA_EXPORT_DIR": str(export_dir),
            "CLIENTELA_LOGIN_LIMIT_IP": "1000 per minute",
        }
        if BATCH:
            self.env["CLIENTELA_JOB_BATCH"] = BATCH
        if runner == "rq":
            self.env["REDIS_URL"] = REDIS_URL
        else:
            self.env.pop("REDIS_URL", None)
        self.processes = []
        self.gunicorn = self._start(
            [
                str(VENV_BIN / "gunicorn"),
                *GUNICORN_FLAGS,
                "--bind",
                f"127.0.0.1:{self.port}",
                "portal:create_app()",
            ]
        )
        self.worker = (
            self._start([str(VENV_BIN / "flask"), "--app", "portal", "clientela", "worker"])
            if runner == "rq"
            else None
        )
        self.base = f"http://127.0.0.1:{self.port}"
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.base + "/admin/login", timeout=10)
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def _start(self, command):
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def job_processes(self) -> list[int]:
        if self.worker is not None:
            return children(self.worker.pid)  # RQ's work horses
        return children(self.gunicorn.pid)  # gunicorn workers (the job thread lives there)

    def stop(self) -> None:
        for process in self.processes:
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        if self.worker is not None:
            from redis import Redis

            client = Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=f"*{self.queue}*"):
                client.delete(key)
            for registry in (b"rq:queues", b"rq:workers"):
                for member in client.smembers(registry):
                    if self.queue.encode() in member:
                        client.srem(registry, member)


def read_makefile_flags() -> list[str]:
    """gunicorn's flags from the Makefile's run target (what the bench measures is `make run`)."""
    text = (ROOT / "Makefile").read_text()
    match = re.search(r"^GUNICORN_FLAGS\s*:?=\s*(.+)$", text, re.M)
    return match.group(1).split() if match else ["--workers", "2"]


GUNICORN_FLAGS = read_makefile_flags()


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/admin/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    done = session.post(
        base + "/admin/login",
        data={"email": STAFF[0], "password": STAFF[1], "csrf_token": token},
        allow_redirects=False,
    )
    assert done.status_code == 302, "bench staff login failed"
    return session


def list_rate(base: str, cookies, until, seconds: float = LOAD_SECONDS) -> float:
    """Requests per second of the list page over CONNECTIONS clients: wrk for `seconds`,
    or, without wrk, a pool of Python threads until `until()` (wrk is the better measure on
    two cores: the pool shares this process, and its GIL, with the sampling of the job).

    Every request comes on a connection of its own (`Connection: close`), as from many
    clerks. gthread workers keep a keep-alive connection for good: whichever worker accepted
    the 8 connections kept them, and when one took all 8 the page served half its rate
    (65-80 req/s against 125-165 with nothing else running, from one run to the next),
    which a job's start tipped one way or the other."""
    wrk = shutil.which("wrk")
    if wrk:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "30s"]
        return requests_per_second(
            command, base + "/admin/clientes", [f"Cookie: {cookie}", "Connection: close"]
        )
    counts = [0] * CONNECTIONS
    started = time.perf_counter()
    stop_at = started + seconds

    def load(i):
        session = requests.Session()
        session.cookies.update(cookies)
        session.headers["Connection"] = "close"
        while not until() and time.perf_counter() < stop_at:
            response = session.get(base + "/admin/clientes")
            assert response.status_code == 200
            counts[i] += 1

    threads = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def _paired_rates(
    served: Served, cookies, finished, paused_for: list
) -> tuple[float | None, float]:
    """(list req/s with the job paused, with it running): the medians of PAIRS windows of
    WINDOW seconds, alternating, while the job runs.

    A quiet window measured before the job and a busy one during it compare two moments as
    much as two states on a shared machine whose speed drifts. Pausing the RQ
    work horse (SIGSTOP; a job silent for 2 s is far from CLIENTELA_JOB_STALE_SECONDS) gives
    "no job" windows in between the "job" ones."""
    deadline = time.monotonic() + 60
    horses = []
    while not horses and not finished() and time.monotonic() < deadline:
        horses = served.job_processes()
        time.sleep(0.05)
    paused, running = [], []
    for _ in range(PAIRS):
        if finished():
            break
        for pid in horses:
            os.kill(pid, signal.SIGSTOP)
        stopped = time.perf_counter()
        try:
            paused.append(list_rate(served.base, cookies, finished, WINDOW))
        finally:
            for pid in horses:
                os.kill(pid, signal.SIGCONT)
            paused_for[0] += time.perf_counter() - stopped
        running.append(list_rate(served.base, cookies, finished, WINDOW))
    if not running:
        return None, list_rate(served.base, cookies, finished)
    return statistics.median(paused), statistics.median(running)


def run_job(served: Served, session: requests.Session, action: str, **extra) -> dict:
    page = session.get(served.base + "/admin/clientes").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = session.post(
        served.base + "/admin/clientes/acoes",
        data={
            "action": action,
            "scope": "all",
            "filters": "",
            "confirmed": "1",
            "csrf_token": token,
            **extra,
        },
        allow_redirects=False,
    )
    job_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    engine = sa.create_engine(served.env["DATABASE_URL"])
    peak = [0.0, 0.0]  # private, resident (VmHWM)
    state = {"finished": False}

    def finished() -> bool:
        return state["finished"]

    def watch():
        while not state["finished"]:
            for pid in served.job_processes():
                private, resident = memory_mb(pid)
                peak[0] = max(peak[0], private)
                peak[1] = max(peak[1], resident)
            with engine.connect() as connection:
                status = connection.scalar(
                    sa.text("SELECT status FROM clientela_jobs WHERE id = :i"), {"i": job_id}
                )
            if status in ("done", "failed", "cancelled"):
                state["finished"] = True
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    during = idle = None
    paused_for = [0.0]  # seconds the job spent stopped, left out of its rows/s
    if served.worker is not None:
        idle, during = _paired_rates(served, session.cookies, finished, paused_for)
    else:
        # The job shares the web process: the list is loaded for LOAD_SECONDS of the job
        # (or all of it, when shorter); the rest of the job runs with the back office quiet,
        # so rows/s is the job's own speed.
        load_until = time.perf_counter() + LOAD_SECONDS
        during = list_rate(
            served.base, session.cookies, lambda: finished() or time.perf_counter() > load_until
        )
    watcher.join()
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT status, total, done, changed, started_at, finished_at, error "
                "FROM clientela_jobs WHERE id = :i"
            ),
            {"i": job_id},
        ).one()
    engine.dispose()
    assert row.status == "done", f"job {job_id} {row.status}: {row.error}"

    seconds = (_moment(row.finished_at) - _moment(row.started_at)).total_seconds()
    seconds -= paused_for[0]
    return {
        "rows": row.total,
        "seconds": round(seconds, 2),
        "paused_seconds": round(paused_for[0], 1),
        "rows_per_s": round(row.total / max(seconds, 0.001)),
        "list_rps_during": round(during, 1),
        **({"list_rps_paused": round(idle, 1)} if idle is not None else {}),
        "peak_mb": round(peak[0], 1),
        "peak_rss_mb": round(peak[1], 1),
    }


def _moment(value) -> datetime:
    """A timestamp as Core reads it (SQLite: text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def bench(engine: str, runner: str, url: str) -> dict:
    export_dir = DATA / f"exports-{uuid.uuid4().hex[:6]}"
    served = Served(url, runner, export_dir)
    try:
        session = login(served.base)

        def quiet_rate() -> float:
            deadline = time.perf_counter() + LOAD_SECONDS
            return list_rate(served.base, session.cookies, lambda: time.perf_counter() > deadline)

        quiet_rate()  # warm-up: templates compiled, the database's pages read once
        results = {}
        for name, action, extra in JOBS:
            idle = quiet_rate()  # just before each job, so both sides see the same machine
            results[name] = {"list_rps_idle": round(idle, 1)}
            results[name].update(run_job(served, session, action, **extra))
            quiet = results[name].get("list_rps_paused", idle)
            results[name]["list_ratio"] = round(results[name]["list_rps_during"] / quiet, 2)
            print(f"  {engine}/{runner} {name}: {results[name]}", flush=True)
    finally:
        served.stop()
        cleanup(url)
        for path in export_dir.glob("*"):
            path.unlink()
        export_dir.rmdir() if export_dir.exists() else None
    return results


def main() -> None:
    figures: dict = {}
    for engine in ENGINES:
        url = database_url(engine)
        if url is None:
            continue
        print(f"{engine}: {SIZE:,} clients", flush=True)
        prepare(url)
        for runner in RUNNERS:
            if runner == "rq":
                try:
                    from redis import Redis

                    Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
                except Exception:
                    print("  Redis unreachable: rq runner skipped", file=sys.stderr)
                    continue
            figures[f"{engine}/{runner}"] = bench(engine, runner, url)
    runs = list(figures.values())
    names = [name for name, _, _ in JOBS]

    def worst(pick, key):
        values = [r[name][key] for r in runs for name in names if name in r]
        return pick(values) if values else None

    summary = {
        "clients": SIZE,
        "export_csv_rows_per_s": min(
            (r["export_csv"]["rows_per_s"] for r in runs if "export_csv" in r), default=None
        ),
        "export_xlsx_rows_per_s": min(
            (r["export_xlsx"]["rows_per_s"] for r in runs if "export_xlsx" in r), default=None
        ),
        "tag_rows_per_s": min((r["tag"]["rows_per_s"] for r in runs if "tag" in r), default=None),
        "worker_peak_mb": worst(max, "peak_mb"),
        "worker_peak_rss_mb": worst(max, "peak_rss_mb"),
        "list_during_job_ratio": worst(min, "list_ratio"),
        "runs": figures,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
