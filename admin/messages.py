"""The back office's flash messages, kept apart from the host shop's own.

Ours are flashed with the `clientela-` category prefix; the layout takes only those out of
the session, so a host's messages (flask-login's "Please log in...") never show in the back
office and stay queued for the host's own pages.
"""

import flask

PREFIX = "clientela-"


def flash(message: str, category: str = "info") -> None:
    """`flask.flash` under our prefix: `category` is success, info, warning or danger."""
    flask.flash(message, PREFIX + category)


def take_messages() -> list[tuple[str, str]]:
    """Pop our messages (category without the prefix, message), leaving the host's queued."""
    queued = flask.session.get("_flashes") or []
    ours = [(c.removeprefix(PREFIX), m) for c, m in queued if c.startswith(PREFIX)]
    if ours:
        rest = [(c, m) for c, m in queued if not c.startswith(PREFIX)]
        if rest:
            flask.session["_flashes"] = rest
        else:
            flask.session.pop("_flashes")
    return ours
