"""Bulk actions on chosen clients or on all that match a filter: set-based, one transaction.

Each action writes with a few statements whatever the number of clients, records one history
row per changed client, bumps their versions (so a form opened before is refused), and
moves the relationship counters by the difference it caused. The history rows name the
changed field in Portuguese, as the client form's history does: they are stored data.
"""

import csv
import io
from collections.abc import Iterator

from sqlalchemy import JSON, Select, and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import selectinload

from portal import db
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.clients.models import (
    GROUP_ACTIVE,
    GROUP_CONTACT,
    GROUP_INACTIVE,
    GROUP_LEAD,
    KIND_COMPANY,
    KIND_PERSON,
    Client,
    ClientChange,
    ClientStatus,
    Tag,
    client_tags,
)
from portal.clients.relationship import group_counts, group_expression, move_counters
from portal.clients.search import ClientFilters, matching_ids
from portal.db import utcnow
from portal.errors import DomainError
from portal.i18n import _, _l
from portal.lookups.models import Seller
from portal.staff.models import StaffUser
from portal.text import clean_text

GROUP_LABELS = {
    GROUP_ACTIVE: _l("Active client"),
    GROUP_LEAD: _l("Lead"),
    GROUP_CONTACT: _l("Contact"),
    GROUP_INACTIVE: _l("Inactive"),
}
KIND_LABELS = {KIND_PERSON: _l("Individual"), KIND_COMPANY: _l("Company")}
MAX_SELECTED = 1000


def targets(filters: ClientFilters, ids: list[int], all_matching: bool) -> Select:
    """The ids an action applies to: the rows ticked, or every client the filter matches."""
    if all_matching:
        return matching_ids(filters)
    if not ids:
        raise DomainError(_("Select at least one client, or choose all that match the filter."))
    if len(ids) > MAX_SELECTED:
        raise DomainError(
            _(
                "Select at most %(max)s clients, or use all that match the filter.",
                max=MAX_SELECTED,
            )
        )
    return select(Client.id).where(Client.id.in_(ids))


def count(target: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(target.subquery()))


def _written(rowcount: int) -> int:
    """Set-based writes bypass the identity map: forget what the session holds."""
    db.session.expire_all()
    return rowcount


def _record(where, actor: StaffUser | None, action: str, field: str, old: str, new: str):
    db.session.execute(
        insert(ClientChange).from_select(
            ["client_id", "staff_id", "at", "action", "changes"],
            select(
                Client.id,
                literal(actor.id if actor else None),
                literal(utcnow(), ClientChange.at.type),
                literal(action),
                literal([{"field": field, "old": old, "new": new}], JSON),
            ).where(where),
        )
    )


