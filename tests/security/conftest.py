"""A real HTTP server for the tests that need real wire behaviour (chunked bodies)."""

import threading

import pytest
from werkzeug.serving import make_server

from tests.orders.factories import api_key  # noqa: F401


@pytest.fixture
def live(app):
    """The test's app behind Werkzeug's threaded server on loopback: (host, port)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port
    server.shutdown()
    thread.join(timeout=5)
