"""Situações: the editable list of client statuses, and what editing one does to clients.

Whether a status grants storefront access decides the relationship group of every client
holding it, so flipping that flag regroups those clients set-based and moves the counters
in the same transaction. Exactly one status is the default for new clients.
"""

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.clients.models import Client, ClientStatus
from portal.clients.relationship import group_counts, group_expression, move_counters
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.text import clean_text, list_position


@dataclass
class StatusInput:
    name: str | None
    position: object = 0  # an int, or the text typed in the form
    grants_access: bool = False
    is_default: bool = False


@dataclass
class SavedStatus:
    status: ClientStatus
    regrouped: int  # clients whose relationship group changed


def clients_holding(status_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Client.status_id == status_id))


def save(status_id: int | None, data: StatusInput, expected_version: int | None = None):
    errors = ErrorCollector()
    name = errors.check(clean_text, data.name, "name", "o nome", 60, required=True)
    position = list_position(data.position)
    if position is None:
        errors.add("Ordem: use um número inteiro de -10000 a 10000.", "position")
    if name and db.name_taken(ClientStatus, name, status_id):
        errors.add("Já existe uma Situação com este nome.", "name")
    status = None
    if status_id:
        status = db.session.get(ClientStatus, status_id)
        if status is None:
            raise NotFound("Situação não encontrada.")
        if expected_version is not None and status.version != expected_version:
            raise StaleEdit()
        if status.is_default and not data.is_default:
            errors.add(
                "Esta é a Situação padrão dos novos clientes: para trocar, marque outra como "
                "padrão.",
                "is_default",
            )
    errors.raise_if_any()
    if status is None:
        status = ClientStatus()
        db.session.add(status)
    access_changed = status.id is not None and status.grants_access != bool(data.grants_access)
    status.name = name
    status.position = position
    status.grants_access = bool(data.grants_access)
    status.is_default = bool(data.is_default)
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    if status.is_default:
        db.session.execute(
            update(ClientStatus)
            .where(ClientStatus.id != status.id, ClientStatus.is_default.is_(True))
            .values(is_default=False, version=ClientStatus.version + 1)
            .execution_options(synchronize_session=False)
        )
    regrouped = _regroup(status) if access_changed else 0
    db.session.expire_all()
    return SavedStatus(db.session.get(ClientStatus, status.id), regrouped)


def _regroup(status: ClientStatus) -> int:
    """Every client holding the status moves to the group the new flag gives it."""
    holding = Client.status_id == status.id
    new_group = group_expression(status.grants_access)
    deltas = group_counts(db.session, new_group, holding)
    deltas.subtract(group_counts(db.session, Client.group, holding))
    changed = db.session.execute(
        update(Client)
        .where(holding, Client.group != new_group)
        .values(group=new_group)
        .execution_options(synchronize_session=False)
    ).rowcount
    move_counters(db.session, deltas)
    return changed


def delete(status_id: int) -> str:
    """Only a status no client holds, and not the default, can go."""
    status = db.session.get(ClientStatus, status_id)
    if status is None:
        raise NotFound("Situação não encontrada.")
    if status.is_default:
        raise DomainError("A Situação padrão não pode ser excluída: marque outra como padrão.")
    holding = clients_holding(status.id)
    if holding:
        raise DomainError(
            f"{holding} cliente(s) estão nesta Situação: mude-os de Situação antes de excluí-la."
        )
    name = status.name
    db.session.delete(status)
    db.session.flush()
    return name
