"""Reading clients for the back office: the client page and its related lists."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import db
from portal.clients.models import Client, ClientChange, ClientStatus, Contact, Tag


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
