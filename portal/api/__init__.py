"""The JSON API (`/api/v1`) the shop talks to; `init_app` mounts it (optional)."""


def init_app(app, url_prefix: str = "/api/v1") -> None:
    from portal.api.blueprint import init_app as _init_app

    _init_app(app, url_prefix=url_prefix)
