"""Fixtures of the Sefaz tests (defined in fixtures.py so other folders can reuse them)."""

from .fixtures import sefaz_app, sefaz_pki, sefaz_server, sefaz_server_session, sefaz_settings

__all__ = ["sefaz_app", "sefaz_pki", "sefaz_server", "sefaz_server_session", "sefaz_settings"]
