"""The Alembic history builds exactly the schema the models describe, on this engine."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal import db
from portal.db import Base
from portal.migrate import VERSION_TABLE, include_object


def test_migrations_match_the_models(app):
    import portal.models  # noqa: F401

    engine = app.extensions["clientela"].engine
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "version_table": VERSION_TABLE,
                "include_object": include_object,
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_statuses_are_seeded_with_only_ativo_granting_access(app):
    from portal.clients.queries import statuses

    with app.app_context():
        seeded = {s.name: s.grants_access for s in statuses()}
        assert seeded == {"Ativo": True, "Inativo": False, "Bloqueado": False, "Em análise": False}
        assert db.session.bind.dialect.name in {"sqlite", "postgresql"}
