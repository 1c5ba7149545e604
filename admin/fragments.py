"""Back-office HTML that is the same for every staff user, rendered once and reused.

A fragment is kept per app under a key naming everything it shows besides the locale and
the mount point (added here), so a changed input is a new key, never a stale page. Each app
keeps at most `LIMIT` fragments (the oldest goes first). With templates reloaded on change
(debug), nothing is kept.
"""

from collections.abc import Callable
from threading import Lock
from weakref import WeakKeyDictionary

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup

LIMIT = 128

_rendered: "WeakKeyDictionary[Flask, dict[tuple, Markup]]" = WeakKeyDictionary()
_storing = Lock()  # a threaded server: one thread at a time drops the oldest and stores


def fragment(key: tuple, render: Callable[[], str]) -> Markup:
    """`render()`'s HTML for `key`, rendered on the first request that asks for it."""
    app = current_app._get_current_object()
    key = (str(get_locale()), request.script_root, *key)
    kept = _rendered.get(app)
    html = None if kept is None else kept.get(key)
    if html is None:
        html = Markup(render())
        if not app.jinja_env.auto_reload:
            with _storing:
                kept = _rendered.setdefault(app, {})
                if len(kept) >= LIMIT:
                    del kept[next(iter(kept))]
                kept[key] = html
    return html
