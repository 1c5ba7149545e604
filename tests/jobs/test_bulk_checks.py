"""Bulk actions: the tag (status, seller) checked before the confirmation, the selection
kept after any refusal; exports neutralise formulas, use the shop's time zone and order."""

import csv
import io
import re
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import update

from portal import db
from portal.clients.models import Client
from tests.jobs.conftest import FORMULA_NAME


def _hidden_ids(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="ids" value="(\d+)">', html)


def test_a_bad_tag_is_refused_before_the_confirmation_and_the_selection_kept(
    admin_http, make_client
):
    chosen = [make_client(name="Ana"), make_client(name="Bia")]
    ids = [str(c.id) for c in chosen]
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "tag_add", "tag": "   ", "ids": ids, "filters": "q=a"},
    )
    assert response.status_code == 422
    assert "data-bulk-error" in response.text
    assert 'name="confirmed"' not in response.text  # nothing to confirm yet
    assert _hidden_ids(response.text) == ids
    assert 'name="filters" value="q=a"' in response.text
    fixed = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "tag_add", "tag": "vip", "ids": ids, "filters": "q=a"},
    )
    assert fixed.status_code == 200 and 'name="confirmed" value="1"' in fixed.text
    assert _hidden_ids(fixed.text) == ids


def test_removing_an_unknown_tag_is_refused_before_the_confirmation(admin_http, make_client):
    client = make_client(name="Ana")
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "tag_remove", "tag": "nao-existe", "ids": [str(client.id)]},
    )
    assert response.status_code == 422
    assert "Etiqueta não encontrada" in response.text
    assert _hidden_ids(response.text) == [str(client.id)]


def test_the_export_confirmation_promises_no_all_or_nothing(admin_http, make_client):
    client = make_client(name="Ana")
    page = admin_http.post(
        "/admin/clientes/acoes", data={"action": "export_xlsx", "ids": [str(client.id)]}
    ).text
    assert "ou todos mudam, ou nenhum" not in page
    assert "Nada muda nos clientes" in page


def test_exports_use_the_shops_time_zone_and_the_lists_order(app, admin_http, make_client):
    older, newer = make_client(name="Bruno Antigo"), make_client(name="Alice Nova")
    with app.app_context():
        for client, at in (
            (older, datetime(2026, 3, 1, 2, 30, tzinfo=UTC)),
            (newer, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
        ):
            db.session.execute(update(Client).where(Client.id == client.id).values(created_at=at))
        db.session.commit()
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "export_csv", "scope": "all", "filters": "ordem=created", "confirmed": "1"},
    )
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Alice Nova", "Bruno Antigo"]  # newest first, as listed
    # 02:30 UTC on March 1st is 23:30 of February 28th in São Paulo.
    assert rows[2][11] == "28/02/2026 23:30" and rows[1][11] == "02/03/2026 09:00"


def test_xlsx_cells_are_strings_never_formulas(admin_http, make_client, tmp_path):
    client = make_client(name=FORMULA_NAME, tags="@SUM(A1)")
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "export_xlsx", "ids": [str(client.id)], "confirmed": "1"},
    )
    path = tmp_path / "x.xlsx"
    path.write_bytes(response.data)
    row = next(load_workbook(path).active.iter_rows(min_row=2, max_row=2))
    assert row[0].value == FORMULA_NAME and row[0].data_type == "s"
    assert row[10].value == "@SUM(A1)" and row[10].data_type == "s"
    assert all(cell.data_type != "f" for cell in row)


def test_the_exports_phone_format_is_the_apps():
    from portal.brazil.phones import format_phone
    from portal.clients.exports import _phone

    for number in (
        "+5511912345678",
        "+551134567890",
        "+5521987654321",
        "+12125550100",
        "+550800123456",
        "+5511812345678",
        "",
        None,
    ):
        assert _phone(number) == format_phone(number), number
