"""`Clientela().init_app(app)`: mounts the back office into any Flask app (ours or a shop's)."""

from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
    request,
)
from flask_wtf.csrf import generate_csrf
from jinja2 import FileSystemLoader, PrefixLoader
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from werkzeug.routing import IntegerConverter

from portal import config, db, formatting, i18n
from portal.admin import billing as admin_billing
from portal.admin import jobs as admin_jobs
from portal.admin import orders as admin_orders
from portal.admin import sefaz as admin_sefaz
from portal.admin import visits as admin_visits
from portal.admin.blueprint import create_blueprint as create_admin_blueprint
from portal.billing import issuing as billing_issuing
from portal.cli import register_commands
from portal.extension_points import Registry, order_created
from portal.extensions import babel, csrf, limiter
from portal.i18n import TRANSLATIONS_DIR
from portal.resources import static_dir, templates_dir
from portal.security import bodies
from portal.security.headers import PAGE_HEADERS
from portal.storefront import boletos as storefront_boletos
from portal.storefront import tracking
from portal.storefront.blueprint import create_blueprint as create_storefront_blueprint

# Flask-WTF's own defaults (what `CSRFProtect.init_app` would set), for `csrf.protect()`.
CSRF_DEFAULTS = {
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_CHECK_DEFAULT": True,
    "WTF_CSRF_METHODS": {"POST", "PUT", "PATCH", "DELETE"},
    "WTF_CSRF_FIELD_NAME": "csrf_token",
    "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
    "WTF_CSRF_TIME_LIMIT": 3600,
    "WTF_CSRF_SSL_STRICT": True,
}

SECURITY_HEADERS = PAGE_HEADERS


