"""`flask sefaz ...` commands, built around a settings factory supplied by the app.

    # in init_app(app); closing over `app` works with or without an app context:
    app.cli.add_command(make_sefaz_group(lambda: SefazSettings.from_mapping(app.config)))

Commands that need more than the settings (e.g. `recheck`, which needs the database) are
added by the app to the returned group (`@group.command("recheck")`, with Flask's
`with_appcontext` when they need one); they can call `current_settings()` too.

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
        raise SefazNotConfigured(f"Configuração da Sefaz inválida: {exc}") from exc


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
