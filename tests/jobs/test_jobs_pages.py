"""Exports and bulk actions above the threshold run as jobs: progress, cancel, downloads."""

import csv
import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from portal import db
from portal.clients import relationship
from portal.clients.models import Client, Tag, client_tags
from portal.jobs import runner
from portal.jobs.models import Job
from tests.jobs.conftest import FORMULA_NAME, job_id_from, poll

pytestmark = pytest.mark.config(
    CLIENTELA_JOB_THRESHOLD=10,
    CLIENTELA_JOB_BATCH=5,
    CLIENTELA_JOB_PAUSE_SECONDS=0.05,
    CLIENTELA_JOB_RUNNER="thread",
)


def _confirm(http, action, **extra):
    data = {"action": action, "scope": "all", "filters": "", "confirmed": "1", **extra}
    return http.post("/admin/clientes/acoes", data=data)


def test_a_large_export_runs_as_a_job_whose_progress_moves_and_completes(admin_http, crowd):
    asked = admin_http.post(
        "/admin/clientes/acoes", data={"action": "export_csv", "scope": "all", "filters": ""}
    )
    assert "Nada muda nos clientes" in asked.text
    assert "ou todos mudam, ou nenhum" not in asked.text
    job_id = job_id_from(_confirm(admin_http, "export_csv"))
    seen = poll(admin_http, job_id)
    assert seen[-1][0] == "done"
    assert seen[-1][1] == "30 de 30 linhas (100%)"
    partial = [numbers for status, numbers, _ in seen if status == "running"]
    assert any(not n.startswith(("0 de", "30 de")) for n in partial), partial  # it moved
    assert "linhas/s" in seen[-1][2]
    page = admin_http.get(f"/admin/tarefas/{job_id}").text
    assert "Concluído" in page and "Baixar clientes-" in page
    download = admin_http.get(f"/admin/tarefas/{job_id}/arquivo")
    assert download.status_code == 200
    assert "clientes-" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 31
    names = [r[0] for r in rows[1:]]
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert [r[10] for r in rows[1:] if r[0] == "Zuleica Tags"] == ["'=1+2"]
    assert [r[5] for r in rows[1:] if r[0] == "Ana Fone"] == ["(11) 91234-5678"]
    assert names[1:] == sorted(names[1:], key=str.lower)  # the list's order (by name)


def test_the_jobs_page_lists_jobs_with_state_and_download(admin_http, crowd):
    job_id = job_id_from(_confirm(admin_http, "export_xlsx"))
    poll(admin_http, job_id)
    page = admin_http.get("/admin/tarefas").text
    assert "Tarefas" in page and f'data-job="{job_id}"' in page
    assert "Exportar XLSX" in page and "Concluído" in page
    assert f"/admin/tarefas/{job_id}/arquivo" in page
    menu = admin_http.get("/admin/clientes").text
    assert 'href="/admin/tarefas"' in menu


def test_another_staff_user_cannot_download_the_export(app, admin_http, crowd):
    from portal.staff.service import create_staff

    job_id = job_id_from(_confirm(admin_http, "export_csv"))
    poll(admin_http, job_id)
    with app.app_context():
        create_staff("outra@loja.example", "senha-forte-456", "Outra")
        db.session.commit()
    other = app.test_client()
    other.post("/admin/login", data={"email": "outra@loja.example", "password": "senha-forte-456"})
    assert other.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 404
    assert other.post(f"/admin/tarefas/{job_id}/cancelar").status_code == 404
    assert "Baixar" not in other.get(f"/admin/tarefas/{job_id}").text
    assert admin_http.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(f"/admin/tarefas/{job_id}/arquivo").status_code in (302, 401)


