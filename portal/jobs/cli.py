"""`flask clientela worker` and `flask clientela purge-exports`."""

import contextlib
import os

import click
from flask import Flask
from flask.cli import AppGroup

from portal import db
from portal.config import setting
from portal.i18n import _
from portal.jobs import runner, service


def _yield_cpu_to_pages(app: Flask) -> None:
    """Put the worker below the web workers (RQ's work horses inherit it): niceness, and
    on Linux SCHED_IDLE, under which a waking web worker preempts a job at once instead of
    waiting for the end of its time slice."""
    os.nice(max(0, min(19, setting("CLIENTELA_JOB_NICE", app))))
    if setting("CLIENTELA_JOB_SCHED_IDLE", app) and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):  # a sandbox that forbids it: niceness applies
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def add_commands(group: AppGroup, app: Flask) -> None:
    @group.command("worker")
    @click.option("--burst", is_flag=True, help="Sai quando a fila estiver vazia.")
    def worker_command(burst: bool):
        """Executa as tarefas em segundo plano (exportações, ações em massa): RQ com
        REDIS_URL, senão a fila do banco de dados."""
        click.echo(_("Job worker started (%(mode)s).", mode=runner.mode(app)))
        _yield_cpu_to_pages(app)
        runner.run_worker(app, burst=burst)

    @group.command("purge-exports")
    def purge_exports_command():
        """Apaga as exportações mais antigas que CLIENTELA_EXPORT_TTL_HOURS."""
        service.reap_stale()
        removed = service.purge_exports()
        db.session.commit()
        click.echo(_("%(count)s export file(s) removed.", count=removed))
