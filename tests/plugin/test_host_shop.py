"""A real shop mounts Clientela installed from the wheel, and nothing of the shop breaks.

The shop (tests/plugin/host_shop/) has its own `admin` package, flask-login users,
Flask-SQLAlchemy models with an `orders` table, a `create-staff` command and a login form
without a CSRF token; it mounts Clientela as README's "Mounting in a shop" shows.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.xdist_group("wheel")  # shares the wheel's venv with test_wheel.py

HOST_SHOP = Path(__file__).parent / "host_shop"
STAFF_EMAIL, STAFF_PASSWORD = "equipe@loja.example", "senha-forte-123"


def _clientela_database(tmp_path: Path) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'shop.db'}"
    url = make_url(base)
    name = f"{url.database}_hostshop_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def shop(wheel_venv, tmp_path_factory):
    """The shop installed beside the wheel, migrated, with a staff user of each kind."""
    tmp_path = tmp_path_factory.mktemp("host-shop")
    folder = tmp_path / "shop"
    shutil.copytree(HOST_SHOP, folder, ignore=shutil.ignore_patterns("__pycache__"))
    database = _clientela_database(tmp_path)
    env = {"FLASK_SECRET_KEY": "segredo-da-loja", "FLASK_DATABASE_URL": database}
    # The shop's own Alembic history lives in the same database as Clientela's.
    engine = sa.create_engine(database)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('loja_0007')"))

    def flask(*args, check=True):
        return wheel_venv.run(
            "-m", "flask", "--app", "host", *args, cwd=folder, env=env, check=check
        )

    state = {
        "engine": engine,
        "routes": flask("routes"),
        "migrate": flask("clientela", "migrate"),
        "host_create_staff": flask("create-staff", "--email", "gerente@loja.example"),
        "our_create_staff": flask(
            "clientela", "create-staff", "--email", STAFF_EMAIL, "--password", STAFF_PASSWORD
        ),
        "help": flask("--help"),
        "clientela_help": flask("clientela", "--help"),
    }
    checks = wheel_venv.run("checks.py", cwd=folder, env=env, check=True)
    state["seen"] = json.loads(checks.stdout.strip().splitlines()[-1])
    yield state
    engine.dispose()
    url = make_url(database)
    if url.get_backend_name() == "postgresql":
        server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        server.dispose()


def test_the_shop_starts_and_its_admin_is_its_own(shop, wheel_venv):
    routes = shop["routes"].stdout
    assert "/admin/" in routes  # the shop's own back office
    assert "/backoffice/clientes/login" in routes
    seen = shop["seen"]
    assert str(wheel_venv.path) in seen["portal_file"]  # Clientela from the wheel
    assert seen["admin_is_the_shops"] is True
    assert "site-packages" not in seen["admin_file"]
    assert seen["portal_admin_file"].startswith(str(Path(seen["portal_file"]).parent))


def test_the_shops_flush_runs_no_clientela_code(shop):
    assert shop["seen"]["clientela_code_on_host_flush"] == []
    assert shop["seen"]["host_users"] == ["cliente@loja.example", "gerente@loja.example"]


def test_create_staff_is_the_shops_and_ours_lives_under_clientela(shop):
    assert "Loja: funcionário gerente@loja.example criado" in shop["host_create_staff"].stdout
    assert f"Usuário da equipe criado: {STAFF_EMAIL}" in shop["our_create_staff"].stdout
    top_level = shop["help"].stdout
    assert "create-staff" in top_level and "clientela" in top_level
    assert "create-api-key" not in top_level and "sefaz" not in top_level
    ours = shop["clientela_help"].stdout
    for command in ("migrate", "create-staff", "create-api-key", "sefaz"):
        assert command in ours, command


def test_the_shops_tokenless_form_works_and_ours_still_demand_a_token(shop):
    seen = shop["seen"]
    assert seen["host_form_post"] == 302
    assert seen["host_account_page"] == "Conta de cliente@loja.example"
    assert seen["our_login_without_token"] == 400
    assert seen["our_logout_without_token"] == 400
    assert seen["staff_login"] == 302  # with the token from our page


def test_the_shops_flashes_stay_out_of_the_back_office(shop):
    seen = shop["seen"]
    assert seen["visitor_account"] == 302
    assert seen["back_office_shows_host_flashes"] is False
    # ...and they were not eaten by the back office: the shop's next page still has them.
    assert "Please log in to access this page." in seen["host_messages_after_back_office"]
    assert "Promoção da loja!" in seen["host_messages_after_back_office"]
    # Ours show in the back office only.
    assert "Você saiu do back office." in seen["back_office_after_logout"]
    assert "Você saiu" not in seen["shop_messages_after_logout"]


def test_shop_users_and_staff_stay_apart(shop):
    seen = shop["seen"]
    assert "/backoffice/clientes/login" in seen["shopper_opens_back_office"]
    assert seen["staff_clients_page"] == 200
    assert "/login" in seen["staff_opens_shop_account"]  # staff are not the shop's users


def test_a_host_template_wins(shop):
    assert shop["seen"]["host_template_won"] is True


def test_migrate_leaves_the_shops_alembic_version_alone(shop):
    assert shop["migrate"].returncode == 0, shop["migrate"].stderr
    with shop["engine"].connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
            ("loja_0007",)
        ]
        assert conn.execute(sa.text("SELECT count(*) FROM clientela_alembic_version")).scalar()


def test_migrate_creates_only_prefixed_tables_beside_the_shops_orders(shop):
    # The shop's `users`/`orders` and Clientela's tables share one database, as a real shop
    # runs: every table Clientela created carries the prefix, the shop's stay as they were.
    tables = set(sa.inspect(shop["engine"]).get_table_names())
    assert {"orders", "users", "alembic_version"} <= tables
    ours = tables - {"orders", "users", "alembic_version"}
    assert ours and all(name.startswith("clientela_") for name in ours), sorted(ours)
