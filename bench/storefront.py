"""Storefront speed: the logged-in orders page for a client with 20 orders and one with
5,000 (keyset pages: the ratio should stay >= 0.8), and the sign-in POST (argon2id).

    .venv/bin/python bench/storefront.py             # own temp SQLite database
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/storefront.py

gunicorn with 2 workers on loopback; BENCH_THREADS connections (default 4) for BENCH_SECONDS
(default 5) per phase. The two orders-page phases alternate (20, 5000, 20, 5000) so a busy
moment of the machine weighs on both sides. Sign-in: each connection GETs the form (a fresh
session and CSRF token) and POSTs the right password; only the POSTs are timed. The last
line is JSON with `orders_page_5000_20_ratio`.
"""

import http.client
import json
import os
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
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DURATION_S = float(os.environ.get("BENCH_SECONDS", "5"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
PASSWORD = "senha-do-bench-1"
SIZES = (20, 5000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(database_url: str) -> dict[int, str]:
    """Two clients with a password and 20 / 5,000 orders; {size: e-mail}."""
    from sqlalchemy import func, insert, select

    from portal import create_app, db
    from portal.clients import service as clients
    from portal.db import utcnow
    from portal.migrate import upgrade
    from portal.orders.models import Order, OrderStatus, OrderType
    from portal.orders.seeds import ensure_defaults

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": database_url})
    upgrade(app)
    emails = {}
    with app.app_context():
        ensure_defaults()
        type_id = db.session.scalar(select(func.min(OrderType.id)))
        status_id = db.session.scalar(select(func.min(OrderStatus.id)))
        number = (db.session.scalar(select(func.max(Order.number))) or 0) + 1
        now = utcnow()
        for size in SIZES:
            email = f"bench-{size}-{secrets.token_hex(3)}@bench.example"
            client = clients.register(
                clients.ClientInput(name=f"Cliente {size}", email=email, password=PASSWORD), None
            )
            db.session.flush()
            rows = []
            for n in range(size):
                at = now - timedelta(minutes=n)
                rows.append(
                    {
                        "number": number,
                        "client_id": client.id,
                        "type_id": type_id,
                        "status_id": status_id,
                        "origin": "bench",
                        "items_total_cents": 5000 + n,
                        "discount_total_cents": 0,
                        "shipping_cents": 1000,
                        "total_cents": 6000 + n,
                        "item_count": 1 + n % 7,
                        "created_at": at,
                        "updated_at": at,
                        "version": 1,
                    }
                )
                number += 1
            db.session.execute(insert(Order.__table__), rows)
            emails[size] = email
        db.session.commit()
    app.extensions["clientela"].engine.dispose()
    return emails


def _cookie(response, jar: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def _headers(jar: dict) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


def _sign_in(conn, jar: dict, email: str) -> float:
    """GET the form, POST the password; the POST's seconds."""
    conn.request("GET", "/conta/entrar", headers=_headers(jar))
    response = conn.getresponse()
    _cookie(response, jar)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.read().decode())
    body = f"csrf_token={token.group(1)}&email={email}&password={PASSWORD}"
    headers = {**_headers(jar), "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    conn.request("POST", "/conta/entrar", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 302:
        raise RuntimeError(f"sign-in answered {response.status}")
    _cookie(response, jar)
    return elapsed


def _phase(port: int, work) -> tuple[int, float, int]:
    """Run `work(conn, state)` from THREADS connections for DURATION_S: (ok, seconds, errors)."""
    counts = {"ok": 0, "errors": 0, "busy": 0.0}
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION_S

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        ok = errors = 0
        busy = 0.0
        while time.monotonic() < stop_at:
            try:
                busy += work(conn)
                ok += 1
            except (OSError, http.client.HTTPException, RuntimeError):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            counts["busy"] += busy

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts["ok"], time.monotonic() - started, counts["errors"], counts["busy"]


def _orders_page(port: int, email: str) -> float:
    jar: dict = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _sign_in(conn, jar, email)
    conn.close()

    def work(conn) -> float:
        started = time.perf_counter()
        conn.request("GET", "/conta/pedidos", headers=_headers(jar))
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or b"/conta/pedidos/" not in body:
            raise RuntimeError(f"orders page answered {response.status}")
        return time.perf_counter() - started

    ok, seconds, errors, _busy = _phase(port, work)
    if errors:
        raise SystemExit(f"{errors} errors on the orders page")
    return ok / seconds


def _argon2_cost() -> dict:
    from passlib.hash import argon2

    from portal.security.passwords import hash_password

    samples = []
    for _ in range(5):
        started = time.perf_counter()
        hash_password(PASSWORD)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "scheme": f"argon2{argon2.type}",
        "memory_kib": argon2.memory_cost,
        "time_cost": argon2.default_rounds,
        "parallelism": argon2.parallelism,
        "hash_ms": round(statistics.median(samples), 1),
    }


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="clientela-bench-store-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    emails = _setup(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "bench-" + secrets.token_hex(8),
        "DATABASE_URL": database_url,
        "CLIENTELA_LOGIN_LIMIT_IP": "1000000 per minute",
        "CLIENTELA_LOGIN_LIMIT_ACCOUNT": "1000000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
            "portal:create_app()",
        ],
        cwd=tmp,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        rates: dict[int, list[float]] = {size: [] for size in SIZES}
        for _round in range(2):
            for size in SIZES:
                rates[size].append(_orders_page(port, emails[size]))
                print(f"orders page, {size} orders: {rates[size][-1]:.0f} req/s", flush=True)

        def login_work(conn) -> float:
            return _sign_in(conn, {}, emails[20])

        ok, _seconds, errors, busy = _phase(port, login_work)
        login_per_s = ok / busy * THREADS if busy else 0.0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    small, large = sum(rates[20]) / 2, sum(rates[5000]) / 2
    cost = _argon2_cost()
    print(f"sign-in POST: {login_per_s:.1f} req/s ({errors} errors); argon2: {cost}")
    result = {
        "engine": database_url.split(":", 1)[0],
        "threads": THREADS,
        "seconds_per_phase": DURATION_S,
        "orders_page_20_per_s": round(small, 1),
        "orders_page_5000_per_s": round(large, 1),
        "orders_page_5000_20_ratio": round(large / small, 3),
        "login_post_per_s": round(login_per_s, 1),
        "argon2": cost,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
