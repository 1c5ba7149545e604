"""Visit tracking: cost on the page, nothing lost, and staff pages at 10M page views.

    .venv/bin/python bench/visits.py        # full size (10k and 10M page views on PostgreSQL)
    BENCH_LARGE=200000 .venv/bin/python bench/visits.py     # a quick run

1. Speed: one storefront page (/conta/entrar) under gunicorn (2 workers), tracking on and
   off in the same run (two servers on one database, phases alternated off/on/off/on),
   with wrk (BENCH_SECONDS per phase, 2 threads, 16 connections, 1,000 visitors' cookies),
   without Redis (each worker's buffer thread writes) and with Redis (XADD; the
   visits-worker runs beside, on the same CPUs) -> `tracking_on_off_ratio` per mode.
2. Nothing lost: BENCH_LOST_REQUESTS page views sent, then the recorded page views counted,
   per scenario: buffer / buffer with a gunicorn HUP mid-run / Redis / Redis with a HUP /
   Redis with the visits-worker killed with `kill -9` mid-run and started again
   -> `lost` (and `duplicated`) per scenario.
3. Size: PostgreSQL (BENCH_PG_URL, a database of its own, dropped at the end) loaded with
   COPY to BENCH_SMALL (10,000) and then BENCH_LARGE (10,000,000) page views over six
   months; a client with 50 visits: p50 of its Visitas tab (context + render) and of the
   Visita tab of its order -> `visits_tab_10m_10k_ratio`, `order_tab_10m_10k_ratio`.

Redis at REDIS_URL (default redis://127.0.0.1:6379/7); parts needing Redis or PostgreSQL are
reported as skipped when those are not running. The last line is JSON.
"""

import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
LOST_REQUESTS = int(os.environ.get("BENCH_LOST_REQUESTS", "2000"))
SMALL = int(os.environ.get("BENCH_SMALL", "10000"))
LARGE = int(os.environ.get("BENCH_LARGE", "10000000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/clientela_bench_visits"
)
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
PAGE = "/conta/entrar"
IP = "203.0.113.0"
WRK_SCRIPT = (
    "math.randomseed(os.time())\n"
    f'wrk.headers["User-Agent"] = "{CHROME}"\n'
    "request = function()\n"
    '  local id = string.format("%032x", math.random(1, 1000))\n'
    f'  return wrk.format("GET", "{PAGE}", {{["Cookie"] = "clientela_visitor=" .. id}})\n'
    "end\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_ok() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


class Stack:
    """gunicorn (2 workers) for one configuration, plus the visits-worker with Redis."""

    def __init__(self, tmp: Path, database_url: str, *, tracking: bool, redis_stream=None):
        self.tmp, self.port = tmp, _free_port()
        self.env = {
            **os.environ,
            "SECRET_KEY": "bench-" + secrets.token_hex(8),
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "CLIENTELA_VISITS_TRACKING": "1" if tracking else "0",
            "CLIENTELA_VISITS_CLAIM_IDLE_SECONDS": "2",
        }
        self.env.pop("REDIS_URL", None)
        if redis_stream:
            self.env.update({"REDIS_URL": REDIS_URL, "CLIENTELA_VISITS_STREAM": redis_stream})
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--graceful-timeout", "30", "--log-level", "warning",
             "portal:create_app()"],
            cwd=tmp, env=self.env,
        )  # fmt: skip
        self.worker = self.start_worker() if redis_stream else None
        _wait_port(self.port)
        self.warm()

    def warm(self) -> None:
        """The master listens before its workers have loaded the app: wait for answers
        (untracked: no user agent), a few times so both workers have loaded it."""
        deadline, answered = time.monotonic() + 180, 0
        while answered < 6:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                conn.request("GET", PAGE)
                response = conn.getresponse()
                response.read()
                conn.close()
                answered += response.status == 200
            except (OSError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn does not answer") from None
                time.sleep(0.5)

    def start_worker(self):
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "clientela", "visits-worker"],
            cwd=self.tmp, env=self.env, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        self.server.send_signal(signal.SIGTERM)
        self.server.wait(timeout=60)
        if self.worker is not None:
            self.worker.send_signal(signal.SIGTERM)
            self.worker.wait(timeout=60)


