"""Delivery after the commit: an SMTP outage loses nothing and is never a 500; without
MAIL_SERVER messages are .eml files; `flask clientela send-mail` retries the outbox."""

import html
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from portal import db
from portal.clients.models import Client
from portal.mail.models import OutboxMessage
from tests.mail.smtp_server import SmtpServer, free_port

SIGNUP = {
    "name": "Rita Souza",
    "email": "rita@example.com",
    "password": "senha-boa-da-rita",
    "document": "529.982.247-25",
}


def _outbox(app):
    with app.app_context():
        return [
            (m.recipient, m.status, m.attempts, m.last_error)
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_refused_then_accepted(app, http):
    with SmtpServer() as server:
        server.configure(app)
        server.inbox.refusing = True
        response = http.post("/conta/criar-conta", data=SIGNUP)
        assert response.status_code == 200
        page = html.unescape(response.text)
        assert "Conta criada" in page and "será enviado novamente" in page
        [(recipient, status, attempts, error)] = _outbox(app)
        assert (recipient, status, attempts) == ("rita@example.com", "pending", 1)
        assert "451" in error
        with app.app_context():  # the account exists all the same
            assert db.session.scalar(select(Client).where(Client.email == "rita@example.com"))

        server.inbox.refusing = False
        result = app.test_cli_runner().invoke(args=["clientela", "send-mail"])
        assert result.exit_code == 0, result.output
        assert "E-mails entregues: 1; ainda pendentes: 0." in result.output
        [message] = server.inbox.messages
        assert message["To"] == "rita@example.com"
        assert "Olá, Rita Souza!" in server.inbox.text(message)
        assert [s for _r, s, _a, _e in _outbox(app)] == ["sent"]


def test_server_down_is_not_a_500(app, http):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), CLIENTELA_MAIL_TIMEOUT=2)
    response = http.post("/conta/criar-conta", data=SIGNUP)
    assert response.status_code == 200
    assert "será enviado novamente" in html.unescape(response.text)
    result = app.test_cli_runner().invoke(args=["clientela", "send-mail"])
    assert result.exit_code == 1  # still pending: a cron job sees it
    assert [s for _r, s, _a, _e in _outbox(app)] == ["pending"]


@pytest.mark.config(MAIL_SERVER=None)
def test_without_mail_server_messages_are_files(app, http, tmp_path):
    app.config["CLIENTELA_MAIL_DIR"] = str(tmp_path / "mail")
    response = http.post("/conta/criar-conta", data=SIGNUP)
    page = html.unescape(response.text)
    assert "gravado como arquivo" in page and str(tmp_path / "mail") in page
    [path] = list((tmp_path / "mail").glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "rita@example.com"
    assert "/conta/confirmar/" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    assert [s for _r, s, _a, _e in _outbox(app)] == ["sent"]


def test_default_instance_mail_folder(app):
    from portal.mail.service import mail_dir

    with app.app_context():
        assert mail_dir() == __import__("pathlib").Path(app.instance_path) / "mail"
