"""Time the client list page at 1,000 and 1,000,000 clients, on SQLite and PostgreSQL, and
serve it under load next to Flask-Admin's stock list over the same table.

`python bench/list_clients.py` (no arguments: full size, set-up included). For each engine it
builds (or reuses, when already seeded to the right size) one database per size with
bench/seed.py, then:

1. latency: requests the real list page through the app (routing, staff session, queries,
   templates) for each case, and prints p50/p95 in ms per case and size and the ratio
   p50(1M)/p50(1k) (target <= 2.0);
2. load: serves our app and `bench/flask_admin_app.py` (Flask-Admin 2.2.1's `ModelView` over
   the same `clientela_clients` table) with gunicorn, 2 sync workers each, one server per
   size and side, and drives each case with `wrk -t2 -c8 -d10s` (a Python pool of 8
   connections when wrk is absent) carrying the bench staff's logged-in session cookie.
   Runs alternate per case: ours 1k, theirs 1k, ours 1M, theirs 1M, so a busy moment on the
   machine weighs on all four alike. It prints req/s per case, size and side, the ratios
   ours/theirs and ours 1M/1k (targets: >= 1 and >= 1/1.5 for the searches).

The last line is one JSON object with every figure.

Options: BENCH_SIZES="1000,1000000", BENCH_ENGINES="sqlite,postgresql",
BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
BENCH_REPEAT (default 25), BENCH_FRESH=1 to rebuild the databases, BENCH_LOAD=0 to skip the
load part, BENCH_LOAD_ONLY=1 to skip the latency part, BENCH_LOAD_SECONDS (default 10),
BENCH_LOAD_ROUNDS (default 1; with more, the median of the rounds is kept),
BENCH_LOAD_CASES (comma-separated names, default all).
"""

import http.client
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
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import BENCH_STAFF, prepared_app
from wrk import requests_per_second

from portal import db
from portal.clients.listing import encode_cursor
from portal.clients.models import Client, ClientStatus, Tag

DATA = Path(__file__).resolve().parent / ".data"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,1000000").split(",")]
ENGINES = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))
FRESH = os.environ.get("BENCH_FRESH") == "1"
LOAD = os.environ.get("BENCH_LOAD", "1") != "0"
LOAD_ONLY = os.environ.get("BENCH_LOAD_ONLY") == "1"
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
LOAD_ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "1"))
LOAD_CASES = [c for c in os.environ.get("BENCH_LOAD_CASES", "").split(",") if c]
STAFF = BENCH_STAFF
ROOT = Path(__file__).resolve().parents[1]
NO_MATCH = "kwyjibo"  # a word no seeded name holds
# Replaced by rare_words(): the rarest name word of the largest database that the smallest
# also holds (a page with rows at both sizes), and the rarest of all (absent from the
# smallest: there its page is empty, like "no match"; kept to compare with earlier runs).
RARE = {"word": "erick", "rarest": "milena"}


def rare_words(large_app, small_app) -> dict[str, str]:
    """The name words fewest clients hold (at least 4 letters), from a sample of the large
    table: the rarest the small table also holds, and the rarest of all."""
    counts = _word_counts(large_app, sa.select(Client.search_text).where(Client.id % 53 == 0))
    held = _word_counts(small_app, sa.select(Client.search_text))
    rarest = sorted(counts, key=lambda w: (counts[w], w))
    return {"word": next(w for w in rarest if w in held), "rarest": rarest[0]}


def _word_counts(app, texts) -> dict[str, int]:
    counts: dict[str, int] = {}
    with app.app_context():
        for text in db.session.scalars(texts.limit(20_000)):
            for word in re.split(r"[^a-z]+", text):
                if len(word) >= 4:
                    counts[word] = counts.get(word, 0) + 1
    return counts


def database_url(engine: str, size: int) -> str | None:
    name = f"clientela_bench_{size}"
    if engine == "sqlite":
        DATA.mkdir(exist_ok=True)
        path = DATA / f"{name}.db"
        if FRESH:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin_url = sa.engine.make_url(PG_URL)
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
            if exists and FRESH:
                connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = False
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL unreachable, skipped: {exc.orig}", file=sys.stderr)
        return None
    return admin_url.set(database=name).render_as_string(hide_password=False)