class IdConverter(IntegerConverter):
    """`<clientela_id:client_id>`: an id of ours, 1 to 2**31-1; any other number does not
    match the route (404) instead of reaching the database as an out-of-range integer."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=db.MAX_ID)


@dataclass(kw_only=True)
class ClientelaState(Registry):
    """What `app.extensions["clientela"]` holds: the database, the prefix and the registries
    of `portal.extension_points` (client/order tabs, menu entries), one set per app."""

    engine: Engine
    sessionmaker: sessionmaker[db.ClientelaSession]
    admin_prefix: str
    storefront_prefix: str | None = None


def _add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint and not request.endpoint.endswith(".static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _install_body_limits(app: Flask) -> None:
    """Caps the body of requests to our blueprints (413, chunked bodies included); the
    host's own routes keep whatever limits the host set. First of the app's before_request
    hooks, so no other hook (a host's CSRFProtect reading the form) parses the body first."""

    def _cap_our_bodies():
        names = request.blueprints
        if not names or not names[-1].startswith("clientela"):
            return
        setting = "CLIENTELA_API_MAX_BODY_BYTES" if names[-1] == "clientela_api" else None
        limit = current_app.config[setting or "CLIENTELA_MAX_BODY_BYTES"]
        host_limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if host_limit is not None:
            limit = min(limit, host_limit)
        request.max_content_length = bodies.cap_body(request.environ, limit)

    app.before_request_funcs.setdefault(None, []).insert(0, _cap_our_bodies)


def _protect_only_our_blueprint(app: Flask, bp: Blueprint) -> None:
    """CSRF for `bp` alone when the host runs no CSRFProtect: the host's own forms keep
    working without tokens, ours still demand one (form field or htmx's X-CSRFToken header)."""
    for key, value in CSRF_DEFAULTS.items():
        app.config.setdefault(key, value)

    @bp.before_request
    def _check_csrf():
        if current_app.config["WTF_CSRF_ENABLED"] and current_app.config["WTF_CSRF_CHECK_DEFAULT"]:
            csrf.protect()

    @app.context_processor
    def _csrf_token_in_our_templates():
        # `csrf_token()` for pages of any Clientela blueprint (back office, API docs...),
        # without a global that would clash with a host's own `csrf_token`.
        if has_request_context() and (request.blueprint or "").startswith("clientela"):
            return {"csrf_token": generate_csrf}
        return {}


class Clientela:
    def __init__(self, app: Flask | None = None, **options) -> None:
        if app is not None:
            self.init_app(app, **options)

    def init_app(
        self,
        app: Flask,
        *,
        admin_prefix: str = "/admin",
        api: bool = True,
        api_prefix="/api/v1",
        storefront: bool = True,
        storefront_prefix: str = "/conta",
    ) -> None:
        config.apply_defaults(app.config)
        _install_body_limits(app)
        engine = db.make_engine(config.setting("DATABASE_URL", app))
        app.extensions["clientela"] = ClientelaState(
            engine=engine,
            sessionmaker=db.make_sessionmaker(engine),
            admin_prefix=admin_prefix,
            storefront_prefix=storefront_prefix if storefront else None,
        )
        app.teardown_appcontext(db.close_session)

        host_csrf = app.extensions.get("csrf")  # the host's CSRFProtect, when it runs one
        if "babel" not in app.extensions:
            babel.init_app(app, default_translation_directories=str(TRANSLATIONS_DIR))
        i18n.install_jinja(app)  # our templates read our catalogue, mounted or not
        if limiter not in app.extensions.get("limiter", set()):
            limiter.init_app(app)

        app.url_map.converters.setdefault("clientela_id", IdConverter)  # before our routes
        app.register_blueprint(self._assets_blueprint())
        admin = create_admin_blueprint(url_prefix=admin_prefix)
        admin.after_request(_add_security_headers)
        if host_csrf is None:
            _protect_only_our_blueprint(app, admin)
        app.register_blueprint(admin)
        formatting.register_filters(app)
        register_commands(app)
        # The client page's tabs, in this order: Pedidos, Sefaz (with its receivers),
        # Pagamento, Visitas; the order popup's: Pagamento, Visita.
        admin_orders.register_client_tab(app)
        admin_sefaz.init_app(app)
        # Boletos: an order paid by boleto gets them once it is saved (any source).
        order_created.connect(billing_issuing.on_order_created, sender=app)
        admin_billing.init_app(app)  # Contas de cobrança; the Pagamento tabs (order, client)
        admin_visits.init_app(app)  # Visitas (client page), Visita (order page)
        admin_jobs.init_app(app)  # Configurações → Tarefas; jobs run on RQ or a thread
        if storefront:  # the shop's customers (`storefront=False` leaves it out)
            shop = create_storefront_blueprint(url_prefix=storefront_prefix)
            storefront_boletos.init_app(app)  # the order page's Pagamento tab
            shop.after_request(_add_security_headers)
            tracking.init_app(app, shop)  # page views of the storefront; links at login/signup
            if host_csrf is None:
                _protect_only_our_blueprint(app, shop)
            app.register_blueprint(shop)
        if api:  # the JSON API for the shop (`api=False` leaves it out)
            from portal.api import init_app as init_api

            init_api(app, url_prefix=api_prefix)
            if host_csrf is not None:  # the API authenticates by key, not by a session cookie
                host_csrf.exempt(app.blueprints["clientela_api"])

    @staticmethod
    def track_pages(app: Flask, blueprints: list[str] | tuple[str, ...] | None = None) -> None:
        """Record visits to the host shop's own pages too (all of them, or only the pages of
        the named blueprints); the storefront's are always recorded (portal/visits)."""
        tracking.track_pages(app, blueprints)

    @staticmethod
    def _assets_blueprint() -> Blueprint:
        """Static files and the `clientela/...` template namespace, overridable by the host."""
        assets = Blueprint(
            "clientela",
            __name__,
            static_folder=str(static_dir()),
            static_url_path="/clientela-static",
        )
        assets.jinja_loader = PrefixLoader({"clientela": FileSystemLoader(str(templates_dir()))})
        return assets
