"""Command-line entry points, all under the one `clientela` group so a host's own commands
(its `create-staff`, its `sefaz`...) are never shadowed: `flask clientela migrate|demo-data|
recount|create-staff|create-api-key|worker|purge-exports`, `flask clientela sefaz
consult|recheck`, `flask clientela boleto parse CODE`."""

import click
from flask import Flask
from flask.cli import AppGroup

from portal import db, demo, migrate
from portal.billing.cli import cli_group as boleto_cli_group
from portal.config import setting
from portal.errors import DomainError
from portal.i18n import _
from portal.jobs.cli import add_commands as add_job_commands
from portal.mail import cli as mail_cli
from portal.sefaz.cli import cli_group as sefaz_cli_group
from portal.staff import service as staff_service
from portal.visits.cli import add_commands as add_visit_commands


def register_commands(app: Flask) -> None:
    group = AppGroup("clientela", help="Clientela: banco de dados, equipe, chaves da API, Sefaz.")

    @group.command("migrate")
    def migrate_command():
        """Cria ou atualiza as tabelas do Clientela (Alembic, até a última revisão)."""
        try:
            migrate.upgrade(app)
        except migrate.NameCollision as exc:
            click.echo(
                _(
                    "Error: the database already has objects with names Clientela would "
                    "create: %(names)s. Nothing was changed. Rename or remove them (or use "
                    "another database) and run the command again.",
                    names=", ".join(exc.names),
                ),
                err=True,
            )
            raise SystemExit(1) from None
        except migrate.RevisionFailed as exc:
            click.echo(
                _(
                    "Error: the migration failed and was undone (%(detail)s). The database "
                    "is still at revision %(current)s.",
                    detail=exc.detail,
                    current=", ".join(exc.current) or _("none"),
                ),
                err=True,
            )
            raise SystemExit(1) from None
        click.echo(_("Database up to date."))

    @group.command("demo-data")
    def demo_data_command():
        """Carrega os dados de demonstração (pode rodar de novo: não duplica nada)."""
        email, password, created = demo.load(setting("CLIENTELA_DEMO_PASSWORD", app))
        db.session.commit()
        click.echo(_("Demo data loaded.") if created else _("Demo data already existed."))
        click.echo(
            _(
                "Staff sign-in (back office): %(email)s / %(password)s",
                email=email,
                password=password,
            )
        )
        click.echo(
            _(
                "Client sign-in (storefront, /conta/): %(email)s / %(password)s",
                email=demo.DEMO_CLIENT_EMAIL,
                password=demo.DEMO_CLIENT_PASSWORD,
            )
        )

    @group.command("recount")
    def recount_command():
        """Recalcula os contadores de relacionamento a partir da tabela (reparo)."""
        from portal.clients import relationship

        totals = relationship.recount(db.session)
        db.session.commit()
        click.echo(", ".join(f"{group}: {n}" for group, n in totals.items()))

    @group.command("revision")
    @click.option("-m", "--message", required=True)
    def revision_command(message: str):
        """(Desenvolvimento) Gera uma migração comparando os modelos com o banco."""
        migrate.revision(app, message)

    @group.command("create-staff")
    @click.option("--email", required=True, help="E-mail de login da equipe.")
    @click.option("--name", default=None)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_staff_command(email: str, name: str | None, password: str):
        """Cria um usuário da equipe (back office)."""
        try:
            staff = staff_service.create_staff(email, password, name)
        except DomainError as exc:
            for error in getattr(exc, "errors", [exc]):
                click.echo(_("Error: %(message)s", message=error.message), err=True)
            raise SystemExit(1) from None
        db.session.commit()
        click.echo(_("Staff user created: %(email)s", email=staff.email))

    @group.command("create-api-key")
    @click.option("--name", required=True, help="Para quem é a chave (ex.: loja-producao).")
    def create_api_key_command(name: str):
        """Cria uma chave da API (/api/v1) e a mostra uma única vez."""
        from portal.api.keys import create_key

        try:
            key, plain = create_key(name)
        except DomainError as exc:
            for error in getattr(exc, "errors", [exc]):
                click.echo(_("Error: %(message)s", message=error.message), err=True)
            raise SystemExit(1) from None
        db.session.commit()
        click.echo(
            _(
                "API key created: %(name)s (id %(id)s). Keep it now;",
                name=key.name,
                id=key.id,
            )
        )
        click.echo(_("it will not be shown again:"))
        click.echo(plain)

    add_job_commands(group, app)  # flask clientela worker|purge-exports
    add_visit_commands(group, app)  # flask clientela visits-worker|purge-visits|visits-partitions
    mail_cli.register(group, app)  # flask clientela send-mail
    group.add_command(sefaz_cli_group(app))  # flask clientela sefaz consult|recheck
    group.add_command(boleto_cli_group())  # flask clientela boleto parse CODE
    app.cli.add_command(group)
