"""`flask clientela sefaz consult|recheck`, built around a settings factory.

`cli_group(app)` is the group Clientela adds to the app (portal.cli): settings from the
app's config, `consult` and `recheck`. `make_sefaz_group(factory)` is the bare group with
`consult` only, usable without an app or a database:

    cli.add_command(make_sefaz_group(lambda: SefazSettings.from_mapping(my_config)))

Commands added to a group can call `current_settings()` too.

Exit codes of `consult` (JSON on stdout in every case):
  0  Sefaz answered with a registry situation (111/112/259, habilitado or not);
  1  the request is invalid (UF, document) or Sefaz refused it (999, other cStat):
     repeating it will not help;
  2  the consultation could not be made (Sefaz unreachable, settings incomplete, 656
     throttling): try again later. Click's own usage errors also exit with 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from portal import db
from portal.brazil.documents import format_document
from portal.i18n import _
from portal.sefaz import queries, service
from portal.sefaz.client import consult
from portal.sefaz.errors import (
    SefazError,
    SefazNotConfigured,
    SefazThrottled,
    SefazUnavailable,
)
from portal.sefaz.settings import SefazSettings

SettingsFactory = Callable[[], SefazSettings]
_FACTORY_KEY = "portal.sefaz.settings_factory"
EXIT_REFUSED, EXIT_UNAVAILABLE = 1, 2


def current_settings() -> SefazSettings:
    """Settings for the running `sefaz` command, from the factory given to the group."""
    factory: SettingsFactory = click.get_current_context().meta[_FACTORY_KEY]
    try:
        return factory()
    except ValueError as exc:
        raise SefazNotConfigured(_("Invalid Sefaz settings: %(error)s", error=exc)) from exc


def _echo_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def make_sefaz_group(settings_factory: SettingsFactory) -> click.Group:
    """The `sefaz` command group; the factory is called lazily, inside each command."""

    @click.group("sefaz", help="Consulta cadastral de contribuintes na Sefaz.")
    @click.pass_context
    def sefaz(ctx: click.Context) -> None:
        ctx.meta[_FACTORY_KEY] = settings_factory

    @sefaz.command("consult", help="Consulta um CNPJ, CPF ou IE na Sefaz da UF e mostra JSON.")
    @click.option("--uf", required=True, help="UF da Sefaz consultada, ex.: SP.")
    @click.option("--cnpj", help="CNPJ (numérico ou alfanumérico), com ou sem máscara.")
    @click.option("--cpf", help="CPF, com ou sem máscara.")
    @click.option("--ie", help="Inscrição estadual.")
    @click.pass_context
    def consult_command(
        ctx: click.Context, uf: str, cnpj: str | None, cpf: str | None, ie: str | None
    ) -> None:
        try:
            consultation = consult(current_settings(), uf, cnpj=cnpj, cpf=cpf, ie=ie)
        except SefazError as exc:
            _echo_json(exc.to_json_dict())
            click.echo(exc.reason, err=True)
            unavailable = (SefazUnavailable, SefazNotConfigured, SefazThrottled)
            ctx.exit(EXIT_UNAVAILABLE if isinstance(exc, unavailable) else EXIT_REFUSED)
        _echo_json(consultation.to_json_dict())

    return sefaz


def cli_group(app: Flask) -> click.Group:
    """`flask clientela sefaz consult|recheck` for `app` (settings read anew in each command)."""
    group = make_sefaz_group(lambda: service.settings_for(app))

    @group.command("recheck", help="Consulta de novo os clientes que ficaram “não verificado”.")
    @click.option("--limit", default=100, show_default=True, help="Máximo de clientes.")
    @with_appcontext
    def recheck_command(limit: int) -> None:
        try:
            settings = current_settings()
        except SefazError as exc:
            click.echo(exc.reason, err=True)
            raise SystemExit(EXIT_UNAVAILABLE) from None
        if not settings.is_configured:
            message = _(
                "Sefaz consultation not configured: the shop's digital certificate is missing."
            )
            click.echo(message, err=True)
            raise SystemExit(EXIT_UNAVAILABLE)
        if _recheck(settings, limit):
            raise SystemExit(EXIT_UNAVAILABLE)

    return group


def _recheck(settings: SefazSettings, limit: int) -> int:
    """Re-consult pending clients, committing each; returns how many are still unverified."""
    checked = unverified = postponed = 0
    for client, last in queries.pending_recheck(limit):
        label = f"{client.name} ({format_document(client.document)}, {last.uf})"
        waiting = service.blocked_until(last.uf, settings)
        if waiting is not None:
            postponed += 1
            click.echo(
                _(
                    "%(client)s: postponed until %(moment)s (excessive use).",
                    client=label,
                    moment=service.brasilia(waiting),
                )
            )
            continue
        try:
            row = service.consult_for_client(settings, client, uf=last.uf)
        except SefazError as exc:
            db.session.rollback()
            unverified += 1
            click.echo(f"{label}: {exc.reason}")
            continue
        db.session.commit()
        checked += 1
        if row.is_answer:
            click.echo(f"{label}: {row.situation.label}.")
        else:
            unverified += 1
            click.echo(
                _("%(client)s: still not verified — %(reason)s", client=label, reason=row.reason)
            )
    click.echo(
        _(
            "%(checked)s consulted, %(unverified)s still not verified, %(postponed)s postponed.",
            checked=checked,
            unverified=unverified,
            postponed=postponed,
        )
    )
    return unverified + postponed
