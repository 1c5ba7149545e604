"""The back office's top menu as HTML, rendered once per app, locale and mount point.

It is the same for every staff user, and drawing it (some fifteen `url_for` and
translations) took a tenth of the list page's time on every page.
"""

from flask import render_template
from markupsafe import Markup

from portal.admin.fragments import fragment
from portal.extension_points import menu, registry


def menu_html() -> Markup:
    # entries are only ever added (at start-up): their number tells a changed menu
    return fragment(
        ("menu", len(registry().menu_entries)),
        lambda: render_template("clientela/admin/_menu.html", items=menu()),
    )