def prepare(url: str, size: int):
    return prepared_app(url, size, CLIENTELA_LOGIN_LIMIT_IP="1000 per minute")


def cases(app, size: int) -> dict[str, str]:
    with app.app_context():
        session = db.session
        middle = size // 2
        person = session.scalar(
            sa.select(Client)
            .where(Client.kind == "PF", Client.id >= middle)
            .order_by(Client.id)
            .limit(1)
        )
        with_email = session.scalar(
            sa.select(Client)
            .where(Client.email.is_not(None), Client.id >= middle)
            .order_by(Client.id)
            .limit(1)
        )
        tag_id = session.scalar(sa.select(Tag.id).where(Tag.name == "vip"))
        deep = session.scalar(
            sa.select(Client).order_by(Client.sort_name, Client.id).offset(int(size * 0.9)).limit(1)
        )
        document = person.document
        masked_prefix = f"{document[:3]}.{document[3:6]}"
        return {
            "common word": "/admin/clientes?q=silva",
            "rare word": f"/admin/clientes?q={RARE['word']}",
            "rarest word": f"/admin/clientes?q={RARE['rarest']}",
            "full name": "/admin/clientes?" + urlencode({"q": person.name}),
            "no match": f"/admin/clientes?q={NO_MATCH}",
            "grupo=active": "/admin/clientes?grupo=active",
            "grupo=lead": "/admin/clientes?grupo=lead",
            "grupo=contact": "/admin/clientes?grupo=contact",
            "grupo=inactive": "/admin/clientes?grupo=inactive",
            "name fragment": "/admin/clientes?q=ernand",
            "cpf prefix": f"/admin/clientes?q={masked_prefix}",
            "email": f"/admin/clientes?q={with_email.email.split('@')[0]}@",
            "tag": f"/admin/clientes?etiqueta={tag_id}",
            "first page": "/admin/clientes",
            "deep page (90%)": f"/admin/clientes?apos={encode_cursor(0, deep, 'name')}",
            "last page": "/admin/clientes?ultima=1",
        }


