"""Visits fixtures: a browser-like test client, the buffer flushed on demand, rows read back."""

import pytest
from sqlalchemy import select

from portal import db
from portal.visits import sink
from portal.visits.models import PageView, Visit
from tests.orders.factories import api, api_key, lists, make_order, order_lists  # noqa: F401
from tests.storefront.conftest import account, sign_in, signed_in, smtp  # noqa: F401

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def browser(app):
    """A test client that looks like Chrome on a desktop."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": CHROME, "REMOTE_ADDR": "203.0.113.77"})
    return client


@pytest.fixture
def flush(app):
    """Write the process buffer now (what the background thread does every second)."""

    def run() -> int:
        return sink.flush(app)

    return run


@pytest.fixture
def page_views(app):
    def read() -> list[PageView]:
        with app.app_context():
            return list(db.session.scalars(select(PageView).order_by(PageView.at, PageView.id)))

    return read


@pytest.fixture
def visits(app):
    def read() -> list[Visit]:
        with app.app_context():
            return list(db.session.scalars(select(Visit).order_by(Visit.started_at, Visit.id)))

    return read
