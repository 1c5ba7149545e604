"""Imports every domain's `models` module so metadata (Alembic, tests) sees all tables."""

import importlib
import pkgutil

import portal

for _module in pkgutil.iter_modules(portal.__path__):
    if _module.ispkg and importlib.util.find_spec(f"portal.{_module.name}.models"):
        importlib.import_module(f"portal.{_module.name}.models")
