"""Shared fixtures: one migrated database per xdist worker (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after each test; a fresh app per test."""

import os
import re
from collections.abc import Iterator
from contextlib import nullcontext

import pytest
import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.engine import make_url

from portal import create_app
from portal.db import Base, make_engine
from portal.extensions import limiter

KEEP_TABLES = {
    "clientela_client_statuses",
    "clientela_client_counters",
    "clientela_alembic_version",
}
_SEEDED_STATUSES: dict[str, list[dict]] = {}


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'clientela.db'}"
        return
    url = make_url(base)
    name = f"{url.database}_{_worker()}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_url) -> str:
    from portal.migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": database_url})
    upgrade(app)
    app.extensions["clientela"].engine.dispose()
    engine = make_engine(database_url)
    with engine.connect() as conn:
        _SEEDED_STATUSES[database_url] = [
            dict(row._mapping)
            for row in conn.execute(sa.text("SELECT * FROM clientela_client_statuses"))
        ]
    engine.dispose()
    return database_url


def _empty_database(url: str) -> None:
    engine = make_engine(url)
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
        conn.execute(sa.text("UPDATE clientela_client_counters SET count = 0"))
        # The seeded Situações stay (migrations insert them); what a test changed goes back.
        seeded = _SEEDED_STATUSES.get(url, [])
        statuses = sa.table(
            "clientela_client_statuses",
            *(sa.column(c) for c in (seeded[0] if seeded else {"id": 0})),
        )
        conn.execute(statuses.delete())
        if seeded:
            conn.execute(statuses.insert(), seeded)
    engine.dispose()


def _config_overrides(request) -> dict:
    values: dict = {}
    for marker in reversed(list(request.node.iter_markers("config"))):
        values.update(marker.kwargs)
    return values


@pytest.fixture
def app(migrated, request):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": migrated,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Page views stay in the process buffer until a test flushes them (portal/visits):
        # the buffer's thread must not write into the next test's database.
        "CLIENTELA_VISITS_FLUSH_SECONDS": 3600.0,
        **_config_overrides(request),
    }
    app = create_app(config)
    yield app
    from portal.visits import sink

    sink.discard(app)
    with app.app_context():
        limiter.reset()  # the limiter object is process-wide; its counts must not leak
    app.extensions["clientela"].engine.dispose()
    _empty_database(migrated)


@pytest.fixture
def ctx(app):
    """An app context for tests that call domain code directly (one session, like a request)."""
    with app.app_context():
        yield


@pytest.fixture
def staff(app):
    from portal import db
    from portal.staff.service import create_staff

    with app.app_context():
        user = create_staff("equipe@loja.example", "senha-forte-123", "Equipe")
        db.session.commit()
    return user


@pytest.fixture
def http(app):
    return app.test_client()


@pytest.fixture
def admin_http(http, staff):
    response = http.post(
        "/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"}
    )
    assert response.status_code == 302
    return http


@pytest.fixture
def make_client(app, staff):
    """Factory: a saved client, valid by default; keyword arguments override fields.

    Inside `ctx` the client stays attached to the test's session; otherwise it is detached."""
    from portal import db
    from portal.clients import service

    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        data = service.ClientInput(name=overrides.pop("name", f"Cliente {counter['n']}"))
        for key, value in overrides.items():
            setattr(data, key, value)
        with nullcontext() if has_app_context() else app.app_context():
            client = service.register(data, staff)
            db.session.commit()
        return client

    return make


def field_errors(html: str) -> list[str]:
    """The messages shown next to fields (and at the top of the form), as a person reads them."""
    import html as html_lib

    found = re.findall(r'class="invalid-feedback d-block">(.*?)</div>', html, re.S)
    found += re.findall(r'class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    return [html_lib.unescape(m.strip()) for m in found]


@pytest.fixture
def babel_pt_br():
    """A bare app context whose locale is pt_BR, for rules called outside any request (their
    messages are translated when raised, and need a locale to be in Portuguese)."""
    from flask import Flask
    from flask_babel import Babel

    host = Flask("rules")
    host.config["BABEL_DEFAULT_LOCALE"] = "pt_BR"
    Babel(host)
    with host.app_context():
        yield
