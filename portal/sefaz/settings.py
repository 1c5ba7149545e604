"""Settings of the Sefaz consultation, built by the app from its config (never os.environ).

`ca_bundle`, when set, is the only CA trusted for the Sefaz server: the client uses a
requests session with `trust_env = False`, so REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE cannot
widen or replace it. Without it the certifi bundle is used (states' servers use ICP-Brasil
chains, which certifi lacks: production normally needs SEFAZ_CA_BUNDLE).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from portal.brazil.ufs import UFS
from portal.i18n import _

ENVIRONMENTS = ("producao", "homologacao")
# The app-config keys `from_mapping` reads (portal.config declares them).
SETTING_NAMES = (
    "SEFAZ_ENVIRONMENT",
    "SEFAZ_PFX_PATH",
    "SEFAZ_PFX_PASSWORD",
    "SEFAZ_CERT_PATH",
    "SEFAZ_KEY_PATH",
    "SEFAZ_KEY_PASSWORD",
    "SEFAZ_CA_BUNDLE",
    "SEFAZ_CADASTRO_URL",
    "SEFAZ_ENDPOINTS",
    "SEFAZ_TIMEOUT",
    "SEFAZ_CACHE_SECONDS",
    "SEFAZ_BACKOFF_SECONDS",
)
_ENVIRONMENT_ALIASES = {"produção": "producao", "homologação": "homologacao"}


def _check_url(key: str, url: str) -> None:
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise ValueError(
            _(
                "%(key)s: the URL must start with https:// (got: %(value)s).",
                key=key,
                value=repr(url),
            )
        )


@dataclass(frozen=True)
class SefazSettings:
    """Certificate, trust, endpoints and pacing of the consultation."""

    environment: str = "producao"
    pfx_path: Path | None = None
    pfx_password: str | None = field(default=None, repr=False)
    cert_path: Path | None = None
    key_path: Path | None = None
    key_password: str | None = field(default=None, repr=False)
    ca_bundle: Path | None = None
    url_override: str | None = None
    endpoint_overrides: Mapping[str, str] = field(default_factory=dict, hash=False)
    timeout: float = 10.0
    cache_seconds: int = 86400
    backoff_seconds_after_656: int = 3600

    def __post_init__(self) -> None:
        for name in ("pfx_path", "cert_path", "key_path", "ca_bundle"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
        if self.environment not in ENVIRONMENTS:
            raise ValueError(
                _(
                    "SEFAZ_ENVIRONMENT must be 'producao' or 'homologacao' (got: %(value)s).",
                    value=repr(self.environment),
                )
            )
        if self.pfx_path and (self.cert_path or self.key_path):
            raise ValueError(_("Use SEFAZ_PFX_PATH or SEFAZ_CERT_PATH + SEFAZ_KEY_PATH, not both."))
        if bool(self.cert_path) != bool(self.key_path):
            raise ValueError(_("SEFAZ_CERT_PATH and SEFAZ_KEY_PATH must be given together."))
        if (
            isinstance(self.timeout, bool)
            or not isinstance(self.timeout, int | float)
            or not 0 < self.timeout < math.inf
        ):
            raise ValueError(
                _(
                    "SEFAZ_TIMEOUT must be greater than zero (got: %(value)s).",
                    value=repr(self.timeout),
                )
            )
        for key, value in (
            ("SEFAZ_CACHE_SECONDS", self.cache_seconds),
            ("SEFAZ_BACKOFF_SECONDS", self.backoff_seconds_after_656),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    _(
                        "%(key)s must be an integer >= 0 (got: %(value)s).",
                        key=key,
                        value=repr(value),
                    )
                )
        if self.url_override:
            _check_url("SEFAZ_CADASTRO_URL", self.url_override)
        overrides = {}
        for uf, url in self.endpoint_overrides.items():
            key = uf.strip().upper()
            if key not in UFS:
                raise ValueError(_("SEFAZ_ENDPOINTS: invalid UF %(uf)s.", uf=repr(uf)))
            _check_url(f"SEFAZ_ENDPOINTS ({key})", url)
            overrides[key] = url
        object.__setattr__(self, "endpoint_overrides", MappingProxyType(overrides))

    @property
    def is_configured(self) -> bool:
        """A client certificate is set; without one every state refuses the handshake."""
        return bool(self.pfx_path or (self.cert_path and self.key_path))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> SefazSettings:
        """Read the SEFAZ_* keys of an app config (or any dict); empty values count as unset."""

        def text(key: str) -> str | None:
            value = mapping.get(key)
            return None if value is None else (str(value).strip() or None)

        def secret(key: str) -> str | None:
            value = mapping.get(key)
            return None if value is None else (str(value) or None)

        environment = (text("SEFAZ_ENVIRONMENT") or "").lower() or None
        values = {
            "environment": _ENVIRONMENT_ALIASES.get(environment or "", environment),
            "pfx_path": _path(text("SEFAZ_PFX_PATH")),
            "pfx_password": secret("SEFAZ_PFX_PASSWORD"),
            "cert_path": _path(text("SEFAZ_CERT_PATH")),
            "key_path": _path(text("SEFAZ_KEY_PATH")),
            "key_password": secret("SEFAZ_KEY_PASSWORD"),
            "ca_bundle": _path(text("SEFAZ_CA_BUNDLE")),
            "url_override": text("SEFAZ_CADASTRO_URL"),
            "endpoint_overrides": _parse_endpoints(mapping.get("SEFAZ_ENDPOINTS")),
            "timeout": _number("SEFAZ_TIMEOUT", text("SEFAZ_TIMEOUT"), float),
            "cache_seconds": _number("SEFAZ_CACHE_SECONDS", text("SEFAZ_CACHE_SECONDS"), int),
            "backoff_seconds_after_656": _number(
                "SEFAZ_BACKOFF_SECONDS", text("SEFAZ_BACKOFF_SECONDS"), int
            ),
        }
        # Unset keys keep the dataclass defaults.
        return cls(**{name: value for name, value in values.items() if value is not None})


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _number(key: str, value: str | None, kind: type[int] | type[float]) -> Any:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        if kind is int:
            message = _(
                "%(key)s must be a whole number (got: %(value)s).", key=key, value=repr(value)
            )
        else:
            message = _("%(key)s must be a number (got: %(value)s).", key=key, value=repr(value))
        raise ValueError(message) from None


def _parse_endpoints(value: Any) -> dict[str, str]:
    """Accept a mapping or the "SP=https://...,RS=https://..." form of an env variable."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(uf): str(url).strip() for uf, url in value.items()}
    endpoints: dict[str, str] = {}
    for item in str(value).split(","):
        if not item.strip():
            continue
        uf, separator, url = item.partition("=")
        uf = uf.strip().upper()
        if not separator or not uf or not url.strip():
            raise ValueError(
                _(
                    "SEFAZ_ENDPOINTS: invalid item %(item)s; use UF=https://... "
                    "separated by commas.",
                    item=repr(item.strip()),
                )
            )
        if uf in endpoints:
            raise ValueError(_("SEFAZ_ENDPOINTS: UF %(uf)s repeated.", uf=uf))
        endpoints[uf] = url.strip()
    return endpoints
