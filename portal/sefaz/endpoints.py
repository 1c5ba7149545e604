"""Which URL answers CadConsultaCadastro4 for a UF.

The table is data (`endpoints.json`) because states move, drop or add the service without
notice; an operator fixes a URL with SEFAZ_ENDPOINTS instead of waiting for a release.
Precedence: `url_override` (every UF, used by tests) > `endpoint_overrides[UF]` > table.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from portal.i18n import _
from portal.sefaz.documents import normalize_uf
from portal.sefaz.errors import SefazNotConfigured

if TYPE_CHECKING:
    from portal.sefaz.settings import SefazSettings


@cache
def endpoint_table() -> dict[str, dict[str, str]]:
    """UF -> environment -> URL, with the shared authorizers (e.g. SVRS) resolved."""
    data = json.loads(resources.files(__package__).joinpath("endpoints.json").read_text("utf-8"))
    authorizers: dict[str, dict[str, str]] = data["autorizadores"]
    return {
        uf: dict(authorizers[entry] if isinstance(entry, str) else entry)
        for uf, entry in data["ufs"].items()
    }


def endpoint_for(uf: str, settings: SefazSettings) -> str:
    """The URL to call for `uf` in the configured environment."""
    uf = normalize_uf(uf)
    if settings.url_override:
        return settings.url_override
    if uf in settings.endpoint_overrides:
        return settings.endpoint_overrides[uf]
    url = endpoint_table().get(uf, {}).get(settings.environment)
    if not url:
        raise SefazNotConfigured(
            _(
                "No registry consultation service configured for the UF: %(uf)s (%(environment)s).",
                uf=uf,
                environment=settings.environment,
            ),
            code="uf_sem_servico",
        )
    return url
