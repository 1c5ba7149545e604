"""Alembic environment: the engine comes from the app (portal.migrate), never from a file.

One transaction per revision on both engines (the migration engine makes SQLite's DDL
transactional): a failing revision leaves the database as it found it."""

from alembic import context

import portal.models  # noqa: F401  (registers every table on Base.metadata)
from portal.db import Base
from portal.migrate import VERSION_TABLE, check_foreign_keys, include_object

config = context.config
engine = config.attributes["engine"]


def _before_commit(*, ctx, step, heads, run_args) -> None:
    check_foreign_keys(ctx.connection)


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
        transaction_per_migration=True,
        transactional_ddl=True,
        on_version_apply=_before_commit,
    )
    with context.begin_transaction():
        context.run_migrations()
