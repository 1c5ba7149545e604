"""Settings: every one comes from an environment variable, read here and nowhere else.

`init_app` only `setdefault`s, so a host shop's own values win. Code reads a setting with
`setting(name)` (the current app's, or `setting(name, app)` outside an app context), which
rejects names not declared here, so a typo fails loudly instead of silently reading None.
"""

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "sim"}:
        return True
    if lowered in {"0", "false", "no", "off", "nao", "não", ""}:
        return False
    raise ValueError(f"valor booleano inválido: {value!r}")


def _default_database_url() -> str:
    path = Path(os.getcwd()) / "instance" / "clientela.db"
    return f"sqlite:///{path}"


# name -> (parser, default). Only these names are read from the environment.
SETTINGS: dict[str, tuple[Callable[[str], Any], Any]] = {
    "SECRET_KEY": (str, None),
    "DATABASE_URL": (str, None),
    "REDIS_URL": (str, None),
    "SESSION_COOKIE_SECURE": (_bool, False),
    # The site's public address (https://loja.example): the OpenAPI document's server URL.
    # Unset, the document names the API by its path only, never by the request's Host.
    "CLIENTELA_PUBLIC_URL": (str, None),
    # A back-office sign-in lasts at most this long on the server (the cookie itself ends
    # when the browser closes); signing out, or out of every device, ends it sooner.
    "CLIENTELA_STAFF_SESSION_DAYS": (int, 30),
    # Largest request body our pages accept (back-office forms; chunked bodies too): 413.
    "CLIENTELA_MAX_BODY_BYTES": (int, 1024 * 1024),
    "CLIENTELA_PAGE_SIZE": (int, 25),
    "CLIENTELA_LOGIN_LIMIT_IP": (str, "30 per 10 minutes"),
    "CLIENTELA_LOGIN_LIMIT_ACCOUNT": (str, "5 per 15 minutes"),
    "CLIENTELA_DEMO_PASSWORD": (str, None),
    "CLIENTELA_API_PAGE_SIZE": (int, 25),
    "CLIENTELA_API_MAX_PAGE_SIZE": (int, 100),
    "CLIENTELA_API_MAX_BODY_BYTES": (int, 256 * 1024),
    "BABEL_DEFAULT_LOCALE": (str, "pt_BR"),
    "BABEL_DEFAULT_TIMEZONE": (str, "America/Sao_Paulo"),
    # None: the Sefaz package's own default applies (`SefazSettings.environment`, producao).
    "SEFAZ_ENVIRONMENT": (str, None),
    "SEFAZ_PFX_PATH": (str, None),
    "SEFAZ_PFX_PASSWORD": (str, None),
    "SEFAZ_CERT_PATH": (str, None),
    "SEFAZ_KEY_PATH": (str, None),
    "SEFAZ_KEY_PASSWORD": (str, None),
    "SEFAZ_CA_BUNDLE": (str, None),
    "SEFAZ_CADASTRO_URL": (str, None),
    "SEFAZ_ENDPOINTS": (str, None),
    "SEFAZ_TIMEOUT": (str, None),
    "SEFAZ_CACHE_SECONDS": (str, None),
    "SEFAZ_BACKOFF_SECONDS": (str, None),
    "SEFAZ_CONSULT_ON_SAVE": (_bool, False),
    # Order documents (portal/documents): the shop on the PDF's header.
    "CLIENTELA_SHOP_NAME": (str, "Loja"),
    "CLIENTELA_SHOP_CNPJ": (str, None),
    "CLIENTELA_SHOP_LOGO": (str, None),  # path to a PNG, JPEG or SVG file
    # Rendered documents kept in memory (entries; 0 = none) and on disk ("" = not on disk;
    # None = <instance>/documents).
    "CLIENTELA_DOCUMENT_CACHE_SIZE": (int, 128),
    "CLIENTELA_DOCUMENT_CACHE_DIR": (str, None),
    # Boletos (portal/billing): a cash payment term ("à vista", no instalment days) gets one
    # boleto due this many days after the order; the order status (its name) an order moves
    # to once every boleto is paid ("" or a name no status has: orders stay where they are).
    "CLIENTELA_BOLETO_CASH_DAYS": (int, 3),
    "CLIENTELA_ORDER_PAID_STATUS": (str, "Pago"),
    # Background jobs (portal/jobs): exports and bulk actions over more rows than the
    # threshold run in the background; smaller ones answer at once.
    "CLIENTELA_JOB_THRESHOLD": (int, 5000),
    # The worker's CPU niceness (0-19): on a machine with few cores a job yields the CPU to
    # the web workers serving pages, and uses what they leave.
    "CLIENTELA_JOB_NICE": (int, 10),
    # Linux: job workers run under SCHED_IDLE, so a page's request preempts a job at once.
    "CLIENTELA_JOB_SCHED_IDLE": (_bool, True),
    "CLIENTELA_JOB_RUNNER": (str, "auto"),  # auto (rq with REDIS_URL, else thread) | rq | thread
    "CLIENTELA_JOB_QUEUE": (str, "clientela"),  # the RQ queue's name
    "CLIENTELA_JOB_BATCH": (int, 1000),  # rows per batch (one commit, one progress step)
    "CLIENTELA_JOB_CHECKPOINT_SECONDS": (float, 1.0),  # how often progress is committed
    "CLIENTELA_JOB_YIELD": (float, 2.0),  # rest x the batch's time while CPUs are contended
    "CLIENTELA_JOB_PAUSE_SECONDS": (float, 0.0),  # rest between batches (room for pages)
    "CLIENTELA_JOB_STALE_SECONDS": (int, 60),  # a running job silent this long has died
    "CLIENTELA_JOB_TIMEOUT_SECONDS": (int, 6 * 3600),  # RQ's hard limit per job
    "CLIENTELA_EXPORT_DIR": (str, None),  # default: <cwd>/instance/exports
    "CLIENTELA_EXPORT_TTL_HOURS": (float, 24.0),
    # E-mail (Flask-Mail's names). Without MAIL_SERVER, messages are written as .eml files.
    "MAIL_SERVER": (str, None),
    "MAIL_PORT": (int, 25),
    "MAIL_USE_TLS": (_bool, False),
    "MAIL_USE_SSL": (_bool, False),
    "MAIL_USERNAME": (str, None),
    "MAIL_PASSWORD": (str, None),
    "MAIL_DEFAULT_SENDER": (str, "Clientela <nao-responda@localhost>"),
    "CLIENTELA_MAIL_TIMEOUT": (float, 10.0),
    "CLIENTELA_MAIL_DIR": (str, None),
    # The storefront.
    "CLIENTELA_STOREFRONT_PAGE_SIZE": (int, 20),
    "CLIENTELA_CONFIRM_LINK_HOURS": (int, 72),
    "CLIENTELA_RESET_LINK_HOURS": (int, 2),
    "CLIENTELA_ACCESS_LINK_HOURS": (int, 168),
    # Boletos: the e-mailed second-copy link ("segunda via") works this many days; a client
    # may have one boleto re-sent this often (Flask-Limiter syntax, per boleto and client).
    "CLIENTELA_BOLETO_LINK_DAYS": (int, 30),
    "CLIENTELA_BOLETO_RESEND_LIMIT": (str, "3 per hour"),
    # Visit tracking (portal/visits): page views of the storefront (and host pages opted in).
    "CLIENTELA_VISITS_TRACKING": (_bool, True),  # off: nothing recorded, no visitor cookie
    "CLIENTELA_VISITS_HONOUR_DNT": (_bool, True),  # DNT: 1 / Sec-GPC: 1 mean "not recorded"
    # Query parameters never stored, beyond the built-in list (token, senha, password...).
    "CLIENTELA_VISITS_SECRET_PARAMS": (str, ""),
    "CLIENTELA_VISITS_COOKIE": (str, "clientela_visitor"),
    "CLIENTELA_VISITS_SINK": (str, "auto"),  # auto (redis with REDIS_URL) | redis | buffer
    "CLIENTELA_VISITS_STREAM": (str, "clientela:visits"),  # the Redis stream
    "CLIENTELA_VISITS_BATCH": (int, 500),  # page views per write (one transaction)
    "CLIENTELA_VISITS_FLUSH_SECONDS": (float, 1.0),  # the buffer thread's pace (no Redis)
    "CLIENTELA_VISITS_BUFFER_MAX": (int, 100_000),  # per process; the oldest go beyond it
    # A consumer's pending page views idle this long are claimed by another (it died).
    "CLIENTELA_VISITS_CLAIM_IDLE_SECONDS": (int, 60),
    "CLIENTELA_VISITS_PIXEL_LIMIT": (str, "240 per minute"),  # per IP, the pixel endpoint
}


