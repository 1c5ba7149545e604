"""Signals the API sends once its transaction is committed (never for a refused request).

Handlers `announce(signal, **kwargs)`; the dispatcher sends them after its commit, with
`source="api"` (an idempotent replay sends nothing: nothing new was saved).
"""

from typing import Any

from flask import g

from portal.extension_points import send


def announce(signal, **kwargs: Any) -> None:
    g.setdefault("clientela_api_events", []).append((signal, kwargs))


def send_announced() -> None:
    for signal, kwargs in g.pop("clientela_api_events", []):
        send(signal, source="api", **kwargs)


def forget_announced() -> None:
    g.pop("clientela_api_events", None)
