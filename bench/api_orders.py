"""Orders/s through the API (gunicorn, 2 workers, loopback) next to a plain SQLAlchemy floor.

    .venv/bin/python bench/api_orders.py            # full size, own temp SQLite database
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/api_orders.py

All phases store the same orders (5 items each). The API is measured twice, for the same
time each: one order per `POST /orders`, then BATCH_SIZE orders per `POST /orders/batch`.
The floor is the least a database needs: per order one Core INSERT of the order and one bulk
(executemany) INSERT of its items, then COMMIT, single process, no validation
(`floor_per_order_tx_per_s`, the target's reference); the same rows all in one transaction
are printed too (`floor_one_batch_per_s`). The last line is JSON; `ratio_single` and
`ratio_batch` = API / per-order floor (target >= 0.30).
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DURATION_S = float(os.environ.get("BENCH_SECONDS", "10"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
BATCH_SIZE = int(os.environ.get("BENCH_BATCH", "50"))
MAX_REQUESTS = 200_000  # hard bound whatever the speed
FLOOR_ORDERS = int(os.environ.get("BENCH_FLOOR_ORDERS", "3000"))
ITEMS = [
    {
        "code": f"SKU-{i}",
        "description": f"Produto {i}",
        "quantity": i,
        "unit_price": f"{i}9.90",
        "discount": "1.00",
    }
    for i in range(1, 6)
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(database_url: str):
    from portal import create_app, db
    from portal.api.keys import create_key
    from portal.clients import service as clients
    from portal.migrate import upgrade
    from portal.orders.seeds import ensure_defaults

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": database_url})
    upgrade(app)
    with app.app_context():
        ensure_defaults()
        _key, plain = create_key(f"bench-{secrets.token_hex(3)}")
        client = clients.register(
            clients.ClientInput(
                name="Cliente Bench", email=f"{secrets.token_hex(4)}@bench.example"
            ),
            None,
        )
        db.session.commit()
        client_id = client.id
    return app, plain, client_id


def _wait_ready(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _api_phase(port: int, key: str, path: str, body: str, per_request: int):
    """POST `body` from THREADS connections for DURATION_S: (orders created, errors, seconds)."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    counts = {"ok": 0, "errors": 0, "sent": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION_S

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        ok = errors = 0
        while time.monotonic() < stop_at:
            with lock:
                if counts["sent"] >= MAX_REQUESTS:
                    break
                counts["sent"] += 1
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok, errors = (ok + 1, errors) if response.status == 201 else (ok, errors + 1)
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DURATION_S + 120)
    return counts["ok"] * per_request, counts["errors"], time.monotonic() - started


def _floor_phase(app, client_id: int) -> tuple[float, float]:
    """Plain SQLAlchemy Core: (per-transaction orders/s, one-batch orders/s)."""
    from sqlalchemy import func, insert, select

    from portal.db import utcnow
    from portal.orders.models import Order, OrderItem, OrderStatus, OrderType

    engine = app.extensions["clientela"].engine
    with engine.connect() as conn:
        type_id = conn.scalar(select(func.min(OrderType.id)))
        status_id = conn.scalar(select(func.min(OrderStatus.id)))
        start_number = (conn.scalar(select(func.max(Order.number))) or 0) + 1_000_000

    def order_row(number: int) -> dict:
        now = utcnow()
        return {
            "number": number,
            "client_id": client_id,
            "type_id": type_id,
            "status_id": status_id,
            "origin": "bench",
            "items_total_cents": 74950,
            "discount_total_cents": 500,
            "shipping_cents": 1200,
            "total_cents": 75650,
            "item_count": 5,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }

    def item_rows(order_id: int) -> list[dict]:
        return [
            {
                "order_id": order_id,
                "position": p,
                "code": i["code"],
                "description": i["description"],
                "quantity_milli": i["quantity"] * 1000,
                "unit_price_cents": int(Decimal(i["unit_price"]) * 100),
                "discount_cents": 100,
                "total_cents": int(Decimal(i["unit_price"]) * 100) * i["quantity"] - 100,
            }
            for p, i in enumerate(ITEMS)
        ]

    # Core on the tables: the integer cent columns as stored (no ORM, no type conversion).
    order_table, item_table = Order.__table__, OrderItem.__table__
    order_insert = insert(order_table).returning(order_table.c.id)
    started = time.perf_counter()
    for n in range(FLOOR_ORDERS):
        with engine.begin() as conn:
            order_id = conn.execute(order_insert, order_row(start_number + n)).scalar_one()
            conn.execute(insert(item_table), item_rows(order_id))
    per_tx = FLOOR_ORDERS / (time.perf_counter() - started)

    started = time.perf_counter()
    base = start_number + FLOOR_ORDERS
    with engine.begin() as conn:
        ids = (
            conn.execute(
                insert(order_table).returning(order_table.c.id, sort_by_parameter_order=True),
                [order_row(base + n) for n in range(FLOOR_ORDERS)],
            )
            .scalars()
            .all()
        )
        conn.execute(insert(item_table), [row for oid in ids for row in item_rows(oid)])
    batched = FLOOR_ORDERS / (time.perf_counter() - started)
    return per_tx, batched


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="clientela-bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    engine_name = database_url.split(":", 1)[0]
    server = None
    try:
        app, key, client_id = _setup(database_url)
        app.extensions["clientela"].engine.dispose()
        port = _free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16)}
        server = subprocess.Popen(
            [
                gunicorn,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
                "portal:create_app()",
            ],
            cwd=str(ROOT),
            env=env,
            start_new_session=True,
        )
        _wait_ready(port)
        order = {"client_id": client_id, "items": ITEMS, "shipping": "12.00"}
        single = _api_phase(port, key, "/api/v1/orders", json.dumps(order), 1)
        batch = _api_phase(
            port, key, "/api/v1/orders/batch", json.dumps({"orders": [order] * BATCH_SIZE}),
            BATCH_SIZE,
        )  # fmt: skip
        rates = {}
        for name, (ok, errors, seconds), label in (
            ("single", single, "1 order per request"),
            ("batch", batch, f"{BATCH_SIZE} orders per request"),
        ):
            rates[name] = ok / seconds
            print(
                f"API, {label} (gunicorn, 2 workers, {THREADS} connections, {seconds:.1f} s): "
                f"{ok} orders, {errors} failed requests, {rates[name]:.0f} orders/s"
            )
        per_tx, batched = _floor_phase(app, client_id)
        print(f"Plain SQLAlchemy, one transaction per order: {per_tx:.0f} orders/s")
        print(f"Plain SQLAlchemy, all {FLOOR_ORDERS} orders in one batch: {batched:.0f} orders/s")
        print(
            f"Ratio to the per-order floor (target 0.30): single {rates['single'] / per_tx:.3f}, "
            f"batch {rates['batch'] / per_tx:.3f}"
        )
        print(
            json.dumps(
                {
                    "api_single_per_s": round(rates["single"], 1),
                    "api_batch_per_s": round(rates["batch"], 1),
                    "floor_per_order_tx_per_s": round(per_tx, 1),
                    "floor_one_batch_per_s": round(batched, 1),
                    "ratio_single": round(rates["single"] / per_tx, 3),
                    "ratio_batch": round(rates["batch"] / per_tx, 3),
                    "orders_single": single[0],
                    "orders_batch": batch[0],
                    "failed_requests": single[1] + batch[1],
                    "seconds_per_phase": DURATION_S,
                    "batch_size": BATCH_SIZE,
                    "items_per_order": len(ITEMS),
                    "database": engine_name,
                }
            )
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
