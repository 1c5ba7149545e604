"""`flask clientela send-mail`: retry what the outbox still holds."""

import click
from flask import Flask

from portal import db
from portal.i18n import _
from portal.mail import service


def register(group, app: Flask) -> None:
    @group.command("send-mail")
    @click.option("--limit", default=500, show_default=True, help="Mensagens por execução.")
    def send_mail_command(limit: int):
        """Envia as mensagens pendentes da fila de e-mail (após uma falha do SMTP)."""
        sent, pending = service.deliver_pending(limit)
        db.session.commit()
        click.echo(
            _(
                "E-mails delivered: %(sent)s; still pending: %(pending)s.",
                sent=sent,
                pending=pending,
            )
        )
        if pending:
            raise SystemExit(1)
