"""Order documents: `order_document(order, fmt)` renders (or serves from the cache) the
order as PDF, CSV or XLSX.

    from portal.documents.service import FORMATS, order_document

    doc = order_document(order, "pdf")   # an Order loaded with queries.load_order
    doc.body, doc.mimetype, doc.filename, doc.etag

A document is cached under a key naming all it shows: the order (id, creation instant,
version), the client's and delivery address's versions, the format, the locale and the
shop's header settings. Any save of the order bumps its version, so the next call renders
anew; a second download of the same version comes from memory or from disk. `etag` is
derived from the key, so a route can answer 304 (`Response.make_conditional`).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from portal.brazil.documents import format_document, unmask
from portal.config import setting
from portal.documents import cache
from portal.documents.content import Shop, read_order
from portal.errors import NotFound
from portal.i18n import _
from portal.orders.models import Order

FORMATS = ("pdf", "csv", "xlsx")
MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Bump when the layout of any format changes, so cached files of the old layout are not served.
LAYOUT_REVISION = 1

# What happened, for tests and the bench: renders per format, hits from memory and disk.
stats: Counter = Counter()
_memory = cache.MemoryCache()


@dataclass(frozen=True)
class OrderDocument:
    body: bytes
    mimetype: str
    filename: str
    etag: str


def _renderer(fmt: str):
    # Imported on first use: weasyprint and openpyxl load in ~0.5 s, needed only here.
    if fmt == "pdf":
        from portal.documents.pdf import render_pdf

        return render_pdf
    from portal.documents import tables

    return tables.render_csv if fmt == "csv" else tables.render_xlsx


def _shop() -> Shop:
    from portal.documents.pdf import logo_uri

    cnpj = setting("CLIENTELA_SHOP_CNPJ")
    return Shop(
        name=setting("CLIENTELA_SHOP_NAME") or "",
        cnpj=format_document(unmask(cnpj)) if cnpj else "",
        logo=logo_uri(setting("CLIENTELA_SHOP_LOGO")),
    )


def _logo_stamp(path: str | None) -> str:
    if not path:
        return ""
    try:
        return f"{path}@{Path(path).stat().st_mtime_ns}"
    except OSError:
        return path


def cache_key(order: Order, fmt: str) -> str:
    """Everything the document shows, as one string (the cache key; the ETag hashes it)."""
    client = order.client
    address = order.delivery_address
    parts = (
        LAYOUT_REVISION,
        order.id,
        order.created_at.isoformat(),
        order.version,
        client.version,
        address.version if address is not None else 0,
        fmt,
        str(get_locale() or ""),
        setting("CLIENTELA_SHOP_NAME"),
        setting("CLIENTELA_SHOP_CNPJ"),
        _logo_stamp(setting("CLIENTELA_SHOP_LOGO")),
    )
    return "|".join(str(part) for part in parts)


def _disk_root() -> Path | None:
    configured = setting("CLIENTELA_DOCUMENT_CACHE_DIR")
    if configured == "":
        return None
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


def filename(order: Order, fmt: str) -> str:
    number = format(order.number, "06d")
    return _("order-%(number)s", number=number) + "." + fmt


def order_document(order: Order, fmt: str) -> OrderDocument:
    """The order as a `fmt` file (one of FORMATS); NotFound for any other format."""
    if fmt not in FORMATS:
        raise NotFound(_("Unknown document format: %(format)s.", format=fmt), field="format")
    key = cache_key(order, fmt)
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    found = _memory.get(key)
    if found is not None:
        stats["memory_hits"] += 1
        return found
    root = _disk_root()
    body = cache.disk_get(root, order.id, order.version, etag, fmt) if root else None
    if body is not None:
        stats["disk_hits"] += 1
    else:
        content = read_order(order, _shop())
        body = _renderer(fmt)(content)
        stats["renders"] += 1
        stats[f"renders_{fmt}"] += 1
        if root:
            cache.disk_put(root, order.id, order.version, etag, fmt, body)
    document = OrderDocument(body, MIMETYPES[fmt], filename(order, fmt), etag)
    _memory.put(key, document, setting("CLIENTELA_DOCUMENT_CACHE_SIZE"))
    return document


def clear_memory_cache() -> None:
    """Forget the in-process entries (the disk files stay): for tests and the bench."""
    _memory.clear()
