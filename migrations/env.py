"""Alembic environment: the engine comes from the app (portal.migrate), never from a file."""

from alembic import context

import portal.models  # noqa: F401  (registers every table on Base.metadata)
from portal.db import Base
from portal.migrate import VERSION_TABLE, include_object

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
