"""A job commits at checkpoints (time), not per batch: on SQLite every commit by another
process empties the page cache of every web connection, so per-batch commits (dozens a
second at a million clients) halved the list page's rate while a job ran."""

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine

from portal import db
from portal.clients.models import Tag, client_tags
from portal.clients.search import ClientFilters
from portal.jobs import runner, service, tasks
from portal.jobs.models import DONE, Job

pytestmark = pytest.mark.config(CLIENTELA_JOB_BATCH=5, CLIENTELA_JOB_RUNNER="thread")


def _run_tag_job(app) -> tuple[Job, int, int]:
    """Tag all 30 clients through a job; returns the job, the clients tagged and the
    commits that wrote to the jobs or tags tables."""
    writes = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if (
            statement.lstrip()
            .upper()
            .startswith(("UPDATE CLIENTELA_JOBS", "INSERT INTO CLIENTELA_CLIENT_TAGS"))
        ):
            writes.append(statement.split()[0])

    with app.app_context():
        params = tasks.params_for(ClientFilters(), [], True, tag="campanha")
        job_id = service.create("tag_add", params, None, total=30).id
        db.session.commit()
        # every engine: the job runs on connections of its own (db.job_engine)
        event.listen(Engine, "before_cursor_execute", count)
        try:
            runner.execute(app, job_id)
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        job = db.session.get(Job, job_id)
        tagged = db.session.scalar(
            select(func.count()).select_from(client_tags).join(Tag).where(Tag.name == "campanha")
        )
    return job, tagged, writes.count("UPDATE")


@pytest.mark.config(CLIENTELA_JOB_CHECKPOINT_SECONDS=3600)
def test_a_job_records_progress_at_its_first_batch_and_its_end_within_a_checkpoint(app, crowd):
    job, tagged, progress_writes = _run_tag_job(app)
    assert job.status == DONE and job.done == 30 and job.changed == 30 == tagged
    # claim, first checkpoint, finish: six batches, no per-batch progress write
    assert progress_writes == 3


@pytest.mark.config(CLIENTELA_JOB_CHECKPOINT_SECONDS=0)
def test_with_no_checkpoint_interval_every_batch_records_progress(app, crowd):
    job, tagged, progress_writes = _run_tag_job(app)
    assert job.status == DONE and job.changed == 30 == tagged
    assert progress_writes == 2 + 6  # claim, six batches, finish


def test_a_job_reads_sqlite_through_connections_with_a_small_page_cache(app, crowd):
    """An export through the web's pool left 64 MB of pages in every pooled connection it
    passed through (the thread runner's gunicorn worker grew to 440 MB at 1M clients)."""
    with app.app_context():
        if db.session.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL keeps its page cache in the server")
        web = db.session.scalar(text("PRAGMA cache_size"))
        db.close_session()
        db.open_job_session()
        job = db.session.scalar(text("PRAGMA cache_size"))
    assert web == -db.SQLITE_CACHE_KIB
    assert job == -db.JOB_SQLITE_CACHE_KIB
