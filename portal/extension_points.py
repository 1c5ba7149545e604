"""Extension points: how a domain or a UI layer adds to Clientela without the plugin knowing it.

A low module (it imports only Flask and blinker), so every layer can import it and nothing
has to import upward: `portal/<domain>/` emits signals, `admin/`, `portal/api/` (and the
storefront, billing, visits to come) register tabs and menu entries, and `portal.plugin`
only wires them.

**Registries are per app.** The plugin's state, `app.extensions["clientela"]`, *is* a
`Registry` (`ClientelaState` subclasses it), so two apps in one process (tests, a host
mounting us twice) never see each other's tabs or menu entries, and a registration made in
`init_app` lives exactly as long as its app. Register with `add_client_tab(app, ...)`,
`add_order_tab(app, ...)`, `add_menu_entry(app, ...)`, `add_storefront_order_tab(app, ...)`;
read with `client_tabs()`, `order_tabs()`, `menu()`, `storefront_order_tabs()` inside an app
context.

**Storefront order tabs** (`add_storefront_order_tab(app, OrderTab(...))`): tabs on the
client's own order page in the storefront (`/conta/pedidos/<id>`), after the built-in
"Itens" tab; billing adds "Pagamento" this way. `context(order)` runs only for the order's
owner (the page is 404 for anyone else); its template gets that as `ctx`, and extends
nothing (it is included inside the tab strip).

**Signals** are blinker signals of one `Namespace`. The sender is always the Flask app
(`current_app._get_current_object()`; use `send()` below), so a receiver connects for one
app with `signal.connect(receiver, sender=app)` (what our glue does) or for every app with
`signal.connect(receiver)`. They are sent *after* the caller's commit: a receiver sees the
saved rows and, if it writes, commits (or rolls back) its own unit of work; it must not
raise (the user's save already happened).

- `client_saved(app, client, created, actor, source)`: a client was registered
  (`created=True`) or its main data edited. `actor` is the `StaffUser` (or None);
  `source` is where the save came from: `"admin"` (the back-office client form, sent
  inside its request, so a receiver may read the form); the API and the storefront pass
  `"api"` / `"storefront"` when they send it.
- `order_created(app, order, actor, source)`: a new order was saved.
- `order_status_changed(app, order, old_status_id, new_status_id, actor, source)`.
- `client_logged_in(app, client)`: a customer logged in to the storefront (sent after the
  commit of the sign-in, once the session holds the client; `portal.current_client` is the
  client from then on). Not sent for the automatic sign-in after a password link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace
from flask import Flask, current_app
from werkzeug.local import LocalProxy

signals = Namespace()

client_saved = signals.signal(
    "clientela.client-saved",
    doc="Sender: the app. Keywords: client, created (bool), actor (StaffUser | None), "
    "source ('admin' | 'api' | 'storefront'). Sent after the commit that saved the client.",
)
order_created = signals.signal(
    "clientela.order-created",
    doc="Sender: the app. Keywords: order, actor, source. Sent after the commit.",
)
order_status_changed = signals.signal(
    "clientela.order-status-changed",
    doc="Sender: the app. Keywords: order, old_status_id, new_status_id, actor, source. "
    "Sent after the commit.",
)
client_logged_in = signals.signal(
    "clientela.client-logged-in",
    doc="Sender: the app. Keywords: client. Sent when a customer logs in (storefront).",
)


def send(signal, **kwargs: Any) -> list:
    """Send `signal` with the current app as sender (call it after the commit).

    Proxies among the values (`current_staff`) are unwrapped: receivers get plain objects.
    """
    values = {
        name: value._get_current_object() if isinstance(value, LocalProxy) else value
        for name, value in kwargs.items()
    }
    return signal.send(current_app._get_current_object(), **values)


@dataclass
class ClientTab:
    """A tab on the back-office client page, contributed by a domain (orders, sefaz...).

    `context(client)` returns what `template` needs; it runs only when the page renders.
    """

    key: str
    label: str
    template: str
    context: Callable[[Any], dict]


@dataclass
class OrderTab:
    """A tab on the back-office order page (billing, visits...); `context(order)` as above."""

    key: str
    label: str
    template: str
    context: Callable[[Any], dict]


@dataclass(frozen=True)
class MenuEntry:
    """A link of the back-office top menu.

    `endpoint` and `args` go to `url_for`. Entries show in `order`; those with a `section`
    go into that dropdown (its label), which shows where its first entry would.
    """

    label: str
    endpoint: str
    order: int = 100
    section: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MenuSection:
    """A dropdown of the top menu, as `menu()` hands it to the template."""

    label: str
    entries: list[MenuEntry]


@dataclass(kw_only=True)
class Registry:
    """What the layers registered for one app (`app.extensions["clientela"]`)."""

    client_tabs: list[ClientTab] = field(default_factory=list)
    order_tabs: list[OrderTab] = field(default_factory=list)
    menu_entries: list[MenuEntry] = field(default_factory=list)
    storefront_order_tabs: list[OrderTab] = field(default_factory=list)


def registry(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions["clientela"]


def add_client_tab(app: Flask, tab: ClientTab) -> None:
    _add_keyed(registry(app).client_tabs, tab)


def add_order_tab(app: Flask, tab: OrderTab) -> None:
    _add_keyed(registry(app).order_tabs, tab)


def add_storefront_order_tab(app: Flask, tab: OrderTab) -> None:
    """A tab on the storefront's order page (the client's own order)."""
    _add_keyed(registry(app).storefront_order_tabs, tab)


def add_menu_entry(app: Flask, entry: MenuEntry) -> None:
    entries = registry(app).menu_entries
    if entry not in entries:
        entries.append(entry)


def _add_keyed(tabs: list, tab) -> None:
    if any(existing.key == tab.key for existing in tabs):
        raise ValueError(f"a tab with key {tab.key!r} is already registered")
    tabs.append(tab)


def client_tabs() -> list[ClientTab]:
    """The current app's client-page tabs, in registration order."""
    return list(registry().client_tabs)


def order_tabs() -> list[OrderTab]:
    """The current app's order-page tabs, in registration order."""
    return list(registry().order_tabs)


def storefront_order_tabs() -> list[OrderTab]:
    """The current app's storefront order-page tabs, in registration order."""
    return list(registry().storefront_order_tabs)


def menu() -> list[MenuEntry | MenuSection]:
    """The current app's top menu: entries by `order`, sections gathered where they start."""
    items: list[MenuEntry | MenuSection] = []
    sections: dict[str, MenuSection] = {}
    for entry in sorted(registry().menu_entries, key=lambda e: e.order):
        if entry.section is None:
            items.append(entry)
            continue
        key = str(entry.section)
        if key not in sections:
            sections[key] = MenuSection(entry.section, [])
            items.append(sections[key])
        sections[key].entries.append(entry)
    return items
