"""The session cookie's flags, as the browser receives them in Set-Cookie."""

import pytest
from flask import Flask

from portal import Clientela
from portal.config import FLASK_DEFAULTS_WE_CHANGE, FLASK_DEFAULTS_WE_KEEP


def _login_cookie(http) -> str:
    response = http.post(
        "/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    return cookies[0]


def _flags(set_cookie: str) -> set[str]:
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


def test_session_cookie_is_httponly_lax_and_not_secure_over_http(http, staff):
    flags = _flags(_login_cookie(http))
    assert {"httponly", "samesite=lax", "path=/"} <= flags
    assert "secure" not in flags
    assert not any(flag.startswith("domain=") for flag in flags)


@pytest.mark.config(SESSION_COOKIE_SECURE=True)
def test_session_cookie_is_secure_when_configured(http, staff):
    assert {"secure", "httponly", "samesite=lax"} <= _flags(_login_cookie(http))


def test_secure_cookie_from_the_environment(monkeypatch, migrated):
    from portal import create_app

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "DATABASE_URL": migrated})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["clientela"].engine.dispose()


def _mounted(migrated, **config) -> Flask:
    host = Flask("shop")
    host.config.update(SECRET_KEY="s", DATABASE_URL=migrated, TESTING=True, **config)
    Clientela().init_app(host, api=False)
    host.extensions["clientela"].engine.dispose()
    return host


def test_mounted_in_a_plain_flask_app_the_cookie_is_samesite_lax(migrated):
    """Flask pre-defines SESSION_COOKIE_SAMESITE as None: a `setdefault` never applied."""
    assert _mounted(migrated).config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_host_choice_of_cookie_flags_wins(migrated):
    host = _mounted(migrated, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_SECURE=True)
    assert host.config["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert host.config["SESSION_COOKIE_SECURE"] is True


def test_every_flask_setting_we_depend_on_is_checked_against_flasks_own_default(migrated):
    """Each Flask-defined key we need: either Flask's default is what we want (kept), or we
    replace Flask's default; a Flask upgrade changing one of them fails here."""
    flask_defaults = Flask("fresh").config
    for name, value in FLASK_DEFAULTS_WE_KEEP.items():
        assert flask_defaults[name] == value, name
    mounted = _mounted(migrated).config
    for name, (flask_default, ours) in FLASK_DEFAULTS_WE_CHANGE.items():
        assert flask_defaults[name] == flask_default, name
        assert mounted[name] == ours, name
