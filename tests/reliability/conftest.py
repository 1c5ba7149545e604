"""A real server for the concurrency tests: gunicorn on a free 127.0.0.1 port, serving the
test database with several workers, so requests truly run in parallel."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.orders.factories import api, api_key, lists, make_order, order_lists  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, migrated, tmp_path):
    """The base URL of gunicorn serving `migrated`; stopped before the database is emptied."""
    if not migrated.startswith("postgresql"):
        pytest.skip(
            "real parallel requests need PostgreSQL (SQLite serialises every writer): "
            "set TEST_DATABASE_URL"
        )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": migrated,
        "SECRET_KEY": "test-secret",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("REDIS_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--graceful-timeout", "5", "--preload", "--log-level", "warning",
         "portal:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/admin/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        print(log_path.read_text()[-3000:])  # shown when a test fails
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
