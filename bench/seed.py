"""Load N realistic clients fast: `python bench/seed.py N` (into DATABASE_URL, default SQLite).

Faker pt_BR names and addresses, valid and unique CPFs/CNPJs, phones, tags, and a mix of the
four relationship groups. Rows go in with bulk inserts (COPY on PostgreSQL); the derived
search/sort columns are computed by the same functions the app uses, and the counters are
recounted at the end.
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faker import Faker
from sqlalchemy import func, insert, select, text

from portal import create_app, db
from portal.clients import relationship
from portal.clients.models import Address, Client, ClientStatus, Phone, Tag, client_tags
from portal.migrate import upgrade
from portal.security.passwords import hash_password
from portal.staff.service import create_staff

BATCH = 20_000
TAGS = [
    "vip",
    "atacado",
    "varejo",
    "revenda",
    "newsletter",
    "black-friday",
    "sp",
    "rj",
    "mg",
    "sul",
    "nordeste",
    "inadimplente",
    "fidelidade",
    "b2b",
    "marketplace",
    "instagram",
    "indicacao",
    "evento-2025",
    "evento-2026",
    "recompra",
]
DDDS = [11, 21, 31, 41, 47, 48, 51, 61, 62, 71, 81, 85, 91]


def _dv(digits: str, weights: list[int]) -> str:
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "0" if total < 2 else str(11 - total)


def cpf(n: int) -> str:
    base = f"{(n * 7_919 + 104_729) % 1_000_000_000:09d}"
    first = _dv(base, list(range(10, 1, -1)))
    return base + first + _dv(base + first, list(range(11, 1, -1)))


def cnpj(n: int) -> str:
    base = f"{(n * 6_007 + 3_571) % 100_000_000:08d}0001"
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _dv(base, weights)
    return base + first + _dv(base + first, [6, *weights])


def make_app():
    app = create_app(
        {
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
            **(
                {"DATABASE_URL": os.environ["DATABASE_URL"]}
                if os.environ.get("DATABASE_URL")
                else {}
            ),
        }
    )
    upgrade(app)
    return app


def seed(app, n: int, *, seed_value: int = 2026) -> float:
    """Insert n clients (ids continue after the existing ones); seconds taken."""
    started = time.perf_counter()
    fake = Faker("pt_BR")
    Faker.seed(seed_value)
    rng = random.Random(seed_value)
    with app.app_context():
        session = db.session
        engine = session.bind
        statuses = {s.name: s for s in session.scalars(select(ClientStatus))}
        tag_ids = []
        for name in TAGS:
            tag = session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
            session.add(tag)
            session.flush()
            tag_ids.append(tag.id)
        session.commit()
        start_id = (session.scalar(text("SELECT max(id) FROM clientela_clients")) or 0) + 1
        session.commit()  # no open read transaction may hold locks the DDL below waits for
        password_hash = hash_password("senha-de-bench")
        now = datetime.now(UTC)
        names = [fake.name() for _ in range(2_000)]
        companies = [fake.company() for _ in range(1_000)]
        streets = [fake.street_name() for _ in range(1_000)]
        cities = [(fake.city(), fake.estado_sigla()) for _ in range(300)]
        districts = [fake.bairro() for _ in range(500)]
        first_names = [fake.first_name() for _ in range(500)]
        last_names = [fake.last_name() for _ in range(300)]
        postgres = engine.dialect.name == "postgresql"
        if postgres:  # a GIN index is much faster built once than maintained row by row
            with engine.begin() as connection:
                connection.execute(
                    text("DROP INDEX IF EXISTS clientela_ix_clients_search_text_trgm")
                )
        for chunk_start in range(0, n, BATCH):
            clients, phones, addresses, tags = [], [], [], []
            for offset in range(chunk_start, min(n, chunk_start + BATCH)):
                client_id = start_id + offset
                company = rng.random() < 0.3
                if company:
                    name = f"{rng.choice(companies)} {rng.choice(last_names)}"
                    document = cnpj(client_id)
                else:
                    name = f"{rng.choice(first_names)} {rng.choice(names).split(' ', 1)[-1]}"
                    document = cpf(client_id)
                roll = rng.random()
                inactive = roll < 0.08
                status = statuses["Inativo" if inactive else "Ativo"]
                has_credentials = rng.random() < 0.6
                domain = rng.choice(["gmail.com", "uol.com.br", "hotmail.com", "empresa.com.br"])
                with_email = has_credentials or rng.random() < 0.5
                email = f"{fake.user_name()}.{client_id}@{domain}" if with_email else None
                bought = rng.random() < 0.4
                created = now - timedelta(days=rng.randint(0, 2_000), minutes=rng.randint(0, 1440))
                first_purchase = created + timedelta(days=rng.randint(0, 30)) if bought else None
                last_purchase = (
                    first_purchase + timedelta(days=rng.randint(0, 300)) if bought else None
                )
                phone = f"+55{rng.choice(DDDS)}9{rng.randint(10_000_000, 99_999_999)}"
                stub = Client(name=name, trade_name=None, document=document, email=email)
                stub.phones = [Phone(number=phone, kind="Celular")]
                clients.append(
                    {
                        "id": client_id,
                        "kind": "PJ" if company else "PF",
                        "name": name,
                        "document": document,
                        "email": email,
                        "password_hash": password_hash if has_credentials and email else None,
                        "ie_indicator": "nao_contribuinte",
                        "is_supplier": rng.random() < 0.03,
                        "has_conflict": rng.random() < 0.02,
                        "email_consent": rng.random() < 0.5,
                        "origin": "storefront" if has_credentials else "staff",
                        "status_id": status.id,
                        "created_at": created,
                        "updated_at": created,
                        "first_purchase_at": first_purchase,
                        "last_purchase_at": last_purchase,
                        "version": 1,
                        "relationship_group": relationship.group_of(
                            not inactive, bought, bool(has_credentials and email)
                        ),
                        "sort_name": relationship.fold(name)[:200],
                        "search_text": relationship.search_text_of(stub),
                    }
                )
                phones.append(
                    {
                        "client_id": client_id,
                        "number": phone,
                        "kind": "Celular",
                        "reversed_digits": relationship.phone_search_key(phone),
                        "consent_sms": False,
                        "consent_whatsapp": False,
                        "consent_viber": False,
                        "position": 0,
                    }
                )
                city, uf = rng.choice(cities)
                addresses.append(
                    {
                        "client_id": client_id,
                        "kind": "padrao",
                        "is_active": True,
                        "cep": f"{rng.randint(1_000_000, 99_999_999):08d}",
                        "street": rng.choice(streets),
                        "number": str(rng.randint(1, 3000)),
                        "district": rng.choice(districts),
                        "city": city,
                        "uf": uf,
                        "created_at": created,
                        "version": 1,
                    }
                )
                for tag_id in rng.sample(tag_ids, k=rng.choice((0, 0, 1, 1, 2))):
                    tags.append({"client_id": client_id, "tag_id": tag_id})
            _bulk(engine, Client.__table__, clients)
            _bulk(engine, Phone.__table__, phones)
            _bulk(engine, Address.__table__, addresses)
            _bulk(engine, client_tags, tags)
        if postgres:
            with engine.begin() as connection:
                connection.execute(
                    text(
                        "CREATE INDEX clientela_ix_clients_search_text_trgm ON clientela_clients "
                        "USING gin (search_text gin_trgm_ops)"
                    )
                )
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('clientela_clients', 'id'), "
                        "(SELECT max(id) FROM clientela_clients))"
                    )
                )
            # VACUUM, not only ANALYZE: rows fresh from COPY are not marked all-visible, so
            # every "index-only" walk of the list would visit the table too (8,000 heap
            # fetches for 8,000 index rows) until autovacuum passes, as it soon would in
            # production (and never does where autovacuum is off, as on this test server).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM (ANALYZE)"))
        else:
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        relationship.recount(session)
        session.commit()
    return time.perf_counter() - started


def _bulk(engine, table, rows) -> None:
    if not rows:
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            columns = list(rows[0])
            cursor = connection.connection.cursor()
            quoted = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        else:
            connection.execute(insert(table), rows)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    app = make_app()
    seconds = seed(app, count)
    print(f'{{"seeded": {count}, "seconds": {seconds:.1f}}}')


BENCH_STAFF = ("bench@clientela.example", "senha-de-bench")


def prepared_app(url: str, size: int, **config):
    """An app on `url` migrated and holding exactly `size` seeded clients and the bench staff
    user (seeded once; a database of another size is refused rather than mixed)."""
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, **config})
    upgrade(app)
    with app.app_context():
        have = db.session.scalar(select(func.count(Client.id)))
    if have != size:
        if have:
            raise SystemExit(f"{url} holds {have} clients, not {size}: drop that database first")
        started = time.perf_counter()
        seed(app, size)
        print(f"  seeded {size:,} clients in {time.perf_counter() - started:.0f} s", flush=True)
    with app.app_context():
        found = db.session.scalar(
            text("SELECT 1 FROM clientela_staff_users WHERE email = :e"), {"e": BENCH_STAFF[0]}
        )
        if not found:
            create_staff(*BENCH_STAFF)
            db.session.commit()
    return app
