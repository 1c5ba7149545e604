"""The wheel carries templates, migrations, static files and the compiled catalogue, nothing
stray, and serves pages in Portuguese."""

import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("clientela-*.whl"))


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "portal/__init__.py",
        "admin/blueprint.py",
        "portal/templates/admin/clients/edit.html",
        "portal/templates/shared/_layout.html",
        "portal/migrations/env.py",
        "portal/migrations/versions/0001_clients_staff_lookups.py",
        "portal/static/vendor/bootstrap/bootstrap.min.css",
        "portal/static/vendor/htmx/htmx.min.js",
        "portal/static/clientela.js",
        "portal/sefaz/wsdl/CadConsultaCadastro4.wsdl",
        "portal/translations/pt_BR/LC_MESSAGES/messages.mo",
    ):
        assert expected in names, expected
    stray = [
        n
        for n in names
        if n.startswith(("tests/", "bench/", ".ci/", "instance/", "portal/translations/fragments/"))
        or "__pycache__" in n
        or n.endswith((".pyc", ".db"))
    ]
    assert stray == []


def test_installed_wheel_serves_the_login_page(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)], check=True
    )
    script = textwrap.dedent(
        """
        import portal
        from portal import create_app
        from portal.migrate import upgrade
        assert "site-packages" in portal.__file__, portal.__file__
        app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite:///%s"})
        upgrade(app)
        http = app.test_client()
        page = http.get("/admin/login")
        assert page.status_code == 200 and "Back office · Entrar" in page.text, page.status_code
        css = http.get("/clientela-static/vendor/bootstrap/bootstrap.min.css")
        assert css.status_code == 200 and len(css.data) > 100_000
        print("served from", portal.__file__)
        """
        % (tmp_path / "wheel.db")
    )
    # Dependencies come from the test environment; the package itself only from the wheel
    # (the checkout's editable install is not on this path: .pth files are not read from it).
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert str(venv) in result.stdout
