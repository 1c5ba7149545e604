"""The order as an A4 PDF (weasyprint), laid out by `clientela/shared/pdf/order.html`.

Fonts and the stylesheet cost more than a short order's layout, so they are set up once per
process: one `FontConfiguration` (fontconfig finds DejaVu Sans, from the apt package
fonts-dejavu-core) and one parsed `CSS` per locale (the page footer's words are translated).
The document may load nothing from outside: only `data:` URIs (the logo) are fetched.
"""

import base64
import mimetypes
import threading
from pathlib import Path

from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import get_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from portal.documents.content import OrderContent
from portal.i18n import _

TEMPLATE = "clientela/shared/pdf/order.html"
STYLESHEET = "clientela/shared/pdf/order.css"
LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml", "image/gif", "image/webp"}

_lock = threading.Lock()
_fonts: FontConfiguration | None = None
_stylesheets: dict[str, CSS] = {}
_logos: dict[tuple[str, float], str | None] = {}
_fetcher = URLFetcher(allowed_protocols={"data"})


def font_config() -> FontConfiguration:
    global _fonts
    with _lock:
        if _fonts is None:
            _fonts = FontConfiguration()
        return _fonts


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_footer_rule() -> str:
    """`@page` bottom box "Página X de Y", the words from the catalogue."""
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    label = _("Page %(page)s of %(pages)s", page=marker_page, pages=marker_pages)
    content = _css_string(label)
    content = content.replace(marker_page, '" counter(page) "')
    content = content.replace(marker_pages, '" counter(pages) "')
    return "@page { @bottom-right { content: %s; } }" % content  # noqa: UP031 (CSS braces)


def stylesheet() -> CSS:
    """The parsed stylesheet for the current locale (parsed once per process and locale)."""
    locale = str(get_locale() or "")
    with _lock:
        css = _stylesheets.get(locale)
    if css is not None:
        return css
    env = current_app.jinja_env
    source, _filename, _uptodate = env.loader.get_source(env, STYLESHEET)
    css = CSS(string=source + "\n" + _page_footer_rule(), font_config=font_config())
    with _lock:
        return _stylesheets.setdefault(locale, css)


def logo_uri(path: str | None) -> str | None:
    """The logo file as a data: URI (read once per file version), None without a usable one."""
    if not path:
        return None
    file = Path(path)
    try:
        key = (str(file.resolve()), file.stat().st_mtime)
    except OSError:
        current_app.logger.warning("CLIENTELA_SHOP_LOGO %s não encontrado", path)
        return None
    with _lock:
        if key in _logos:
            return _logos[key]
    mimetype = mimetypes.guess_type(file.name)[0]
    uri = None
    if mimetype in LOGO_TYPES:
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        uri = f"data:{mimetype};base64,{data}"
    else:
        current_app.logger.warning("CLIENTELA_SHOP_LOGO %s: formato não suportado", path)
    with _lock:
        _logos[key] = uri
    return uri


def _quantity(value) -> str:
    return format_decimal(value, format="#,##0.###", locale=get_locale())


def render_pdf(doc: OrderContent) -> bytes:
    lang = str(get_locale() or "pt_BR").replace("_", "-")
    html = render_template(TEMPLATE, doc=doc, quantity=_quantity, lang=lang)
    return HTML(string=html, url_fetcher=_fetcher).write_pdf(
        stylesheets=[stylesheet()], font_config=font_config()
    )
