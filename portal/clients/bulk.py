"""Bulk actions on chosen clients or on all that match a filter: set-based.

Each action writes with a few statements whatever the number of clients, records one history
row per changed client, bumps their versions (so a form opened before is refused), and
moves the relationship counters by the difference it caused. The history rows name the
changed field in Portuguese, as the client form's history does: they are stored data.

`check` refuses a bad tag/status/seller before anything is confirmed; `run` applies an
action to a target in the caller's transaction (all or nothing); a background job
(`portal.jobs.tasks`) applies it to `id_batches` of the target, committing at each checkpoint.
"""

from collections.abc import Iterator

from sqlalchemy import (
    JSON,
    Select,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from portal import db
from portal.clients.exports import (  # noqa: F401 (the exports, for callers of `bulk`)
    csv_chunks,
    export_header,
    export_rows,
    xlsx_file,
)
from portal.clients.models import (
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
from portal.i18n import _
from portal.lookups.models import Seller
from portal.staff.models import StaffUser
from portal.text import clean_text

MAX_SELECTED = 1000
ACTIONS = ("status", "tag_add", "tag_remove", "seller")
EXPORTS = ("export_csv", "export_xlsx")


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


def check(action: str, *, tag: str | None = None, status_id=None, seller_id=None) -> None:
    """What `run` would refuse, refused before anything is confirmed or queued: the new
    tag's name, the tag to remove, the status, the seller."""
    if action == "tag_add":
        clean_text(tag, "tag", _("the tag"), 60, required=True)
    elif action == "tag_remove":
        _existing_tag(tag)
    elif action == "status":
        if status_id is None or db.session.get(ClientStatus, status_id) is None:
            raise DomainError(_("Choose a status from the list."), field="status_id")
    elif action == "seller":
        _seller(seller_id)


def run(action: str, target: Select, actor: StaffUser | None, **params) -> int:
    """Apply `action` to `target`; returns how many clients changed."""
    if action == "status":
        if params.get("status_id") is None:
            raise DomainError(_("Choose the new status."), field="status_id")
        return change_status(target, params["status_id"], actor)
    if action == "tag_add":
        return add_tag(target, params.get("tag") or "", actor)
    if action == "tag_remove":
        return remove_tag(target, params.get("tag") or "", actor)
    if action == "seller":
        return assign_seller(target, params.get("seller_id"), actor)
    raise DomainError(_("Choose an action for the selected clients."))


def id_batches(target: Select, batch: int) -> Iterator[list[int]]:
    """The target's ids in id order, `batch` at a time (keyset: each batch is one indexed
    range, and a change to the columns the target filters on never skips a client)."""
    where = target.whereclause if target.whereclause is not None else true()
    last_id = 0
    while True:
        ids = list(
            db.session.scalars(
                select(Client.id).where(where, Client.id > last_id).order_by(Client.id).limit(batch)
            )
        )
        if not ids:
            return
        yield ids
        last_id = ids[-1]
        if len(ids) < batch:
            return


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
    tagged = _tag_clients(target, tag.id)
    for start in range(0, len(tagged), MAX_SELECTED):
        now_tagged = Client.id.in_(tagged[start : start + MAX_SELECTED])
        _record(now_tagged, actor, "bulk_tag", "Etiquetas", "", f"+ {tag.name}")
        db.session.execute(
            update(Client)
            .where(now_tagged)
            .values(version=Client.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return _written(len(tagged))


def _tag_clients(target: Select, tag_id: int) -> list[int]:
    """Give the tag to the target's clients that lack it; the ids of those tagged now.

    ON CONFLICT DO NOTHING on the (client_id, tag_id) key rather than NOT EXISTS: a new tag has
    no statistics, and PostgreSQL planned that anti-join as a scan of all the tag's rows for
    each client, so tagging a million clients slowed with every batch (84,000 in 27 minutes)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(client_tags)
        .from_select(
            ["client_id", "tag_id"],
            select(Client.id, literal(tag_id)).where(Client.id.in_(target)),
        )
        .on_conflict_do_nothing()
        .returning(client_tags.c.client_id)
    )
    return list(db.session.scalars(statement))


def _existing_tag(name: str | None) -> Tag:
    tag = db.session.scalar(select(Tag).where(func.lower(Tag.name) == (name or "").strip().lower()))
    if tag is None:
        raise DomainError(_("Tag not found: check the name."), field="tag")
    return tag


def remove_tag(target: Select, name: str, actor: StaffUser | None) -> int:
    tag = _existing_tag(name)
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


def _seller(seller_id: int | None) -> Seller | None:
    seller = db.session.get(Seller, seller_id) if seller_id else None
    if seller_id and (seller is None or not seller.is_active):
        raise DomainError(_("Choose an active seller from the list."), field="seller_id")
    return seller


def assign_seller(target: Select, seller_id: int | None, actor: StaffUser | None) -> int:
    seller = _seller(seller_id)
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
