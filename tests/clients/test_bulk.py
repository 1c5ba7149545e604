"""Bulk actions: chosen rows or all that match, one transaction, counts reported, history kept."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal import db
from portal.clients import bulk, relationship
from portal.clients.models import Client, ClientChange, ClientStatus
from portal.clients.search import ClientFilters
from portal.errors import DomainError
from portal.lookups import service as lookups

pytestmark = pytest.mark.usefixtures("ctx")


def _status(name):
    return db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == name))


@pytest.fixture
def people(make_client):
    return [
        make_client(name="Ana", email="ana@example.com", password="segredo-123", tags="vip"),
        make_client(name="Bruno", email="bruno@example.com", password="segredo-123"),
        make_client(name="Carla", kind="PJ", document="11222333000181"),
        make_client(name="Davi", tags="vip"),
    ]


def test_change_status_of_all_that_match_moves_counters_and_records_history(people, staff):
    target = bulk.targets(ClientFilters(group="lead"), [], all_matching=True)
    assert bulk.count(target) == 2
    changed = bulk.change_status(target, _status("Inativo"), staff)
    db.session.commit()
    assert changed == 2
    assert relationship.counts(db.session) == {"active": 0, "lead": 0, "contact": 2, "inactive": 2}
    names = db.session.scalars(select(Client.name).where(Client.group == "inactive")).all()
    assert sorted(names) == ["Ana", "Bruno"]
    history = db.session.scalars(select(ClientChange).where(ClientChange.action == "bulk_status"))
    assert sorted(h.changes[0]["old"] + ">" + h.changes[0]["new"] for h in history) == [
        "Ativo>Inativo",
        "Ativo>Inativo",
    ]


def test_reactivating_restores_each_clients_own_group(people, staff):
    everyone = bulk.targets(ClientFilters(), [], all_matching=True)
    bulk.change_status(everyone, _status("Bloqueado"), staff)
    bulk.change_status(everyone, _status("Ativo"), staff)
    db.session.commit()
    assert relationship.counts(db.session) == {"active": 0, "lead": 2, "contact": 2, "inactive": 0}


def test_chosen_rows_only(people, staff):
    target = bulk.targets(ClientFilters(), [people[2].id, people[3].id], all_matching=False)
    assert (
        bulk.assign_seller(
            target,
            lookups.save(lookups.kind_named("vendedores"), None, "Rita", None, True).id,
            staff,
        )
        == 2
    )
    db.session.commit()
    sellers = dict(db.session.execute(select(Client.name, Client.seller_id)).all())
    assert sellers["Ana"] is None and sellers["Carla"] is not None


def test_add_and_remove_tag_count_only_rows_that_change(people, staff):
    everyone = bulk.targets(ClientFilters(), [], all_matching=True)
    assert bulk.add_tag(everyone, "VIP", staff) == 2  # Ana and Davi have it already
    assert bulk.remove_tag(bulk.targets(ClientFilters(kind="PF"), [], True), "vip", staff) == 3
    db.session.commit()
    tagged = db.session.scalars(select(Client.name).where(Client.tags.any())).all()
    assert tagged == ["Carla"]


def test_bulk_edit_makes_open_forms_stale(people, staff):
    from portal.clients import service
    from portal.errors import StaleEdit

    opened = db.session.get(Client, people[0].id).version
    bulk.add_tag(bulk.targets(ClientFilters(), [people[0].id], False), "novo", staff)
    db.session.commit()
    with pytest.raises(StaleEdit):
        service.update(people[0].id, service.ClientInput(name="Ana"), opened, staff)


def test_nothing_chosen_is_refused(people):
    with pytest.raises(DomainError, match="Selecione ao menos um cliente"):
        bulk.targets(ClientFilters(), [], all_matching=False)


def test_a_failing_bulk_action_changes_nothing(people, staff):
    everyone = bulk.targets(ClientFilters(), [], all_matching=True)
    with pytest.raises(DomainError):
        bulk.assign_seller(everyone, 999_999, staff)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Client.seller_id.is_not(None))) == 0


def test_exports_hold_the_filtered_clients(people):
    target = bulk.targets(ClientFilters(tag_id=people[0].tags[0].id), [], True)
    text = "".join(bulk.csv_chunks(target))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Nome/Razão social", "Nome fantasia", "Tipo", "CPF/CNPJ"]
    assert [r[0] for r in rows[1:]] == ["Ana", "Davi"]
    assert rows[1][7] == "Lead"


def test_xlsx_export(people, tmp_path):
    path = tmp_path / "clientes.xlsx"
    bulk.xlsx_file(bulk.targets(ClientFilters(kind="PJ"), [], True), path)
    sheet = load_workbook(path).active
    values = list(sheet.values)
    assert values[1][0] == "Carla" and values[1][3] == "11.222.333/0001-81"
