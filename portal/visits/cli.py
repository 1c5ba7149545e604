"""`flask clientela visits-worker`, `purge-visits --older-than 180d`, `visits-partitions`."""

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from portal.errors import DomainError
from portal.i18n import _
from portal.visits import partitions
from portal.visits.purge import parse_age, purge


def add_commands(group: AppGroup, app: Flask) -> None:
    @group.command("visits-worker")
    @click.option("--burst", is_flag=True, help="Sai quando o stream estiver vazio.")
    def visits_worker_command(burst: bool):
        """Grava as visitas do stream do Redis (REDIS_URL) em lotes, num grupo de consumidores."""
        from portal.visits.consumer import Consumer

        try:
            consumer = Consumer(app)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(_("Visits worker %(name)s started.", name=consumer.name))
        consumer.run(once=burst)

    @group.command("purge-visits")
    @click.option("--older-than", "older_than", default="180d", show_default=True)
    def purge_visits_command(older_than: str):
        """Apaga page views e visitas mais antigas que o prazo (180d, 26w, 6m)."""
        try:
            age = parse_age(older_than)
        except ValueError:
            raise click.BadParameter(
                _("Use a number of days, weeks or months, such as 180d, 26w or 6m."),
                param_hint="--older-than",
            ) from None
        cutoff = datetime.now(UTC) - age
        result = purge(app.extensions["clientela"].engine, cutoff)
        click.echo(
            _(
                "Visits purged before %(cutoff)s: %(partitions)s partition(s) dropped, "
                "%(views)s page view(s) and %(visits)s visit(s) deleted.",
                cutoff=cutoff.strftime("%Y-%m-%d %H:%M"),
                partitions=len(result.dropped_partitions),
                views=result.page_views_deleted,
                visits=result.visits_deleted,
            )
        )

    @group.command("visits-partitions")
    @click.option("--months", default=3, show_default=True)
    def visits_partitions_command(months: int):
        """Cria as partições mensais de page views (PostgreSQL): este mês e os próximos."""
        engine = app.extensions["clientela"].engine
        with engine.begin() as connection:
            created = partitions.ensure(
                connection, partitions.months_ahead(datetime.now(UTC).date(), max(months, 1))
            )
        click.echo(_("%(count)s partition(s) created.", count=len(created)))