def load_cases(app, size: int) -> dict[str, tuple[str, str | None]]:
    """Case -> (our URL, Flask-Admin's URL for the same question, or None)."""
    ours = cases(app, size)
    with app.app_context():
        session = db.session
        person = session.scalar(
            sa.select(Client)
            .where(Client.kind == "PF", Client.id >= size // 2)
            .order_by(Client.id)
            .limit(1)
        )
        inactive = session.scalar(sa.select(ClientStatus.id).where(ClientStatus.name == "Inativo"))
    theirs = "/admin/client/"
    last = -(-size // 25) - 1
    return {
        "first page": (ours["first page"], theirs),
        "common word": (ours["common word"], theirs + "?search=silva"),
        "rare word": (ours["rare word"], theirs + f"?search={RARE['word']}"),
        "rarest word": (ours["rarest word"], theirs + f"?search={RARE['rarest']}"),
        "no match": (ours["no match"], theirs + f"?search={NO_MATCH}"),
        "cpf prefix": (ours["cpf prefix"], theirs + f"?search={person.document[:6]}"),
        "status + name": (
            f"/admin/clientes?situacao={inactive}&ordem=name",
            theirs + f"?flt0_0={inactive}&sort=0",
        ),
        "last page": (ours["last page"], theirs + f"?page={last}"),
    }


def measure(apps: dict[int, object], urls: dict[int, dict[str, str]]) -> dict:
    """p50/p95 per size and case; the sizes' requests alternate, so a busy moment on the
    machine weighs on both sides of the ratio alike."""
    clients = {}
    for size, app in apps.items():
        http = app.test_client()
        response = http.post("/admin/login", data={"email": STAFF[0], "password": STAFF[1]})
        assert response.status_code == 302, "bench staff login failed (CSRF on? limits?)"
        clients[size] = http
    results: dict[int, dict] = {size: {} for size in apps}
    for name in urls[SIZES[0]]:
        timings: dict[int, list[float]] = {size: [] for size in apps}
        rows = {}
        for attempt in range(REPEAT + 3):
            for size, http in clients.items():
                started = time.perf_counter()
                response = http.get(urls[size][name])
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (urls[size][name], response.status_code)
                rows[size] = response.text.count('name="ids"')
                if attempt >= 3:
                    timings[size].append(elapsed)
        for size, values in timings.items():
            values.sort()
            results[size][name] = {
                "p50": statistics.median(values),
                "p95": values[int(0.95 * (len(values) - 1))],
                "rows": rows[size],
            }
    return results


# Load: gunicorn servers driven by wrk --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers serving `app_spec` on a database, on a free local port."""

    def __init__(self, app_spec: str, url: str, probe: str):
        self.port, self.probe = _free_port(), probe
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "CLIENTELA_LOGIN_LIMIT_IP": "1000 per minute",
        }
        env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-w", "2", "-k", "sync"),
                *("-b", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--timeout", "300"),
                *("--log-level", "warning", app_spec),
            ],
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", probe)[0] < 500:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn for {app_spec} exited ({self.process.returncode})")
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn for {app_spec} did not answer {probe} within 60 s")

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def login(self) -> str:
        """The Cookie header of a bench staff session opened through the login form."""
        status, headers, text = self.request("GET", "/admin/login")
        cookies = _cookies(headers)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)
        body = urlencode({"email": STAFF[0], "password": STAFF[1], "csrf_token": token})
        status, headers, _ = self.request(
            "POST",
            "/admin/login",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )
        assert status == 302, f"bench staff login answered {status}"
        cookies.update(_cookies(headers))
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def settle(self) -> None:
        """Wait for the requests still queued after a run (wrk stops sending; a sync worker
        finishes what it accepted): two cheap requests at once come back when both workers
        are free, so the next run does not share the machine with this one's tail."""
        threads = [threading.Thread(target=self.request, args=("GET", self.probe)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _cookies(headers) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def drive(server: Server, path: str, cookie: str | None) -> float:
    """Requests per second over LOAD_SECONDS with 8 connections (wrk -t2 -c8)."""
    status, _, _ = server.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    assert status == 200, f"{path} answered {status}"
    wrk = shutil.which("wrk")
    if wrk:
        command = [wrk, "-t2", "-c8", f"-d{LOAD_SECONDS}s", "--timeout", "30s"]
        headers = [f"Cookie: {cookie}"] if cookie else []
        rate = requests_per_second(command, f"http://127.0.0.1:{server.port}{path}", headers)
        server.settle()
        return rate
    rate = _python_pool(server, path, cookie)
    server.settle()
    return rate


def _python_pool(server: Server, path: str, cookie: str | None) -> float:
    """wrk's measure with 8 threads of plain HTTP requests (gunicorn sync closes each)."""
    done, stop_at = [0] * 8, time.monotonic() + LOAD_SECONDS
    headers = {"Cookie": cookie} if cookie else {}

    def run(slot: int) -> None:
        while time.monotonic() < stop_at:
            status, _, _ = server.request("GET", path, headers=headers)
            assert status == 200, f"{path} answered {status} under load"
            done[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def load(urls: dict[int, str], apps: dict[int, object]) -> dict:
    """req/s per case, size and side ("ours", "theirs"), alternating sides and sizes."""
    servers: dict[tuple[str, int], Server] = {}
    try:
        for size, url in urls.items():
            servers["ours", size] = Server("portal:create_app()", url, "/admin/login")
            servers["theirs", size] = Server(
                "bench.flask_admin_app:create()", url, "/admin/client/"
            )
        cookies = {size: servers["ours", size].login() for size in urls}
        paths = {size: load_cases(app, size) for size, app in apps.items()}
        names = [n for n in paths[SIZES[0]] if not LOAD_CASES or n in LOAD_CASES]
        rates: dict[str, dict[str, list[float]]] = {name: {} for name in names}
        for round_number in range(LOAD_ROUNDS):
            for name in names:
                for size in urls:
                    for side in ("ours", "theirs"):
                        path = paths[size][name][0 if side == "ours" else 1]
                        if path is None:
                            continue
                        cookie = cookies[size] if side == "ours" else None
                        rate = drive(servers[side, size], path, cookie)
                        rates[name].setdefault(f"{side}_{size}", []).append(rate)
                        print(
                            f"  round {round_number + 1} {name:<14}{side:>7} {size:>9,}"
                            f"{rate:>9.1f} req/s",
                            flush=True,
                        )
        return {
            name: {key: round(statistics.median(values), 1) for key, values in sides.items()}
            for name, sides in rates.items()
        }
    finally:
        for server in servers.values():
            server.stop()


def report_load(engine: str, table: dict) -> dict:
    small, large = SIZES[0], SIZES[-1]
    print(f"\n{engine}: req/s under load (gunicorn 2 sync workers, wrk -t2 -c8 -d{LOAD_SECONDS}s)")
    print(
        f"{'case':<16}{'FA small':>9}{'ours small':>11}{'FA large':>9}{'ours large':>11}"
        f"{'o/FA sm':>8}{'o/FA lg':>8}{'lg/sm':>7}"
    )
    for name, row in table.items():
        ours_small, ours_large = row.get(f"ours_{small}"), row.get(f"ours_{large}")
        theirs_small, theirs_large = row.get(f"theirs_{small}"), row.get(f"theirs_{large}")
        if theirs_small:
            row["ours_vs_theirs_small"] = round(ours_small / theirs_small, 2)
        if theirs_large:
            row["ours_vs_theirs_large"] = round(ours_large / theirs_large, 2)
        row["ours_large_vs_small"] = round(ours_large / ours_small, 2)
        print(
            f"{name:<16}{theirs_small or 0:>9.1f}{ours_small:>11.1f}{theirs_large or 0:>9.1f}"
            f"{ours_large:>11.1f}{row.get('ours_vs_theirs_small', 0):>8.2f}"
            f"{row.get('ours_vs_theirs_large', 0):>8.2f}{row['ours_large_vs_small']:>7.2f}"
        )
    return table


def main() -> None:
    figures: dict = {}
    for engine in ENGINES:
        apps, urls = {}, {}
        for size in SIZES:
            url = database_url(engine, size)
            if url is None:
                break
            print(f"{engine}: {size:,} clients", flush=True)
            apps[size] = prepare(url, size)
            apps[size].config["WTF_CSRF_ENABLED"] = False
            urls[size] = url
        if len(apps) != len(SIZES):
            continue
        RARE.update(rare_words(apps[SIZES[-1]], apps[SIZES[0]]))
        print(f"rare word: {RARE['word']!r}, rarest word: {RARE['rarest']!r}", flush=True)
        figures[engine] = {"rare_word": RARE["word"], "rarest_word": RARE["rarest"]}
        if LOAD:
            figures[engine]["load"] = report_load(engine, load(urls, apps))
        if LOAD_ONLY:
            continue
        per_size = measure(apps, {size: cases(app, size) for size, app in apps.items()})
        for app in apps.values():
            app.extensions["clientela"].engine.dispose()
        small, large = per_size[SIZES[0]], per_size[SIZES[-1]]
        print(f"\n{engine}: p50/p95 ms at {SIZES[0]:,} and {SIZES[-1]:,} clients")
        print(
            f"{'case':<18}{'p50 small':>10}{'p95 small':>10}{'p50 large':>10}{'p95 large':>10}"
            f"{'ratio':>8}{'rows':>6}"
        )
        table = {}
        for name in small:
            ratio = large[name]["p50"] / small[name]["p50"]
            table[name] = {
                "p50_small": round(small[name]["p50"], 2),
                "p95_small": round(small[name]["p95"], 2),
                "p50_large": round(large[name]["p50"], 2),
                "p95_large": round(large[name]["p95"], 2),
                "ratio": round(ratio, 2),
                "rows": large[name]["rows"],
            }
            print(
                f"{name:<18}{small[name]['p50']:>10.1f}{small[name]['p95']:>10.1f}"
                f"{large[name]['p50']:>10.1f}{large[name]['p95']:>10.1f}{ratio:>8.2f}"
                f"{large[name]['rows']:>6}"
            )
        figures[engine]["max_ratio"] = max(c["ratio"] for c in table.values())
        figures[engine]["cases"] = table
    figures["sizes"] = SIZES
    figures["load_tool"] = "wrk" if shutil.which("wrk") else "python pool"
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    main()
