"""Fixtures of the Sefaz tests (defined in fixtures.py so other folders can reuse them)."""

import pytest
from flask import Flask
from flask_babel import Babel

from .fixtures import sefaz_app, sefaz_pki, sefaz_server, sefaz_server_session, sefaz_settings

__all__ = [
    "pt_br",
    "sefaz_app",
    "sefaz_pki",
    "sefaz_server",
    "sefaz_server_session",
    "sefaz_settings",
]


@pytest.fixture
def pt_br():
    """A Portuguese app context for the library's messages, which speak the app's language
    (outside any app they are the English msgids)."""
    app = Flask(__name__)
    Babel(app, default_locale="pt_BR")
    with app.app_context():
        yield
