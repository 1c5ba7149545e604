"""Sefaz taxpayer-registry consultation (NF-e CadConsultaCadastro4).

The names exported here (client, messages, settings, endpoints, errors) use no Flask,
database or environment: the caller builds `SefazSettings` and calls `consult()`.
`models`, `service` and `queries` record consultations for clients (`service.settings_for`
reads the app config), `cli` holds `flask clientela sefaz consult|recheck`. The web glue
(client tab, `sefaz_panel`, the reaction to `client_saved`) lives in `admin/sefaz.py`.
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