def _wrk(port: int, script: Path) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{SECONDS:g}s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        raise RuntimeError(f"errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _setup(database_url: str):
    from portal import create_app
    from portal.migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": database_url})
    upgrade(app)
    return app


def _count(app, marker: str) -> int:
    from sqlalchemy import func, select

    from portal import db
    from portal.visits.models import PageView

    with app.app_context():
        return db.session.scalar(select(func.count(PageView.id)).where(PageView.query == marker))


def speed(tmp: Path, database_url: str, redis_ok: bool) -> dict:
    script = tmp / "visits.lua"
    script.write_text(WRK_SCRIPT)
    result = {}
    modes = [("buffer", None)] + ([("redis", f"clientela:bench:{secrets.token_hex(4)}")]
                                  if redis_ok else [])  # fmt: skip
    for mode, stream in modes:
        on = Stack(tmp, database_url, tracking=True, redis_stream=stream)
        off = Stack(tmp, database_url, tracking=False)
        try:
            rates = {"on": [], "off": []}
            _wrk(off.port, script)  # warm both
            _wrk(on.port, script)
            for _round in range(2):
                rates["off"].append(_wrk(off.port, script))
                rates["on"].append(_wrk(on.port, script))
        finally:
            on.stop()
            off.stop()
        on_rate, off_rate = statistics.mean(rates["on"]), statistics.mean(rates["off"])
        print(f"{mode}: tracking on {on_rate:.0f} req/s, off {off_rate:.0f} req/s", flush=True)
        result[mode] = {"on_per_s": round(on_rate), "off_per_s": round(off_rate),
                        "ratio": round(on_rate / off_rate, 3)}  # fmt: skip
    return result


def _send(port: int, marker: str, total: int, midway=None) -> int:
    """`total` GETs from 8 connections, each a visitor; `midway()` once half are answered.
    Returns how many were answered 200 (each is a page view to be recorded)."""
    done = {"ok": 0, "sent": 0, "fired": False}
    lock = threading.Lock()

    def run(n: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        visitor = f"{n:032x}"
        while True:
            with lock:
                if done["sent"] >= total:
                    break
                done["sent"] += 1
            headers = {"User-Agent": CHROME, "Cookie": f"clientela_visitor={visitor}"}
            for _attempt in range(3):
                try:
                    conn.request("GET", f"{PAGE}?bench={marker}", headers=headers)
                    response = conn.getresponse()
                    response.read()
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    time.sleep(0.05)
            else:
                continue
            with lock:
                done["ok"] += response.status == 200
                fire = midway and not done["fired"] and done["ok"] >= total // 2
                if fire:
                    done["fired"] = True
            if fire:
                midway()
        conn.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done["ok"]


def _settled(app, marker: str, expected: int, timeout: float = 60) -> int:
    """The recorded count once it reaches `expected` or stops moving."""
    deadline, last, still = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline:
        count = _count(app, f"bench={marker}")
        if count >= expected:
            return count
        still = still + 1 if count == last else 0
        if still >= 10:
            return count
        last = count
        time.sleep(0.5)
    return _count(app, f"bench={marker}")


def lost(tmp: Path, database_url: str, app, redis_ok: bool) -> dict:
    scenarios = ["buffer", "buffer_hup"]
    if redis_ok:
        scenarios += ["redis", "redis_hup", "redis_consumer_kill9"]
    result = {}
    for scenario in scenarios:
        stream = f"clientela:bench:{secrets.token_hex(4)}" if scenario.startswith("redis") else None
        stack = Stack(tmp, database_url, tracking=True, redis_stream=stream)
        marker = f"{scenario}-{secrets.token_hex(3)}"
        midway = None
        if scenario.endswith("_hup"):

            def midway(stack=stack):
                stack.server.send_signal(signal.SIGHUP)
        elif scenario == "redis_consumer_kill9":

            def midway(stack=stack):
                stack.worker.send_signal(signal.SIGKILL)
                stack.worker.wait()
                time.sleep(0.5)
                stack.worker = stack.start_worker()  # a new consumer: claims the pending ones

        try:
            answered = _send(stack.port, marker, LOST_REQUESTS, midway)
            if not stream:  # without Redis a graceful stop writes what the buffers hold
                recorded = _settled(app, marker, answered, timeout=5)
                stack.stop()
                stack = None
                recorded = _settled(app, marker, answered)
            else:
                recorded = _settled(app, marker, answered)
        finally:
            if stack is not None:
                stack.stop()
        result[scenario] = {"answered": answered, "recorded": recorded,
                            "lost": max(answered - recorded, 0),
                            "duplicated": max(recorded - answered, 0)}  # fmt: skip
        print(f"lost, {scenario}: {result[scenario]}", flush=True)
    return result


# Part 3: PostgreSQL at 10k and 10M page views ----------------------------------------------


def _pg_app():
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    except Exception as exc:
        print(f"PostgreSQL not available ({exc.__class__.__name__}): size part skipped")
        return None, None
    return _setup(PG_URL), admin


class Loader:
    """COPY of background visits and page views (5 pages a visit, 4 visits a visitor),
    spread over the last six months; ids continue from where the last load stopped."""

    def __init__(self, app):
        self.app, self.visit_id, self.page_views = app, 1_000_000, 0
        self.now = datetime.now(UTC)
        self.random = random.Random(2026)

    def load(self, count: int) -> float:
        from portal.visits import partitions

        started = time.perf_counter()
        engine = self.app.extensions["clientela"].engine
        first = self.now - timedelta(days=185)
        with engine.begin() as connection:
            partitions.ensure(connection, partitions.months_between(first.date(), self.now.date()))
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            visits = io.StringIO()
            with cursor.copy(
                "COPY clientela_page_views (at, visitor_id, visit_id, path, query, browser, os, "
                "device, ip) FROM STDIN"
            ) as copy:
                for _ in range(count // 5):
                    self.visit_id += 1
                    visitor = f"{self.visit_id // 4:032x}"
                    start = first + timedelta(seconds=self.random.randrange(185 * 86400 - 3600))
                    for page in range(5):
                        at = start + timedelta(minutes=2 * page)
                        copy.write_row((at, visitor, self.visit_id, f"/produto/{page}", None,
                                        "Chrome 140", "Linux", "desktop", IP))  # fmt: skip
                    visits.write(
                        f"{self.visit_id}\t{visitor}\t\\N\t{start.isoformat()}\t"
                        f"{(start + timedelta(minutes=8)).isoformat()}\t5\t/produto/0\t"
                        "/produto/4\t\\N\tdesktop\tChrome 140\tLinux\t\\N\n"
                    )
                    self.page_views += 5
            visits.seek(0)
            with cursor.copy(
                "COPY clientela_visits (id, visitor_id, client_id, started_at, ended_at, pages, "
                "entry_path, exit_path, source, device, browser, os, order_id) FROM STDIN"
            ) as copy:
                while chunk := visits.read(1 << 20):
                    copy.write(chunk)
            raw.commit()
            cursor.execute("ANALYZE clientela_page_views")
            cursor.execute("ANALYZE clientela_visits")
            raw.commit()
        finally:
            raw.close()
        return time.perf_counter() - started


def _target(app) -> tuple[int, int]:
    """A client with 50 visits (4 pages each) over six months and an order after the last."""
    from sqlalchemy import func, insert, select

    from portal import db
    from portal.clients import service as clients
    from portal.orders.models import Order, OrderStatus, OrderType
    from portal.orders.seeds import ensure_defaults
    from portal.visits import service
    from portal.visits.sink import write_records

    now = datetime.now(UTC)
    with app.app_context():
        ensure_defaults()
        client = clients.register(clients.ClientInput(name="Cliente Visitante"), None)
        db.session.commit()
        client_id = client.id
    visitor = "f" * 32
    records = []
    for n in range(50):
        start = now - timedelta(days=180) + timedelta(days=3.5 * n)
        for page in range(4):
            at = (start + timedelta(minutes=3 * page)).isoformat()
            records.append({"v": visitor, "c": client_id, "at": at, "p": f"/catalogo/{n}/{page}",
                            "ua": CHROME, "t": f"Produto {n}"})  # fmt: skip
    write_records(app, records)
    with app.app_context():
        ordered_at = now - timedelta(days=180) + timedelta(days=3.5 * 49, minutes=20)
        order_id = db.session.execute(
            insert(Order.__table__).returning(Order.__table__.c.id),
            {"number": 1, "client_id": client_id, "origin": "bench",
             "type_id": db.session.scalar(select(func.min(OrderType.id))),
             "status_id": db.session.scalar(select(func.min(OrderStatus.id))),
             "items_total_cents": 100, "discount_total_cents": 0, "shipping_cents": 0,
             "total_cents": 100, "item_count": 1, "created_at": ordered_at,
             "updated_at": ordered_at, "version": 1},
        ).scalar_one()  # fmt: skip
        service.link_order(db.session, order_id, visitor, client_id, ordered_at)
        db.session.commit()
    return client_id, order_id


def _p50(app, client_id: int, order_id: int) -> dict:
    from flask import render_template

    from portal import db
    from portal.admin import visits as admin_visits
    from portal.clients.models import Client
    from portal.orders.models import Order

    def time_it(render) -> float:
        samples = []
        for _ in range(SAMPLES):
            with app.test_request_context(f"/admin/clientes/{client_id}"):
                started = time.perf_counter()
                render()
                samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    def client_tab():
        ctx = admin_visits.client_tab_context(db.session.get(Client, client_id))
        html = render_template(admin_visits.CLIENT_TAB, ctx=ctx)
        assert html.count('class="border rounded px-2 py-1 mb-2 visit"') == 20, "20 visits"

    def order_tab():
        ctx = admin_visits.order_tab_context(db.session.get(Order, order_id))
        html = render_template(admin_visits.ORDER_TAB, ctx=ctx)
        assert html.count("<li>") == 4, "the order's visit has 4 pages"

    return {"visits_tab_ms": round(time_it(client_tab), 2),
            "order_tab_ms": round(time_it(order_tab), 2)}  # fmt: skip


def size() -> dict:
    app, admin = _pg_app()
    if app is None:
        return {"skipped": "PostgreSQL not available"}
    try:
        client_id, order_id = _target(app)
        loader = Loader(app)
        load_small = loader.load(max(SMALL - 200, 0))
        small = _p50(app, client_id, order_id)
        print(
            f"{loader.page_views + 200} page views (load {load_small:.1f} s): {small}", flush=True
        )
        load_large = loader.load(max(LARGE - loader.page_views - 200, 0))
        large = _p50(app, client_id, order_id)
        print(
            f"{loader.page_views + 200} page views (load {load_large:.1f} s): {large}", flush=True
        )
        return {
            "page_views_small": SMALL,
            "page_views_large": loader.page_views + 200,
            "load_large_s": round(load_large, 1),
            "small": small,
            "large": large,
            "visits_tab_10m_10k_ratio": round(large["visits_tab_ms"] / small["visits_tab_ms"], 3),
            "order_tab_10m_10k_ratio": round(large["order_tab_ms"] / small["order_tab_ms"], 3),
        }
    finally:
        app.extensions["clientela"].engine.dispose()
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        name = make_url(PG_URL).database
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="clientela-bench-visits-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    redis_ok = _redis_ok()
    try:
        app = _setup(database_url)
        speeds = speed(tmp, database_url, redis_ok)
        losses = lost(tmp, database_url, app, redis_ok)
        app.extensions["clientela"].engine.dispose()
        sizes = size()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "engine": database_url.split(":", 1)[0],
        "seconds_per_phase": SECONDS,
        "redis": redis_ok,
        "speed": speeds,
        "tracking_on_off_ratio": {mode: value["ratio"] for mode, value in speeds.items()},
        "lost_detail": losses,
        "lost": {scenario: value["lost"] for scenario, value in losses.items()},
        "size": sizes,
        "visits_tab_10m_10k_ratio": sizes.get("visits_tab_10m_10k_ratio"),
        "order_tab_10m_10k_ratio": sizes.get("order_tab_10m_10k_ratio"),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
