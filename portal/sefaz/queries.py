"""Reading consultations: a client's history, the verdict per client, clients to recheck.

A client's verdict is its newest consultation *of its current document*: after the CPF/CNPJ
is corrected, an answer about the old number says nothing about the client any more.
"""

from functools import cache

from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import aliased, selectinload

from portal import db
from portal.clients.list_rows import RowJoin
from portal.clients.models import Client
from portal.sefaz.messages import Verdict
from portal.sefaz.models import SefazConsultation

# What a badge shows; the raw XML and parsed answer stay in the database.
_BADGE_COLUMNS = (
    SefazConsultation.client_id,
    SefazConsultation.document,
    SefazConsultation.uf,
    SefazConsultation.at,
    SefazConsultation.verdict,
    SefazConsultation.c_stat,
    SefazConsultation.x_motivo,
    SefazConsultation.reason,
)


def history_of(client_id: int, limit: int = 100) -> list[SefazConsultation]:
    return list(
        db.session.scalars(
            select(SefazConsultation)
            .where(SefazConsultation.client_id == client_id)
            .options(selectinload(SefazConsultation.staff))
            .order_by(SefazConsultation.at.desc(), SefazConsultation.id.desc())
            .limit(limit)
        )
    )


def _latest_per_client(*conditions):
    """Subquery: id of each client's newest consultation of its current document."""
    rank = (
        func.row_number()
        .over(
            partition_by=SefazConsultation.client_id,
            order_by=(SefazConsultation.at.desc(), SefazConsultation.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(SefazConsultation.id, rank)
        .join(
            Client,
            and_(
                Client.id == SefazConsultation.client_id,
                Client.document == SefazConsultation.document,
            ),
        )
        .where(*conditions)
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def _newest_of_current_document():
    """Correlated to the client: the id of its newest consultation of its current document."""
    older = aliased(SefazConsultation)
    return (
        select(older.id)
        .where(older.client_id == Client.id, older.document == Client.document)
        .order_by(older.at.desc(), older.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


# The badge's columns on each row of the back-office client list, read by the rows' own query
# (`portal.clients.list_rows`) instead of a query per page: `row.joined.sefaz`.
VERDICT_ON_LIST_ROWS = RowJoin(
    name="sefaz",
    target=SefazConsultation,
    on=SefazConsultation.id == _newest_of_current_document(),
    columns=(  # verdict first: never NULL in a match
        SefazConsultation.verdict,
        SefazConsultation.uf,
        SefazConsultation.at,
        SefazConsultation.c_stat,
        SefazConsultation.x_motivo,
        SefazConsultation.reason,
    ),
)


def latest_verdicts(client_ids) -> dict[int, Row]:
    """client id -> newest consultation's badge columns (attributes named as the model's), in
    one query: plain rows, chosen by the same rule as the list's (`VERDICT_ON_LIST_ROWS`).

    Clients never consulted are absent from the result.
    """
    ids = list(client_ids)
    if not ids:
        return {}
    statement = _latest_verdicts_statement(db.session.bind.dialect.name)
    rows = db.session.read(statement, {"ids": ids})
    return {row.client_id: row for row in rows}


@cache
def _latest_verdicts_statement(dialect: str):
    """Built once per dialect, the ids bound per call."""
    return (
        select(*_BADGE_COLUMNS)
        .join_from(Client, SefazConsultation, VERDICT_ON_LIST_ROWS.on)
        .where(db.is_one_of(Client.id, "ids", dialect))
    )


def latest_verdict(client_id: int) -> Row | None:
    return latest_verdicts([client_id]).get(client_id)


def pending_recheck(limit: int = 100) -> list[tuple[Client, SefazConsultation]]:
    """Clients left "não verificado" by their newest consultation, oldest failure first."""
    rows = db.session.execute(
        select(Client, SefazConsultation)
        .join(SefazConsultation, SefazConsultation.client_id == Client.id)
        .where(
            SefazConsultation.id.in_(_latest_per_client()),
            SefazConsultation.verdict == Verdict.NAO_VERIFICADO.value,
        )
        .options(selectinload(Client.addresses))
        .order_by(SefazConsultation.at, SefazConsultation.id)
        .limit(limit)
    )
    return [(client, row) for client, row in rows]
