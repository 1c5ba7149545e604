"""Item 7 of issue 14: Redis unreachable must never turn a staff login into a 500."""

import logging
import socket

import pytest

from portal import create_app
from portal.extensions import limiter


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def app_without_redis(migrated, app):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    down = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": migrated, "REDIS_URL": url,
         "WTF_CSRF_ENABLED": False, "CLIENTELA_LOGIN_LIMIT_ACCOUNT": "3 per 15 minutes"}
    )  # fmt: skip
    assert down.config["RATELIMIT_STORAGE_URI"] == url
    yield down
    # The limiter is process-wide: give it back the test app's storage, alive.
    limiter._storage_dead = False
    limiter.init_app(app)
    down.extensions["clientela"].engine.dispose()


def test_login_works_and_still_throttles_with_redis_down(app_without_redis, staff, caplog):
    http = app_without_redis.test_client()
    caplog.set_level(logging.WARNING)
    ok = http.post(
        "/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"}
    )
    assert ok.status_code == 302
    assert http.get("/admin/clientes").status_code == 200
    assert "unreachable" in caplog.text  # the fallback is said in the log, not silent

    other = app_without_redis.test_client()
    wrong = {"email": "equipe@loja.example", "password": "errada-123456"}
    codes = [other.post("/admin/login", data=wrong).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]  # the per-account limit holds in memory
    page = other.post("/admin/login", data=wrong).get_data(as_text=True)
    assert "Muitas tentativas" in page or "tentativas" in page
