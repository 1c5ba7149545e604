"""Retention: purge-visits drops whole monthly partitions on PostgreSQL, deletes by `at` on
SQLite; the boundary month keeps what is newer than the cutoff."""

from datetime import UTC, datetime

from sqlalchemy import select

from portal import db
from portal.visits import partitions
from portal.visits.models import PageView, Visit
from portal.visits.purge import parse_age, purge
from portal.visits.sink import write_records


def _at(*args) -> str:
    return datetime(*args, tzinfo=UTC).isoformat()


def _load(app):
    records = [
        {"v": "1" * 32, "p": "/jan", "ua": "x", "at": _at(2025, 1, 15, 12)},
        {"v": "2" * 32, "p": "/fev", "ua": "x", "at": _at(2025, 2, 15, 12)},
        {"v": "3" * 32, "p": "/mar-old", "ua": "x", "at": _at(2025, 3, 10, 12)},
        {"v": "4" * 32, "p": "/mar-new", "ua": "x", "at": _at(2025, 3, 20, 12)},
        {"v": "5" * 32, "p": "/now", "ua": "x", "at": datetime.now(UTC).isoformat()},
    ]
    write_records(app, records)


def test_purge_by_partition_and_boundary_delete(app):
    _load(app)
    engine = app.extensions["clientela"].engine
    postgres = engine.dialect.name == "postgresql"
    if postgres:
        with engine.connect() as connection:
            months = partitions.existing(connection)
        assert {partitions.partition_name(m) for m in months} >= {
            "clientela_page_views_p2025_01",
            "clientela_page_views_p2025_02",
            "clientela_page_views_p2025_03",
        }
    result = purge(engine, datetime(2025, 3, 15, tzinfo=UTC))
    if postgres:
        assert result.dropped_partitions == [
            "clientela_page_views_p2025_01",
            "clientela_page_views_p2025_02",
        ]
        assert result.page_views_deleted == 1  # the boundary partition: only /mar-old
        with engine.connect() as connection:
            names = set(partitions.existing(connection).values())
        assert "clientela_page_views_p2025_01" not in names
        assert "clientela_page_views_p2025_03" in names
    else:
        assert result.page_views_deleted == 3
    assert result.visits_deleted == 3
    with app.app_context():
        assert sorted(db.session.scalars(select(PageView.path))) == ["/mar-new", "/now"]
        assert len(db.session.scalars(select(Visit)).all()) == 2
    # a late page view for a dropped month makes its partition again
    write_records(app, [{"v": "6" * 32, "p": "/late", "ua": "x", "at": _at(2025, 1, 20)}])
    with app.app_context():
        assert "/late" in db.session.scalars(select(PageView.path)).all()


def test_purge_command(app):
    _load(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["clientela", "purge-visits", "--older-than", "180d"])
    assert result.exit_code == 0, result.output
    assert "Visitas anteriores a" in result.output
    with app.app_context():
        assert db.session.scalars(select(PageView.path)).all() == ["/now"]
    bad = runner.invoke(args=["clientela", "purge-visits", "--older-than", "seis meses"])
    assert bad.exit_code == 2 and "180d" in bad.output


def test_parse_age():
    assert parse_age("180d").days == 180
    assert parse_age("26w").days == 182
    assert parse_age("6m").days == 180
    assert parse_age("90").days == 90