def change_status(target: Select, status_id: int, actor: StaffUser | None) -> int:
    status = db.session.get(ClientStatus, status_id)
    if status is None:
        raise DomainError(_("Choose a status from the list."), field="status_id")
    changing = and_(Client.id.in_(target), Client.status_id != status.id)
    new_group = group_expression(status.grants_access)
    # Both sides counted before writing: the target may be defined by the very columns changed.
    before = group_counts(db.session, Client.group, changing)
    deltas = group_counts(db.session, new_group, changing)
    deltas.subtract(before)
    for old in db.session.scalars(select(ClientStatus).where(ClientStatus.id != status.id)):
        _record(
            and_(changing, Client.status_id == old.id),
            actor,
            "bulk_status",
            "Situação",
            old.name,
            status.name,
        )
    changed = db.session.execute(
        update(Client)
        .where(changing)
        .values(
            status_id=status.id,
            group=new_group,
            version=Client.version + 1,
            updated_at=utcnow(),
            **({} if status.grants_access else {"session_token": None}),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    move_counters(db.session, deltas)
    return _written(changed)


def _tag_named(name: str) -> Tag:
    clean = clean_text(name, "tag", _("the tag"), 60, required=True)
    tag = db.session.scalar(select(Tag).where(func.lower(Tag.name) == clean.lower()))
    if tag is None:
        tag = Tag(name=clean)
        db.session.add(tag)
        db.session.flush()
    return tag


def add_tag(target: Select, name: str, actor: StaffUser | None) -> int:
    tag = _tag_named(name)
    has_tag = exists().where(client_tags.c.client_id == Client.id, client_tags.c.tag_id == tag.id)
    missing = and_(Client.id.in_(target), ~has_tag)
    _record(missing, actor, "bulk_tag", "Etiquetas", "", f"+ {tag.name}")
    changed = db.session.execute(
        update(Client)
        .where(missing)
        .values(version=Client.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        insert(client_tags).from_select(
            ["client_id", "tag_id"], select(Client.id, literal(tag.id)).where(missing)
        )
    )
    return _written(changed)


def remove_tag(target: Select, name: str, actor: StaffUser | None) -> int:
    tag = db.session.scalar(select(Tag).where(func.lower(Tag.name) == (name or "").strip().lower()))
    if tag is None:
        raise DomainError(_("Tag not found: check the name."), field="tag")
    tagged = and_(
        Client.id.in_(target),
        exists().where(client_tags.c.client_id == Client.id, client_tags.c.tag_id == tag.id),
    )
    _record(tagged, actor, "bulk_tag", "Etiquetas", tag.name, f"- {tag.name}")
    changed = db.session.execute(
        update(Client)
        .where(tagged)
        .values(version=Client.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        client_tags.delete().where(
            client_tags.c.tag_id == tag.id, client_tags.c.client_id.in_(target)
        )
    )
    return _written(changed)


def assign_seller(target: Select, seller_id: int | None, actor: StaffUser | None) -> int:
    seller = db.session.get(Seller, seller_id) if seller_id else None
    if seller_id and (seller is None or not seller.is_active):
        raise DomainError(_("Choose an active seller from the list."), field="seller_id")
    differs = (
        or_(Client.seller_id.is_(None), Client.seller_id != seller.id)
        if seller
        else Client.seller_id.is_not(None)
    )
    changing = and_(Client.id.in_(target), differs)
    new_name = seller.name if seller else ""
    _record(
        and_(changing, Client.seller_id.is_(None)), actor, "bulk_seller", "Vendedor", "", new_name
    )
    for old in db.session.scalars(select(Seller)):
        _record(
            and_(changing, Client.seller_id == old.id),
            actor,
            "bulk_seller",
            "Vendedor",
            old.name,
            new_name,
        )
    changed = db.session.execute(
        update(Client)
        .where(changing)
        .values(
            seller_id=seller.id if seller else None,
            version=Client.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return _written(changed)


# Export -------------------------------------------------------------------------------------

EXPORT_HEADER = [
    _l("Name/Company name"),
    _l("Trade name"),
    _l("Type"),
    _l("CPF/CNPJ"),
    _l("E-mail"),
    _l("Phone"),
    _l("Status"),
    _l("Relationship"),
    _l("Seller"),
    _l("Profile"),
    _l("Tags"),
    _l("Registered"),
    _l("Last purchase"),
]


def export_header() -> list[str]:
    """The export's column titles, in the language of the request."""
    return [str(title) for title in EXPORT_HEADER]


def export_rows(target: Select, batch: int = 1000) -> Iterator[list[str]]:
    """Rows for CSV/XLSX, read in id order in batches (memory stays flat at any size)."""
    last_id = 0
    while True:
        clients = db.session.scalars(
            select(Client)
            .where(Client.id.in_(target), Client.id > last_id)
            .options(
                selectinload(Client.phones),
                selectinload(Client.tags),
                selectinload(Client.seller),
                selectinload(Client.profile),
            )
            .order_by(Client.id)
            .limit(batch)
        ).all()
        if not clients:
            return
        for client in clients:
            yield [
                client.name,
                client.trade_name or "",
                str(KIND_LABELS.get(client.kind, client.kind)),
                format_document(client.document),
                client.email or "",
                format_phone(client.phones[0].number) if client.phones else "",
                client.status.name,
                str(GROUP_LABELS.get(client.group, client.group)),
                client.seller.name if client.seller else "",
                client.profile.name if client.profile else "",
                ", ".join(t.name for t in client.tags),
                client.created_at.strftime("%d/%m/%Y %H:%M"),
                client.last_purchase_at.strftime("%d/%m/%Y") if client.last_purchase_at else "",
            ]
        last_id = clients[-1].id
        db.session.expunge_all()


def csv_chunks(target: Select) -> Iterator[str]:
    """Semicolon-separated with a BOM: opens right in a Brazilian spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow(export_header())
    for n, row in enumerate(export_rows(target), start=1):
        writer.writerow(row)
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(target: Select, path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Clients"))
    sheet.append(export_header())
    for row in export_rows(target):
        sheet.append(row)
    workbook.save(path)
