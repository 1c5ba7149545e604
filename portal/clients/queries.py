"""Reading clients for the back office: the client page and its related lists."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import selectinload

from portal import db
from portal.clients.models import (
    GROUPS,
    Client,
    ClientChange,
    ClientCounter,
    ClientStatus,
    Contact,
    Tag,
)
from portal.lookups.models import ClientProfile, Seller

TAG_CHOICES = 500


def statuses() -> list[ClientStatus]:
    return list(db.session.scalars(select(ClientStatus).order_by(ClientStatus.position)))


def statuses_in_use() -> set[int]:
    """Statuses some client holds: one indexed probe each, never a count over the table."""
    return {
        status.id
        for status in statuses()
        if db.session.scalar(select(Client.id).where(Client.status_id == status.id).limit(1))
    }


def tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(Tag.name).limit(500)))


@dataclass
class ListPageReads:
    """What the list page shows besides its rows, read fresh on every request."""

    choices: dict[str, list[tuple[int, str]]]  # "status"/"profile"/"seller"/"tag" -> (id, name)
    counters: dict[str, int]  # relationship group -> clients in it


def list_page_reads() -> ListPageReads:
    """The filter menus' (id, name) pairs (statuses in their order, profiles, sellers and
    tags by name, at most TAG_CHOICES tags) and the four counters, in one round trip: on
    PostgreSQL each query of a page costs 0.15 ms before it does anything."""
    choices: dict[str, list[tuple[int, str]]] = {
        "status": [],
        "profile": [],
        "seller": [],
        "tag": [],
    }
    counters = dict.fromkeys(GROUPS, 0)
    for kind, number, name in db.session.read(_reads_statement()):
        if kind == "counter":
            counters[name] = int(number)
        else:
            choices[kind].append((number, name))
    return ListPageReads(choices=choices, counters=counters)


@cache
def _reads_statement():
    """Built once (its SQL is compiled once per engine by SQLAlchemy's cache anyway). A
    counter's row carries its count in the id column and its group in the name column."""
    tags = select(Tag.id, Tag.name).order_by(Tag.name).limit(TAG_CHOICES).subquery()
    branches = [
        select(literal("status").label("k"), ClientStatus.id, ClientStatus.name).add_columns(
            ClientStatus.position.label("p")
        ),
        select(literal("profile"), ClientProfile.id, ClientProfile.name, literal(0)),
        select(literal("seller"), Seller.id, Seller.name, literal(0)),
        select(literal("tag"), tags.c.id, tags.c.name, literal(0)),
        select(literal("counter"), ClientCounter.count, ClientCounter.group, literal(0)),
    ]
    every = union_all(*branches).subquery()
    return select(every.c.k, every.c.id, every.c.name).order_by(
        every.c.k, every.c.p, every.c.name, every.c.id
    )


def history_of(client_id: int, limit: int = 200) -> list[ClientChange]:
    return list(
        db.session.scalars(
            select(ClientChange)
            .where(ClientChange.client_id == client_id)
            .options(selectinload(ClientChange.staff))
            .order_by(ClientChange.at.desc(), ClientChange.id.desc())
            .limit(limit)
        )
    )


def load_for_page(client_id: int) -> Client | None:
    return db.session.scalar(
        select(Client)
        .where(Client.id == client_id)
        .options(
            selectinload(Client.phones),
            selectinload(Client.tags),
            selectinload(Client.addresses),
            selectinload(Client.contacts).selectinload(Contact.phones),
        )
    )
