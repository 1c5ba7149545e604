"""Staff sign-in: no enumeration, throttling, rotation, CSRF, headers, separate sessions."""

import re

import pytest

from portal import db
from portal.staff import service as staff_service
from portal.staff.models import StaffUser


def _login(http, email="equipe@loja.example", password="senha-forte-123"):
    return http.post("/admin/login", data={"email": email, "password": password})


def test_back_office_requires_login(http, staff):
    response = http.get("/admin/clientes")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=/admin/clientes")


def test_login_then_logout(http, staff):
    response = _login(http)
    assert response.status_code == 302
    assert http.get("/admin/clientes").status_code == 200
    http.post("/admin/logout")
    assert http.get("/admin/clientes").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(http, staff):
    wrong = _login(http, password="errada-123")
    unknown = _login(http, email="ninguem@loja.example")
    assert wrong.status_code == unknown.status_code == 401
    assert "E-mail ou senha incorretos." in wrong.text

    def page(response, email):  # the same page but for the typed e-mail and the fresh CSRF token
        return re.sub(r'X-CSRFToken": "[^"]+"', "", response.text.replace(email, "X"))

    assert page(wrong, "equipe@") == page(unknown, "ninguem@")


def test_overlong_password_is_refused_not_a_crash(http, staff):
    assert _login(http, password="x" * 5000).status_code == 401


def test_inactive_staff_cannot_log_in(app, http, staff):
    with app.app_context():
        db.session.get(StaffUser, staff.id).is_active = False
        db.session.commit()
    assert _login(http).status_code == 401


def test_next_parameter_cannot_send_the_user_to_another_site(http, staff):
    response = http.post(
        "/admin/login?next=//evil.example/",
        data={"email": "equipe@loja.example", "password": "senha-forte-123"},
    )
    assert response.headers["Location"] == "/admin/clientes"


@pytest.mark.config(CLIENTELA_LOGIN_LIMIT_ACCOUNT="3 per 15 minutes")
def test_repeated_failures_lock_the_account_for_a_while(app, http, staff):
    for _ in range(3):
        assert _login(http, password="errada-123").status_code == 401
    blocked = _login(http)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Muitas tentativas" in blocked.text
    # Another account from the same place is not locked by these failures.
    with app.app_context():
        staff_service.create_staff("outra@loja.example", "senha-forte-456")
        db.session.commit()
    assert _login(http, "outra@loja.example", "senha-forte-456").status_code == 302


@pytest.mark.config(CLIENTELA_LOGIN_LIMIT_IP="4 per 10 minutes")
def test_one_address_trying_many_accounts_is_throttled(http, staff):
    for n in range(4):
        _login(http, email=f"tentativa{n}@loja.example")
    assert _login(http).status_code == 429


def test_successful_logins_do_not_count_against_the_account(http, staff):
    for _ in range(8):
        assert _login(http).status_code == 302


def test_session_is_rotated_on_login(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    http = app.test_client()
    page = http.get("/admin/login").text
    token_before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    http.post(
        "/admin/login",
        data={
            "email": "equipe@loja.example",
            "password": "senha-forte-123",
            "csrf_token": token_before,
        },
    )
    with http.session_transaction() as session:
        assert "clientela_staff" in session
        assert "csrf_token" not in session  # the anonymous token does not survive the login


def test_password_change_ends_every_open_session(app, http, staff):
    _login(http)
    assert http.get("/admin/clientes").status_code == 200
    with app.app_context():
        staff_service.set_password(db.session.get(StaffUser, staff.id), "nova-senha-789")
        db.session.commit()
    assert http.get("/admin/clientes").status_code == 302


def test_forms_without_csrf_token_are_refused(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    http = app.test_client()
    response = _login(http)
    assert response.status_code == 400
    with http.session_transaction() as session:
        assert "clientela_staff" not in session


def test_security_headers(http, staff):
    response = http.get("/admin/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_forged_staff_cookie_value_is_ignored(http, staff):
    with http.session_transaction() as session:
        session["clientela_staff"] = f"{staff.id}:not-the-token"
    assert http.get("/admin/clientes").status_code == 302


def test_create_staff_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "clientela",
            "create-staff",
            "--email",
            "nova@loja.example",
            "--password",
            "uma-senha-boa",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert staff_service.authenticate("nova@loja.example", "uma-senha-boa") is not None
    again = runner.invoke(
        args=[
            "clientela",
            "create-staff",
            "--email",
            "nova@loja.example",
            "--password",
            "uma-senha-boa",
        ]
    )
    assert again.exit_code == 1
    assert "Já existe um usuário com este e-mail." in again.output


def test_create_staff_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["clientela", "create-staff", "--email", "prompt@loja.example"],
        input="senha-digitada\nsenha-digitada\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert staff_service.authenticate("prompt@loja.example", "senha-digitada") is not None
