"""Time the client list page at 1,000 and 1,000,000 clients, on SQLite and PostgreSQL.

`python bench/list_clients.py` (no arguments: full size, set-up included). For each engine it
builds (or reuses, when already seeded to the right size) one database per size with
bench/seed.py, then requests the real list page through the app (routing, staff session,
queries, templates) for each case, and prints p50/p95 in ms per case and size, the ratio
p50(1M)/p50(1k) (target <= 2.0), and as its last line one JSON object with every figure.

Options: BENCH_SIZES="1000,1000000", BENCH_ENGINES="sqlite,postgresql",
BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
BENCH_REPEAT (default 25), BENCH_FRESH=1 to rebuild the databases.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import BENCH_STAFF, prepared_app

from portal import db
from portal.clients.listing import encode_cursor
from portal.clients.models import Client, Tag

DATA = Path(__file__).resolve().parent / ".data"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,1000000").split(",")]
ENGINES = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))
FRESH = os.environ.get("BENCH_FRESH") == "1"
STAFF = BENCH_STAFF


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


def main() -> None:
    figures: dict = {}
    for engine in ENGINES:
        apps = {}
        for size in SIZES:
            url = database_url(engine, size)
            if url is None:
                break
            print(f"{engine}: {size:,} clients", flush=True)
            apps[size] = prepare(url, size)
            apps[size].config["WTF_CSRF_ENABLED"] = False
        if len(apps) != len(SIZES):
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
        figures[engine] = {"max_ratio": max(c["ratio"] for c in table.values()), "cases": table}
    figures["sizes"] = SIZES
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    main()
