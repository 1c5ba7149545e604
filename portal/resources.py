"""Where templates and migrations live: in the package (wheel) or at the repo top (checkout)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"Clientela installation is incomplete: no {name}/ folder found")


def templates_dir() -> Path:
    return _find("templates")


def migrations_dir() -> Path:
    return _find("migrations")


def static_dir() -> Path:
    return PACKAGE_DIR / "static"
