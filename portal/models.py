"""Imports every domain's `models` module so metadata (Alembic, tests) sees all tables."""

import importlib
import pkgutil
from pathlib import Path

# The folder, not `import portal`: that would import the plugin (and everything) from here.
for _module in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _module.ispkg and importlib.util.find_spec(f"portal.{_module.name}.models"):
        importlib.import_module(f"portal.{_module.name}.models")
