"""The Sefaz consultation inside the Clientela app: settings, client tab, template helper, CLI.

`init_app(app)` is called by the plugin; `cli_group(app)` by portal.cli. Settings come
from the app's config (SEFAZ_* keys of portal.config), read anew on every use.
"""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext

from portal import db
from portal.brazil.documents import format_document
from portal.brazil.ufs import UFS
from portal.clients.models import Client
from portal.sefaz import queries, service
from portal.sefaz.cli import EXIT_UNAVAILABLE, current_settings, make_sefaz_group
from portal.sefaz.errors import SefazError
from portal.sefaz.models import SefazConsultation
from portal.sefaz.settings import SefazSettings

UF_CHOICES = sorted(UFS)


def settings_for(app: Flask) -> SefazSettings:
    """Raises ValueError (naming the variable) when a SEFAZ_* value is malformed."""
    return SefazSettings.from_mapping(app.config)


def web_settings() -> tuple[SefazSettings | None, str | None]:
    """(settings, None) when consultations can run, else (None, why not) for the page."""
    try:
        settings = settings_for(current_app)
    except ValueError as exc:
        return None, f"Configuração da Sefaz inválida: {exc}"
    if not settings.is_configured:
        return None, (
            "Consulta à Sefaz não configurada: defina o certificado digital da loja "
            "(SEFAZ_PFX_PATH ou SEFAZ_CERT_PATH e SEFAZ_KEY_PATH)."
        )
    return settings, None


@dataclass(frozen=True)
class SefazPanel:
    """What the client page shows of Sefaz: whether it works, the UF to ask, the verdict."""

    configured: bool
    problem: str | None
    default_uf: str | None
    latest: SefazConsultation | None
    ufs: tuple[str, ...] = tuple(UF_CHOICES)


def sefaz_panel(client: Client | None) -> SefazPanel:
    """Template helper (one query per page, cached for the request)."""
    key = client.id if client is not None else None
    cache = g.setdefault("clientela_sefaz_panels", {})
    if key not in cache:
        settings, problem = web_settings()
        latest = queries.latest_verdict(client.id) if client is not None else None
        cache[key] = SefazPanel(
            configured=settings is not None,
            problem=problem,
            default_uf=(service.client_uf(client) if client is not None else None)
            or (latest.uf if latest is not None else None),
            latest=latest,
        )
    return cache[key]


def _tab_context(client: Client) -> dict:
    return {"panel": sefaz_panel(client), "consultations": queries.history_of(client.id)}


def init_app(app: Flask) -> None:
    from portal.plugin import ClientTab

    app.add_template_global(sefaz_panel, "sefaz_panel")
    app.extensions["clientela"].client_tabs.append(
        ClientTab("sefaz", "Sefaz", "clientela/admin/sefaz/_tab.html", _tab_context)
    )


def cli_group(app: Flask) -> click.Group:
    """`flask sefaz consult|recheck`."""
    group = make_sefaz_group(lambda: settings_for(app))

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
            click.echo("Consulta à Sefaz não configurada: falta o certificado da loja.", err=True)
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
            click.echo(f"{label}: adiado até {service.brasilia(waiting)} (consumo indevido).")
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
            click.echo(f"{label}: continua não verificado — {row.reason}")
    click.echo(
        f"{checked} consultado(s), {unverified} ainda não verificado(s), {postponed} adiado(s)."
    )
    return unverified + postponed
