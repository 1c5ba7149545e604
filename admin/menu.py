"""The back office's top menu as HTML, rendered once per app, locale and mount point.

It is the same for every staff user, and drawing it (some fifteen `url_for` and
translations) took a tenth of the list page's time on every page.
"""

from weakref import WeakKeyDictionary

from flask import Flask, current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from portal.extension_points import menu, registry

_rendered: "WeakKeyDictionary[Flask, dict[tuple, Markup]]" = WeakKeyDictionary()


def menu_html() -> Markup:
    app = current_app._get_current_object()
    # entries are only ever added (at start-up): their number tells a changed menu
    key = (str(get_locale()), request.script_root, len(registry().menu_entries))
    cache = _rendered.setdefault(app, {})
    html = cache.get(key)
    if html is None:
        html = cache[key] = Markup(render_template("clientela/admin/_menu.html", items=menu()))
    return html
