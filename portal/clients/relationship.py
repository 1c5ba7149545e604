"""Relationship groups and their counters, kept exact on every flush.

The four groups of the list page are exclusive, decided in this order:
- inactive: the client's Situação does not grant storefront access (staff inactivated it);
- active:   access granted and at least one purchase (`first_purchase_at` set by orders);
- lead:     access granted, no purchase, has storefront credentials (e-mail + password);
- contact:  access granted, no purchase, no credentials (saved by staff).

`group`, `sort_name` and `search_text` are derived columns written here before each flush;
`client_counters` moves in the same transaction, so counting never scans `clients`.
"""

import unicodedata
from collections import Counter

from sqlalchemy import and_, case, event, func, inspect, literal, select, update
from sqlalchemy.orm import Session

from portal.clients.models import (
    GROUP_ACTIVE,
    GROUP_CONTACT,
    GROUP_INACTIVE,
    GROUP_LEAD,
    GROUPS,
    Client,
    ClientCounter,
    ClientStatus,
    Phone,
)
from portal.db import ClientelaSession


def fold(text: str | None) -> str:
    """Lower case without accents, spaces folded: how names are sorted and searched."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def group_of(grants_access: bool, has_purchase: bool, has_credentials: bool) -> str:
    if not grants_access:
        return GROUP_INACTIVE
    if has_purchase:
        return GROUP_ACTIVE
    return GROUP_LEAD if has_credentials else GROUP_CONTACT


def group_expression(grants_access: bool):
    """SQL twin of `group_of` for clients whose status grants access or not (set-based writes)."""
    if not grants_access:
        return literal(GROUP_INACTIVE)
    return case(
        (Client.first_purchase_at.is_not(None), GROUP_ACTIVE),
        (and_(Client.email.is_not(None), Client.password_hash.is_not(None)), GROUP_LEAD),
        else_=GROUP_CONTACT,
    )


def search_text_of(client: Client) -> str:
    """Name and trade name folded: what a text search matches any part of (trigram index).

    Documents, e-mails and phones are searched through their own B-tree indexes instead.
    """
    return " | ".join(p for p in (fold(client.name), fold(client.trade_name)) if p)


def phone_search_key(number: str) -> str:
    """National digits reversed, so "ends with 98765-4321" is an indexed prefix search."""
    digits = number.removeprefix("+55") if number.startswith("+55") else number.lstrip("+")
    return "".join(c for c in digits if c.isdigit())[::-1]


def _grants_access(session: Session, client: Client) -> bool:
    """From the status object when that is what changed (status_id follows only at flush)."""
    state = inspect(client)
    if state.attrs.status.history.has_changes() or (
        "status" in client.__dict__ and not state.attrs.status_id.history.has_changes()
    ):
        return client.status.grants_access
    return bool(
        session.scalar(
            select(ClientStatus.grants_access).where(ClientStatus.id == client.status_id)
        )
    )


def refresh_derived(session: Session, client: Client) -> None:
    client.sort_name = fold(client.name)[:200]
    client.search_text = search_text_of(client)
    client.group = group_of(
        _grants_access(session, client),
        client.first_purchase_at is not None,
        bool(client.email and client.password_hash),
    )


def _previous_group(client: Client) -> str | None:
    history = inspect(client).attrs.group.history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else None


def group_counts(session: Session, group, where) -> Counter:
    """Clients per group (`group`: the column, or `group_expression`) among those `where` picks;
    set-based writes diff two of these to move the counters."""
    labelled = group.label("g")
    rows = session.execute(select(labelled, func.count()).where(where).group_by(labelled))
    return Counter(dict(rows.all()))


def move_counters(session: Session, deltas: Counter) -> None:
    # Always in the same order (by group), so two transactions never wait on each other's rows.
    for group, delta in sorted(deltas.items()):
        if delta:
            session.execute(
                update(ClientCounter)
                .where(ClientCounter.group == group)
                .values(count=ClientCounter.count + delta)
                .execution_options(synchronize_session=False)
            )


@event.listens_for(ClientelaSession, "before_flush")  # ours only: a host's flushes skip it
def _keep_groups_and_counters(session: Session, _context, _instances) -> None:
    deltas: Counter = Counter()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Phone):
            obj.reversed_digits = phone_search_key(obj.number)
    for obj in session.new:
        if isinstance(obj, Client):
            refresh_derived(session, obj)
            deltas[obj.group] += 1
    for obj in session.dirty:
        if isinstance(obj, Client) and session.is_modified(obj):
            before = _previous_group(obj)
            refresh_derived(session, obj)
            if before != obj.group:
                if before:
                    deltas[before] -= 1
                deltas[obj.group] += 1
                if obj.group == GROUP_INACTIVE:
                    obj.session_token = None  # access lost: open storefront sessions end
    for obj in session.deleted:
        if isinstance(obj, Client):
            deltas[_previous_group(obj) or obj.group] -= 1
    move_counters(session, deltas)


def counts(session: ClientelaSession) -> dict[str, int]:
    rows = session.read(_COUNTS).all()
    found = {group: int(count) for group, count in rows}
    return {group: found.get(group, 0) for group in GROUPS}


_COUNTS = select(ClientCounter.group, ClientCounter.count)


def recount(session: ClientelaSession) -> dict[str, int]:
    """Rebuild the counters from the table (repair tool; the page never does this)."""
    actual = dict(session.execute(select(Client.group, func.count()).group_by(Client.group)).all())
    for group in GROUPS:
        session.execute(
            update(ClientCounter)
            .where(ClientCounter.group == group)
            .values(count=int(actual.get(group, 0)))
        )
    return counts(session)
