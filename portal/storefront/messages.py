"""The storefront's flash messages, under their own category prefix (apart from the back
office's and from the host shop's, which stay queued for their own pages)."""

import flask

PREFIX = "clientela-store-"


def flash(message: str, category: str = "info") -> None:
    flask.flash(str(message), PREFIX + category)


def take_messages() -> list[tuple[str, str]]:
    queued = flask.session.get("_flashes") or []
    ours = [(c.removeprefix(PREFIX), m) for c, m in queued if c.startswith(PREFIX)]
    if ours:
        rest = [(c, m) for c, m in queued if not c.startswith(PREFIX)]
        if rest:
            flask.session["_flashes"] = rest
        else:
            flask.session.pop("_flashes")
    return ours
