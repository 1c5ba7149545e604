"""Clientela: customer registry and customer portal for Brazilian online shops.

`create_app()` is an empty host application with Clientela mounted, so the standalone
server and a shop that mounts the plugin go through the same code path.
"""

import os

from flask import Flask

from portal.config import from_env
from portal.plugin import Clientela
from portal.storefront.auth import current_client

clientela = Clientela()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask("clientela_host")
    app.config.update(from_env(os.environ))
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY") and not (app.debug or app.testing):
        raise RuntimeError("SECRET_KEY não definido: defina a variável de ambiente SECRET_KEY.")
    clientela.init_app(app)
    return app


__all__ = ["Clientela", "create_app", "current_client"]
