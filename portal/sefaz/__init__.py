"""Sefaz taxpayer-registry consultation (NF-e CadConsultaCadastro4).

The names exported here (client, messages, settings, endpoints, errors) use no Flask,
database or environment: the caller builds `SefazSettings` and calls `consult()`.
`models`, `service` and `queries` record consultations for clients, and `app` plugs it
all into Clientela (settings from the app config, client tab, `sefaz recheck`).
"""

from portal.sefaz.client import consult
from portal.sefaz.endpoints import endpoint_for
from portal.sefaz.errors import (
    SefazError,
    SefazInvalidRequest,
    SefazNotConfigured,
    SefazRefused,
    SefazThrottled,
    SefazUnavailable,
)
from portal.sefaz.messages import Consultation, Establishment, Verdict
from portal.sefaz.settings import SefazSettings

__all__ = [
    "Consultation",
    "Establishment",
    "SefazError",
    "SefazInvalidRequest",
    "SefazNotConfigured",
    "SefazRefused",
    "SefazSettings",
    "SefazThrottled",
    "SefazUnavailable",
    "Verdict",
    "consult",
    "endpoint_for",
]
