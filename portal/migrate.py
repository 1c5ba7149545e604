"""Alembic, driven from the app: our own history and version table, beside any host's."""

from alembic import command
from alembic.config import Config
from flask import Flask

from portal.resources import migrations_dir

VERSION_TABLE = "clientela_alembic_version"
# Search indexes that live outside the models (engine-specific DDL in the migrations).
UNMODELLED = ("clients_fts", "ix_clients_search_text_trgm")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the engine-specific search objects the migrations create."""
    return not (reflected and name and name.startswith(UNMODELLED))


def alembic_config(app: Flask) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["engine"] = app.extensions["clientela"].engine
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Every branch to its newest revision (domains add their own branches off the base)."""
    command.upgrade(alembic_config(app), revision)


def revision(app: Flask, message: str) -> None:
    command.revision(alembic_config(app), message=message, autogenerate=True)
