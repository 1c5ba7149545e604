"""Signing out ends the session on the server: a cookie copied before is worth nothing after."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import db
from portal.db import utcnow
from portal.staff.models import StaffSession

CREDENTIALS = {"email": "equipe@loja.example", "password": "senha-forte-123"}


def _browser(app):
    """A separate browser (its own cookie jar), signed in."""
    http = app.test_client()
    assert http.post("/admin/login", data=CREDENTIALS).status_code == 302
    assert http.get("/admin/clientes").status_code == 200
    return http


def _copy_of_cookie(app, http):
    """Another browser holding a copy of `http`'s session cookie (what a thief would have)."""
    thief = app.test_client()
    thief.set_cookie("session", http.get_cookie("session").value)
    return thief


def _signed_in(http) -> bool:
    response = http.get("/admin/clientes")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_cookie_copied_before_logout_stops_working(app, staff):
    clerk = _browser(app)
    thief = _copy_of_cookie(app, clerk)
    assert _signed_in(thief)  # the copy works while the session is open...
    assert clerk.post("/admin/logout").status_code == 302
    assert not _signed_in(clerk)
    assert not _signed_in(thief)  # ...and not after the clerk signs out


def test_signing_out_on_one_browser_keeps_the_others(app, staff):
    office, phone = _browser(app), _browser(app)
    office.post("/admin/logout")
    assert not _signed_in(office)
    assert _signed_in(phone)


def test_sign_out_of_every_device(app, staff):
    office, phone = _browser(app), _browser(app)
    thief = _copy_of_cookie(app, phone)
    page = office.get("/admin/clientes").text
    assert "Sair de todos os dispositivos" in page
    assert 'action="/admin/sair-de-todos"' in page

    response = office.post("/admin/sair-de-todos", follow_redirects=True)
    assert response.request.path == "/admin/login"
    assert "Você saiu do back office em todos os dispositivos." in response.text
    for browser in (office, phone, thief):
        assert not _signed_in(browser)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0
    assert _signed_in(_browser(app))  # signing in again works as before


def test_sign_out_of_every_device_needs_a_signed_in_post(app, staff):
    anonymous = app.test_client()
    response = anonymous.post("/admin/sair-de-todos")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")
    clerk = _browser(app)
    assert clerk.get("/admin/sair-de-todos").status_code == 405
    assert _signed_in(clerk)


def test_sign_out_of_every_device_requires_the_csrf_token(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    clerk = app.test_client()
    page = clerk.get("/admin/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    clerk.post("/admin/login", data={**CREDENTIALS, "csrf_token": token.group(1)})
    assert _signed_in(clerk)
    assert clerk.post("/admin/sair-de-todos").status_code == 400  # a forged cross-site post
    assert _signed_in(clerk)


def test_signing_in_again_ends_the_browsers_previous_session(app, staff):
    clerk = _browser(app)
    old_copy = _copy_of_cookie(app, clerk)
    assert clerk.post("/admin/login", data=CREDENTIALS).status_code == 302
    assert _signed_in(clerk)
    assert not _signed_in(old_copy)


@pytest.mark.config(CLIENTELA_STAFF_SESSION_DAYS=1)
def test_a_session_ends_on_the_server_after_its_maximum_age(app, staff):
    clerk = _browser(app)
    with app.app_context():
        db.session.execute(sa.update(StaffSession).values(created_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    assert not _signed_in(clerk)


def test_stale_sessions_are_pruned_at_the_next_sign_in(app, staff):
    _browser(app)
    with app.app_context():
        db.session.execute(sa.update(StaffSession).values(created_at=utcnow() - timedelta(days=90)))
        db.session.commit()
    _browser(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 1


def test_the_database_keeps_no_usable_secret(app, staff):
    clerk = _browser(app)
    with clerk.session_transaction() as session:
        secret = session["clientela_staff"].rsplit(":", 1)[1]
    with app.app_context():
        stored = db.session.scalars(sa.select(StaffSession.token_hash)).all()
    assert len(stored) == 1 and secret not in stored[0]
