"""The batch writer: visits are runs of page views less than 30 minutes apart."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal import db
from portal.visits.models import PageView, Visit
from portal.visits.sink import write_records

T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
VISITOR = "a" * 32


def _record(minutes: float, path: str, visitor: str = VISITOR, **extra) -> dict:
    return {"v": visitor, "at": (T0 + timedelta(minutes=minutes)).isoformat(), "p": path,
            "ua": "Mozilla/5.0 Firefox/130.0", "h": "loja.example", **extra}  # fmt: skip


def _visits(app):
    with app.app_context():
        return list(db.session.scalars(select(Visit).order_by(Visit.started_at)))


def test_thirty_minutes_apart_starts_a_new_visit(app):
    write_records(
        app,
        [
            _record(0, "/a", r="https://www.google.com/", q="utm_source=ads"),
            _record(10, "/b"),
            _record(39.9, "/c"),  # 29.9 min after /b: same visit
            _record(70, "/d"),  # 30.1 min after /c: a new visit
            _record(5, "/x", visitor="b" * 32),
        ],
    )
    first, other, second = _visits(app)
    assert (first.pages, first.entry_path, first.exit_path) == (3, "/a", "/c")
    assert first.ended_at - first.started_at == timedelta(minutes=39.9)
    assert first.source == "ads"
    assert (second.pages, second.entry_path, second.source) == (1, "/d", None)
    assert other.visitor_id == "b" * 32
    # exactly thirty minutes is not "less than thirty": a new visit
    write_records(app, [_record(100, "/e")])
    assert len(_visits(app)) == 4


def test_late_records_join_the_visit_they_belong_to(app):
    write_records(app, [_record(0, "/a"), _record(20, "/c")])
    write_records(app, [_record(10, "/b"), _record(45, "/d")])  # a later batch, out of order
    [visit] = _visits(app)
    assert (visit.pages, visit.entry_path, visit.exit_path) == (4, "/a", "/d")
    with app.app_context():
        paths = db.session.scalars(
            select(PageView.path).where(PageView.visit_id == visit.id).order_by(PageView.at)
        ).all()
    assert paths == ["/a", "/b", "/c", "/d"]


def test_unusable_records_are_dropped_not_fatal(app):
    written = write_records(app, [{"v": "", "at": "x"}, {"p": "/"}, _record(0, "/ok")])
    assert written == 1


def test_known_client_gets_last_visit_at(app, make_client):
    client = make_client()
    write_records(app, [_record(0, "/a", c=client.id), _record(5, "/b", c=client.id)])
    with app.app_context():
        from portal.clients.models import Client

        saved = db.session.get(Client, client.id)
        assert saved.last_visit_at == T0 + timedelta(minutes=5)
        assert saved.version == client.version  # no version bump: an open edit still saves
    write_records(app, [_record(-60, "/older", c=client.id)])
    with app.app_context():
        assert db.session.get(Client, client.id).last_visit_at == T0 + timedelta(minutes=5)


def test_a_signed_in_page_links_the_visitors_earlier_visits(app, make_client):
    """However the client signed in (a password link sends no login signal)."""
    client = make_client()
    write_records(app, [_record(0, "/anonimo"), _record(100, "/outra-visita")])
    write_records(app, [_record(110, "/conta/pedidos", c=client.id)])
    assert {v.client_id for v in _visits(app)} == {client.id}


def test_a_deleted_clients_session_writes_an_anonymous_page_view(app):
    assert write_records(app, [_record(0, "/x", c=999_999)]) == 1
    [visit] = _visits(app)
    assert visit.client_id is None
