"""Table names a host shop cannot collide with: every name of ours starts with `clientela_`;
installations from before the prefix are renamed with their data; a name already taken by the
host stops `clientela migrate` before any change; a failing revision leaves nothing behind."""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from portal import create_app
from portal.db import PREFIX, make_engine
from portal.migrate import NameCollision, RevisionFailed, upgrade
from portal.resources import migrations_dir

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.xdist_group("table_names")


@pytest.fixture
def blank(tmp_path, request):
    """A factory of empty databases on the engine under test (dropped afterwards)."""
    base = os.environ.get("TEST_DATABASE_URL")
    created = []

    def make(name: str) -> str:
        if not base:
            return f"sqlite:///{tmp_path / (name + '.db')}"
        url = make_url(base)
        db_name = f"{url.database}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{name}"
        with _admin(url) as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{db_name}"'))
        created.append(db_name)
        return url.set(database=db_name).render_as_string(hide_password=False)

    yield make
    if base:
        with _admin(make_url(base)) as conn:
            for db_name in created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))


def _admin(url):
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    return engine.connect()


def _app(url: str):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False}
    )


def _run(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def _load_legacy(url: str) -> None:
    """The database an installation of commit c2a12e9 has (demo data, orders, an API key)."""
    if url.startswith("sqlite"):
        shutil.copy(FIXTURES / "legacy_0006.sqlite", make_url(url).database)
        return
    engine = sa.create_engine(make_url(url))
    with engine.begin() as conn:
        conn.exec_driver_sql((FIXTURES / "legacy_0006.postgresql.sql").read_text())
    engine.dispose()


def _schema(url: str) -> dict[str, set]:
    """Every named object with its definition, as the engine stores it."""
    engine = make_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master")
            schema = {"objects": {tuple(r) for r in rows}}
        else:
            query = {
                "columns": "SELECT table_name, column_name, data_type, is_nullable, "
                "column_default FROM information_schema.columns WHERE table_schema = 'public'",
                "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public'",
                "constraints": "SELECT conrelid::regclass::text, conname, "
                "pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace",
                "relations": "SELECT relname, relkind FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace",
            }
            schema = {k: {tuple(r) for r in conn.exec_driver_sql(q)} for k, q in query.items()}
    engine.dispose()
    return schema


def _names(url: str) -> set[str]:
    """Tables, indexes, sequences, triggers and constraints in the database."""
    engine = make_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        else:
            sql = (
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                "UNION SELECT conname FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace "
                "UNION SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            )
        names = {row[0] for row in conn.exec_driver_sql(sql)}
    engine.dispose()
    return names


def _scalar(url: str, sql: str):
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.exec_driver_sql(sql).scalar()
    engine.dispose()
    return value


def test_every_name_we_create_is_prefixed_and_fits_postgresql(blank):
    url = blank("fresh")
    upgrade(_app(url))
    ours = _names(url)
    assert ours and all(n.startswith(PREFIX) for n in ours), sorted(
        n for n in ours if not n.startswith(PREFIX)
    )
    assert max(len(n) for n in ours) <= 63


def test_host_orders_table_stays_untouched_beside_ours(blank):
    url = blank("host")
    _run(url, "CREATE TABLE orders (id INTEGER PRIMARY KEY, sku VARCHAR(20))")
    _run(url, "INSERT INTO orders (id, sku) VALUES (7, 'HOST-7')")
    upgrade(_app(url))
    assert _scalar(url, "SELECT sku FROM orders WHERE id = 7") == "HOST-7"
    assert _scalar(url, "SELECT count(*) FROM orders") == 1
    assert _scalar(url, "SELECT count(*) FROM clientela_order_statuses") == 6
    upgrade(_app(url))  # a second run changes nothing and does not complain


def test_legacy_installation_is_renamed_with_its_data(blank):
    legacy, fresh = blank("legacy"), blank("fresh2")
    _load_legacy(legacy)
    before = {
        table: _scalar(legacy, f"SELECT count(*) FROM {table}")
        for table in (
            "clients",
            "orders",
            "order_items",
            "addresses",
            "phones",
            "client_tags",
            "client_changes",
            "order_status_changes",
            "api_keys",
            "staff_users",
        )
    }
    counters = _scalar(legacy, "SELECT count(*) FROM client_counters WHERE count > 0")
    assert before["clients"] == 5 and before["orders"] == 5

    upgrade(_app(legacy))

    for table, count in before.items():
        assert _scalar(legacy, f"SELECT count(*) FROM {PREFIX}{table}") == count, table
    assert _scalar(legacy, "SELECT value FROM clientela_order_counters") == 5
    assert _scalar(legacy, "SELECT count(*) FROM clientela_client_counters WHERE count > 0") == (
        counters
    )
    # Nothing unprefixed is left, and the schema is the one a fresh install gets.
    assert all(name.startswith(PREFIX) for name in _names(legacy))
    upgrade(_app(fresh))
    assert _schema(legacy) == _schema(fresh)

    app = _app(legacy)
    http = app.test_client()
    login = http.post(
        "/admin/login", data={"email": "admin@clientela.example", "password": "clientela-demo"}
    )
    assert login.status_code == 302
    page = http.get("/admin/clientes?q=quente").text
    assert "Padaria Pão Quente Ltda" in page and "Maria da Silva" not in page
    # New rows get the next numbers and are found by the (rebuilt) search index.
    from portal import db
    from portal.clients import service
    from portal.staff.models import StaffUser

    with app.app_context():
        staff = db.session.scalar(sa.select(StaffUser))
        client = service.register(service.ClientInput(name="Zuleica Nova"), staff)
        db.session.commit()
        assert client.id == 6
    assert "Zuleica Nova" in http.get("/admin/clientes?q=zuleica").text
    app.extensions["clientela"].engine.dispose()


def test_a_host_name_we_would_create_stops_migrate_before_any_change(blank):
    url = blank("collide")
    _run(url, "CREATE TABLE clientela_orders (id INTEGER PRIMARY KEY, sku VARCHAR(20))")
    _run(url, "CREATE INDEX clientela_ix_clients_kind ON clientela_orders (sku)")
    app = _app(url)
    with pytest.raises(NameCollision) as caught:
        upgrade(app)
    assert caught.value.names == ["clientela_ix_clients_kind", "clientela_orders"]

    result = app.test_cli_runner().invoke(args=["clientela", "migrate"])
    assert result.exit_code == 1
    assert "clientela_ix_clients_kind, clientela_orders" in result.output
    assert "Nada foi alterado" in result.output or "Nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert _names(url) & {"clientela_alembic_version", "clientela_clients"} == set()
    app.extensions["clientela"].engine.dispose()


def test_a_failing_revision_leaves_the_database_as_it_was(blank, tmp_path):
    url = blank("atomic")
    app = _app(url)
    upgrade(app)
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(scripts))
    head = ScriptDirectory.from_config(config).get_current_head()  # the latest revision
    (scripts / "versions" / "0099_fails.py").write_text(
        '"""fails midway"""\n'
        "from alembic import op\n"
        f'revision = "0099"\ndown_revision = "{head}"\nbranch_labels = None\n'
        "depends_on = None\n"
        "def upgrade():\n"
        '    op.execute("CREATE TABLE clientela_scratch (id INTEGER PRIMARY KEY)")\n'
        '    op.execute("CREATE INDEX clientela_ix_scratch ON clientela_clients (name)")\n'
        '    op.execute("UPDATE clientela_order_counters SET value = 99")\n'
        '    op.execute("ALTER TABLE clientela_clients ADD COLUMN nickname VARCHAR(20)")\n'
        '    op.execute("INSERT INTO no_such_table VALUES (1)")\n'
        "def downgrade():\n    pass\n"
    )
    before = _schema(url)
    with pytest.raises(RevisionFailed) as caught:
        upgrade(app, scripts=str(scripts))
    assert caught.value.current == (head,)
    assert "no_such_table" in caught.value.detail
    assert _schema(url) == before
    assert _scalar(url, "SELECT value FROM clientela_order_counters") == 0
    app.extensions["clientela"].engine.dispose()


def test_cli_reports_a_failed_revision_without_a_traceback(blank, tmp_path):
    url = blank("cli_fail")
    _run(url, "CREATE TABLE clientela_alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    _run(url, "INSERT INTO clientela_alembic_version VALUES ('0005')")  # our row, no tables
    app = _app(url)
    result = app.test_cli_runner().invoke(args=["clientela", "migrate"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "0005" in result.output
    app.extensions["clientela"].engine.dispose()


def test_sqlite_fixture_is_the_legacy_layout():
    with sqlite3.connect(FIXTURES / "legacy_0006.sqlite") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"clients", "orders", "clients_fts"} <= names and "clientela_clients" not in names