@pytest.mark.config(CLIENTELA_JOB_PAUSE_SECONDS=0.4)
def test_cancel_stops_a_bulk_action_and_keeps_the_finished_batches(app, admin_http, crowd):
    asked = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "tag_add", "tag": "campanha", "scope": "all", "filters": ""},
    )
    assert "lotes de 5 clientes" in asked.text and "continuam alterados" in asked.text
    job_id = job_id_from(_confirm(admin_http, "tag_add", tag="campanha"))
    poll(admin_http, job_id, until=("running",))
    while "0 de 30" in poll(admin_http, job_id, until=("running", "done"))[-1][1]:
        time.sleep(0.05)
    cancelled = admin_http.post(f"/admin/tarefas/{job_id}/cancelar")
    assert cancelled.status_code == 303
    final = poll(admin_http, job_id)[-1]
    assert final[0] == "cancelled"
    with app.app_context():
        job = db.session.get(Job, job_id)
        tagged = db.session.scalar(
            select(func.count()).select_from(client_tags).join(Tag).where(Tag.name == "campanha")
        )
    assert 0 < job.changed == tagged < 30
    assert job.done < 30
    assert f"os {tagged} clientes alterados pelos lotes concluídos continuam alterados" in final[2]


@pytest.mark.config(CLIENTELA_JOB_PAUSE_SECONDS=0.4)
def test_a_cancelled_export_leaves_no_file(admin_http, crowd, export_dir):
    job_id = job_id_from(_confirm(admin_http, "export_csv"))
    poll(admin_http, job_id, until=("running",))
    admin_http.post(f"/admin/tarefas/{job_id}/cancelar")
    final = poll(admin_http, job_id)[-1]
    assert final[0] == "cancelled" and "nenhum arquivo" in final[2]
    assert list(export_dir.iterdir()) == []
    assert admin_http.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 404


def test_a_status_job_moves_the_counters_like_a_recount(app, admin_http, crowd):
    job_id = job_id_from(_confirm(admin_http, "status", status_id="2"))
    final = poll(admin_http, job_id)[-1]
    assert final[0] == "done" and "30 clientes alterados" in final[2]
    with app.app_context():
        kept = relationship.counts(db.session)
        assert (
            kept
            == relationship.recount(db.session)
            == {
                "active": 0,
                "lead": 0,
                "contact": 0,
                "inactive": 30,
            }
        )


def test_a_job_whose_runner_died_is_failed_and_its_partial_file_removed(
    app, admin_http, staff, export_dir
):
    with app.app_context():
        long_ago = datetime.now(UTC) - timedelta(minutes=10)
        job = Job(kind="export_csv", params={}, staff_id=staff.id, total=100, done=40)
        db.session.add(job)
        db.session.flush()
        db.session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(status="running", started_at=long_ago, heartbeat_at=long_ago)
        )
        db.session.commit()
        job_id = job.id
    export_dir.mkdir(parents=True, exist_ok=True)
    partial = export_dir / f"job-{job_id}-abc.csv.part"
    partial.write_text("meio arquivo")
    page = admin_http.get("/admin/tarefas").text
    assert "Falhou" in page and "parou antes de terminar" in page
    assert not partial.exists() and list(export_dir.iterdir()) == []


def test_purge_exports_removes_expired_files(app, admin_http, crowd, export_dir):
    job_id = job_id_from(_confirm(admin_http, "export_csv"))
    poll(admin_http, job_id)
    # The job thread purges expired exports itself right after a job: let it finish that
    # before the export is made old, or it (not the command) removes the file.
    assert runner.wait_idle(app)
    assert len(list(export_dir.iterdir())) == 1
    with app.app_context():
        db.session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(finished_at=datetime.now(UTC) - timedelta(hours=25))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["clientela", "purge-exports"])
    assert result.exit_code == 0, result.output
    assert "1 arquivo(s) de exportação removido(s)." in result.output
    assert list(export_dir.iterdir()) == []
    assert admin_http.get(f"/admin/tarefas/{job_id}/arquivo").status_code == 404


def test_small_selections_still_answer_at_once(admin_http, crowd):
    ids = [str(c.id) for c in crowd[:3]]
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "export_csv", "ids": ids, "filters": "", "confirmed": "1"},
    )
    assert response.headers["Content-Disposition"].startswith('attachment; filename="clientes-')
    with admin_http.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
        assert db.session.scalar(select(func.count()).select_from(Client)) == 30
