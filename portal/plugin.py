"""`Clientela().init_app(app)`: mounts the back office into any Flask app (ours or a shop's)."""

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, has_request_context, request
from flask_wtf.csrf import generate_csrf
from jinja2 import FileSystemLoader, PrefixLoader
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from portal import config, db, formatting, i18n
from portal.admin import orders as admin_orders
from portal.admin import sefaz as admin_sefaz
from portal.admin.blueprint import create_blueprint as create_admin_blueprint
from portal.cli import register_commands
from portal.extension_points import Registry
from portal.extensions import babel, csrf, limiter
from portal.i18n import TRANSLATIONS_DIR
from portal.resources import static_dir, templates_dir
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

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
}


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

        app.register_blueprint(self._assets_blueprint())
        admin = create_admin_blueprint(url_prefix=admin_prefix)
        admin.after_request(_add_security_headers)
        if host_csrf is None:
            _protect_only_our_blueprint(app, admin)
        app.register_blueprint(admin)
        formatting.register_filters(app)
        register_commands(app)
        # The client page's tabs, in this order: Pedidos, then Sefaz (with its receivers).
        admin_orders.register_client_tab(app)
        admin_sefaz.init_app(app)
        if storefront:  # the shop's customers (`storefront=False` leaves it out)
            shop = create_storefront_blueprint(url_prefix=storefront_prefix)
            shop.after_request(_add_security_headers)
            if host_csrf is None:
                _protect_only_our_blueprint(app, shop)
            app.register_blueprint(shop)
        if api:  # the JSON API for the shop (`api=False` leaves it out)
            from portal.api import init_app as init_api

            init_api(app, url_prefix=api_prefix)
            if host_csrf is not None:  # the API authenticates by key, not by a session cookie
                host_csrf.exempt(app.blueprints["clientela_api"])

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
