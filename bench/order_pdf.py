"""Order PDF speed: median ms to render a 10-item and a 300-item order, and the cache.

    .venv/bin/python bench/order_pdf.py      # own temp SQLite database, no arguments

Data goes in through the app's services (migrations, client, address, orders as staff save
them). The order form takes at most 200 items (`portal.orders.rules.MAX_ITEMS`), so the
300-item order gets its last 100 lines appended through the ORM, totals kept consistent.

- `pdf_10_ms`, `pdf_300_ms`: median of ROUNDS renders each, the in-memory and disk caches
  bypassed (fonts and CSS are set up once per process, before the first timed round);
  `ratio_300_10` = 300 / 10 (target <= 30: nothing worse than linear).
- `cached_ms`: median of a second download of the same order version (order loaded as a
  request loads it, then `order_document`), `cached_speedup` = pdf_10_ms / cached_ms
  (target >= 20); `disk_cached_ms` the same with memory cleared (another gunicorn worker).
The last line is one JSON object.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def _setup(database_url: str, cache_dir: str):
    from portal import create_app, db
    from portal.clients import service as clients
    from portal.clients.addresses import AddressInput, add_address
    from portal.migrate import upgrade
    from portal.orders import service as orders
    from portal.orders.seeds import ensure_defaults
    from portal.orders.validation import ItemInput, OrderInput

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "DATABASE_URL": database_url,
            "CLIENTELA_SHOP_NAME": "Loja Bench",
            "CLIENTELA_SHOP_CNPJ": "11222333000181",
            "CLIENTELA_DOCUMENT_CACHE_DIR": cache_dir,
        }
    )
    upgrade(app)
    with app.app_context():
        ensure_defaults()
        client = clients.register(
            clients.ClientInput(
                name="Cliente Bench", document="52998224725", email="bench@cliente.example"
            ),
            None,
        )
        address = add_address(
            client.id,
            AddressInput(
                "padrao",
                True,
                "01310100",
                "Avenida Paulista",
                "1000",
                "Bela Vista",
                "São Paulo",
                "SP",
            ),
            None,
        )
        types = {t.name: t.id for t in orders.queries.order_types()}
        statuses = {s.name: s.id for s in orders.queries.order_statuses()}
        actor = orders.Actor(label="Bench")
        ids = {}
        for count in (10, 300):
            lines = [
                ItemInput(f"SKU-{n:05d}", f"Produto de teste número {n}", "2", "19.90", "1.00")
                for n in range(1, count + 1)
            ]
            data = OrderInput(
                type_id=types["Pedido"],
                status_id=statuses["Pago"],
                items=lines[:200],
                shipping="15.00",
                delivery_address_id=address.id,
            )
            ids[count] = orders.create_order(client.id, data, actor).id
            db.session.flush()
            if count > 200:
                _append(ids[count], lines[200:])
        db.session.commit()
    return app, ids


def _append(order_id: int, lines) -> None:
    from portal import db
    from portal.orders import rules
    from portal.orders.models import Order, OrderItem

    order = db.session.get(Order, order_id)
    for position, line in enumerate(lines, start=len(order.items) + 1):
        quantity, price, discount = (
            Decimal(v) for v in (line.quantity, line.unit_price, line.discount)
        )
        total = rules.line_total(quantity, price, discount)
        order.items.append(
            OrderItem(
                position=position,
                code=line.code,
                description=line.description,
                quantity=quantity,
                unit_price=price,
                discount=discount,
                total=total,
            )
        )
        order.items_total += total + discount  # as validation.Checked: before discounts
        order.discount_total += discount
        order.total += total
    order.item_count = len(order.items)


def _pages(body: bytes) -> int | None:
    """Page count by pdfinfo (poppler-utils, installed by `make test`); None without it."""
    if not shutil.which("pdfinfo"):
        return None
    out = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True)
    found = re.search(rb"^Pages:\s+(\d+)", out.stdout, re.M)
    return int(found.group(1)) if found else None


def _median_ms(func, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from portal.documents import service
    from portal.documents.content import read_order
    from portal.documents.pdf import render_pdf
    from portal.orders.queries import load_order

    with tempfile.TemporaryDirectory(prefix="bench-order-pdf-") as tmp:
        app, ids = _setup(f"sqlite:///{tmp}/bench.db", f"{tmp}/documents")
        with app.test_request_context():
            shop = service._shop()
            orders = {count: load_order(order_id) for count, order_id in ids.items()}
            contents = {count: read_order(order, shop) for count, order in orders.items()}
            render_pdf(contents[10])  # warm-up: fonts, CSS, template (once per process)
            pdf_10 = _median_ms(lambda: render_pdf(contents[10]))
            pdf_300 = _median_ms(lambda: render_pdf(contents[300]), max(3, ROUNDS // 2))
            pages_300 = _pages(render_pdf(contents[300]))

        def download(order_id: int):
            with app.test_request_context():
                return service.order_document(load_order(order_id), "pdf")

        service.clear_memory_cache()
        start = time.perf_counter()
        first = download(ids[10])
        first_ms = (time.perf_counter() - start) * 1000
        cached = _median_ms(lambda: download(ids[10]), 50)
        assert download(ids[10]) is first

        def from_disk():
            service.clear_memory_cache()
            download(ids[10])

        disk_cached = _median_ms(from_disk, 20)
        renders = service.stats["renders"]

    result = {
        "pdf_10_ms": round(pdf_10, 1),
        "pdf_300_ms": round(pdf_300, 1),
        "pages_300": pages_300,
        "ratio_300_10": round(pdf_300 / pdf_10, 2),
        "first_download_ms": round(first_ms, 1),
        "cached_ms": round(cached, 3),
        "disk_cached_ms": round(disk_cached, 3),
        "cached_speedup": round(pdf_10 / cached, 1),
        "disk_cached_speedup": round(pdf_10 / disk_cached, 1),
        "renders_during_downloads": renders,
    }
    print(f"10-item PDF: {result['pdf_10_ms']} ms (median of {ROUNDS})")
    print(f"300-item PDF: {result['pdf_300_ms']} ms, {pages_300} pages")
    print(f"ratio_300_10: {result['ratio_300_10']} (target <= 30)")
    print(
        f"cached download: {result['cached_ms']} ms from memory, "
        f"{result['disk_cached_ms']} ms from disk"
    )
    print(f"cached_speedup: {result['cached_speedup']} (target >= 20)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
