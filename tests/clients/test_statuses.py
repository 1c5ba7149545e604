"""Situações: editing the list, and what flipping "grants access" does to clients."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal import db
from portal.clients import queries, relationship, service
from portal.clients.models import Client, ClientStatus
from portal.clients.statuses import CLIENT_STATUSES as statuses
from portal.errors import DomainError, StaleEdit
from portal.named_lists import EntryInput

pytestmark = pytest.mark.usefixtures("ctx")


def _status(name: str) -> ClientStatus:
    return db.session.scalar(select(ClientStatus).where(ClientStatus.name == name))


def _input(status: ClientStatus, **changes) -> EntryInput:
    values = {
        "name": status.name,
        "position": status.position,
        "grants_access": status.grants_access,
        "is_default": status.is_default,
    } | changes
    flags = {key: values.pop(key) for key in ("grants_access", "is_default")}
    return EntryInput(**values, values=flags)


def test_granting_access_to_a_status_regroups_its_clients_and_moves_the_counters(make_client):
    review = _status("Em análise")
    make_client(name="Contato", status_id=review.id)
    make_client(name="Lead", status_id=review.id, email="l@example.com", password="segredo-123")
    buyer = make_client(name="Comprou", status_id=review.id)
    service.record_purchase(buyer.id, datetime.now(UTC))
    make_client(name="Ativo e fora da análise")
    db.session.commit()
    under_review = {"active": 0, "lead": 0, "contact": 1, "inactive": 3}
    assert relationship.counts(db.session) == under_review

    saved = statuses.save(review.id, _input(review, grants_access=True), review.version)
    db.session.commit()
    assert saved.others_changed == 3
    counts = {"active": 1, "lead": 1, "contact": 2, "inactive": 0}
    assert relationship.counts(db.session) == counts
    assert relationship.recount(db.session) == counts  # the counters were exact
    assert db.session.scalar(select(Client.group).where(Client.name == "Lead")) == "lead"

    review = _status("Em análise")
    statuses.save(review.id, _input(review, grants_access=False), review.version)
    db.session.commit()
    assert relationship.counts(db.session) == under_review


def test_renaming_or_reordering_leaves_clients_where_they_are(make_client):
    make_client(name="Ana")
    active = _status("Ativo")
    saved = statuses.save(active.id, _input(active, name="Liberado", position=-1), active.version)
    db.session.commit()
    assert saved.others_changed == 0
    assert queries.statuses()[0].name == "Liberado"
    assert relationship.counts(db.session)["contact"] == 1


def test_there_is_always_exactly_one_default_status(make_client):
    review = _status("Em análise")
    statuses.save(review.id, _input(review, is_default=True), review.version)
    db.session.commit()
    assert [s.name for s in queries.statuses() if s.is_default] == ["Em análise"]
    assert make_client(name="Novo").status_id == review.id

    review = _status("Em análise")
    with pytest.raises(DomainError) as refused:
        statuses.save(review.id, _input(review, is_default=False), review.version)
    assert refused.value.field == "is_default"
    assert "marque outra como padrão" in refused.value.message


@pytest.mark.parametrize(
    ("name", "position", "field", "message"),
    [
        ("   ", "0", "name", "nome"),
        ("inativo", "0", "name", "Já existe uma Situação com este nome."),
        ("Suspenso", "primeiro", "position", "Ordem: use um número inteiro"),
        ("<b>Suspenso</b>", "0", "name", "HTML"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(name, position, field, message):
    before = [s.name for s in queries.statuses()]
    with pytest.raises(DomainError) as refused:
        statuses.save(None, EntryInput(name=name, position=position))
    db.session.rollback()
    errors = getattr(refused.value, "errors", [refused.value])
    assert any(e.field == field and message in e.message for e in errors)
    assert [s.name for s in queries.statuses()] == before


def test_a_stale_edit_is_refused():
    blocked = _status("Bloqueado")
    opened = blocked.version
    statuses.save(blocked.id, _input(blocked, position=9), opened)
    db.session.commit()
    blocked = _status("Bloqueado")
    with pytest.raises(StaleEdit):
        statuses.save(blocked.id, _input(blocked, name="Travado"), opened)
    db.session.rollback()
    assert _status("Bloqueado").position == 9


def test_only_an_unused_status_other_than_the_default_can_be_deleted(make_client):
    blocked = _status("Bloqueado")
    make_client(name="Preso", status_id=blocked.id)
    with pytest.raises(DomainError, match="1 cliente"):
        statuses.delete(blocked.id)
    with pytest.raises(DomainError, match="padrão"):
        statuses.delete(_status("Ativo").id)
    assert statuses.delete(_status("Em análise").id) == "Em análise"
    db.session.commit()
    assert _status("Em análise") is None
