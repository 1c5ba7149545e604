"""The wheel carries templates, migrations, static files and the compiled catalogue, nothing
stray, and serves pages in Portuguese."""

import textwrap
import zipfile

import pytest

pytestmark = pytest.mark.xdist_group("wheel")  # one worker builds the wheel and the venv


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "portal/__init__.py",
        "portal/admin/blueprint.py",
        "portal/admin/auth.py",
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
    # The only import name is `portal`: nothing else at the top level (no `admin` to shadow a
    # shop's own), and the back office ships once (not also through the source symlink).
    assert {n.split("/")[0] for n in names} == {"portal", "clientela-0.1.0.dist-info"}
    assert len(names) == len(zipfile.ZipFile(wheel).namelist())
    record = zipfile.ZipFile(wheel).read("clientela-0.1.0.dist-info/RECORD").decode()
    assert all(
        line.startswith(("portal/", "clientela-0.1.0.dist-info/")) for line in record.split()
    )
    assert "clientela-0.1.0.dist-info/top_level.txt" not in names
    stray = [
        n
        for n in names
        if n.startswith(("tests/", "bench/", ".ci/", "instance/", "portal/translations/fragments/"))
        or "__pycache__" in n
        or n.endswith((".pyc", ".db"))
    ]
    assert stray == []


def test_installed_wheel_serves_the_login_page(wheel_venv, tmp_path):
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
    result = wheel_venv.run("-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(wheel_venv.path) in result.stdout