def from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The declared settings present in `environ`, parsed; a bad value names its variable."""
    values: dict[str, Any] = {}
    for name, (parse, _default) in SETTINGS.items():
        if name in environ:
            try:
                values[name] = parse(environ[name])
            except ValueError as exc:
                raise RuntimeError(f"Variável de ambiente {name} inválida: {exc}") from exc
    return values


# Flask settings we need a value for. Flask pre-defines every one of them in `app.config`
# (`SESSION_COOKIE_SAMESITE` as None, ...), so `setdefault` would never apply: ours replaces
# Flask's default only, never a value the host chose.
FLASK_DEFAULTS_WE_CHANGE: dict[str, tuple[Any, Any]] = {
    # name: (Flask's own default, ours)
    "SESSION_COOKIE_SAMESITE": (None, "Lax"),
}
# Flask defaults we rely on as they are (a test checks they still hold).
FLASK_DEFAULTS_WE_KEEP: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_PATH": None,  # the application root
    "SESSION_COOKIE_DOMAIN": None,  # this host only, no subdomains
}


def apply_defaults(config: dict[str, Any]) -> None:
    for name, (_parse, default) in SETTINGS.items():
        config.setdefault(name, default)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = _default_database_url()
    if not config.get("CLIENTELA_EXPORT_DIR"):
        config["CLIENTELA_EXPORT_DIR"] = str(Path(os.getcwd()) / "instance" / "exports")
    for name, (flask_default, ours) in FLASK_DEFAULTS_WE_CHANGE.items():
        if config.get(name, flask_default) == flask_default:
            config[name] = ours
    for name, value in FLASK_DEFAULTS_WE_KEEP.items():
        config.setdefault(name, value)
    config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL") or "memory://")
    config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Redis down must not lock staff out: limits fall back to memory (per worker), with a
    # logged warning, until Redis answers again (portal/security/throttle.py does the same).
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)


def setting(name: str, app: Flask | None = None) -> Any:
    """The value of a declared setting in `app` (default: the current app)."""
    if name not in SETTINGS:
        raise KeyError(f"unknown Clientela setting {name!r}")
    return (app or current_app).config.get(name, SETTINGS[name][1])
