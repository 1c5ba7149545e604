"""The two configurable lists: Tipos de Pedido and Situações do Pedido."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.orders.models import OrderStatus, OrderType
from portal.text import clean_text, list_position


@dataclass(frozen=True)
class ListKind:
    slug: str
    model: type
    title: str  # the menu's name
    singular: str


TYPES = ListKind("tipos", OrderType, "Tipos de Pedidos", "Tipo de Pedido")
STATUSES = ListKind("situacoes", OrderStatus, "Situações do Pedido", "Situação do Pedido")
KINDS = {kind.slug: kind for kind in (TYPES, STATUSES)}


@dataclass
class EntryInput:
    name: str | None
    position: object = 0  # an int, or the text typed in the form
    is_active: bool = True
    counts_as_purchase: bool = False  # statuses only


def kind_named(slug: str) -> ListKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise NotFound("Lista não encontrada.") from None


def save(kind: ListKind, entry_id: int | None, data: EntryInput, expected_version=None):
    errors = ErrorCollector()
    name = errors.check(clean_text, data.name, "name", "o nome", 60, required=True)
    position = list_position(data.position)
    if position is None:
        errors.add("Ordem: use um número inteiro de -10000 a 10000.", "position")
    model = kind.model
    if name and db.name_taken(model, name, entry_id):
        errors.add(f"Já existe um {kind.singular} com este nome.", "name")
    errors.raise_if_any()
    if entry_id:
        entry = db.session.get(model, entry_id)
        if entry is None:
            raise NotFound(f"{kind.singular} não encontrado.")
        if expected_version is not None and entry.version != expected_version:
            raise StaleEdit()
    else:
        entry = model()
        db.session.add(entry)
    entry.name = name
    entry.position = position
    entry.is_active = bool(data.is_active)
    if model is OrderStatus:
        entry.counts_as_purchase = bool(data.counts_as_purchase)
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    if not db.session.scalar(select(func.count()).where(model.is_active.is_(True))):
        raise DomainError(f"Mantenha pelo menos um {kind.singular} ativo.", field="is_active")
    return entry
