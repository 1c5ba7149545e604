"""Page views (a log, partitioned by month on PostgreSQL), visits (runs of page views less
than 30 minutes apart, kept by `writer`), visitor-to-client links and order-to-visitor links.

No foreign key from a page view to anything: it is an append-only log that `purge` drops by
whole partitions; a page view reaches its client through its visit (or `client_id`, copied).
"""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow

# SQLite's rowid alias must be INTEGER; PostgreSQL gets 64 bits (billions of page views).
BigId = BigInteger().with_variant(Integer(), "sqlite")

PATH_MAX = 1000
QUERY_MAX = 1000
TITLE_MAX = 300
REFERRER_MAX = 1000
UTM_MAX = 200
VISITOR_ID_LENGTH = 32


class PageView(Base):
    """One page a visitor opened. On PostgreSQL the table is PARTITIONED BY RANGE (at),
    one partition a month (`partitions.py`); the primary key carries `at` for that reason.
    On SQLite `id` alone is the key (the migration says so; the model names both)."""

    __tablename__ = "clientela_page_views"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    visitor_id: Mapped[str] = mapped_column(String(VISITOR_ID_LENGTH))
    client_id: Mapped[int | None] = mapped_column(Integer)
    visit_id: Mapped[int | None] = mapped_column(BigId)
    path: Mapped[str] = mapped_column(String(PATH_MAX))
    query: Mapped[str | None] = mapped_column(String(QUERY_MAX))
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    referrer: Mapped[str | None] = mapped_column(String(REFERRER_MAX))
    utm_source: Mapped[str | None] = mapped_column(String(UTM_MAX))
    utm_medium: Mapped[str | None] = mapped_column(String(UTM_MAX))
    utm_campaign: Mapped[str | None] = mapped_column(String(UTM_MAX))
    browser: Mapped[str | None] = mapped_column(String(60))
    os: Mapped[str | None] = mapped_column(String(60))
    device: Mapped[str | None] = mapped_column(String(10))
    ip: Mapped[str | None] = mapped_column(String(45))  # anonymised

    __table_args__ = (
        Index("clientela_ix_page_views_visit_id_at", "visit_id", "at"),
        Index("clientela_ix_page_views_visitor_id_at", "visitor_id", "at"),
        Index("clientela_ix_page_views_at", "at"),
    )


class Visit(Base):
    __tablename__ = "clientela_visits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    visitor_id: Mapped[str] = mapped_column(String(VISITOR_ID_LENGTH))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    entry_path: Mapped[str] = mapped_column(String(PATH_MAX))
    exit_path: Mapped[str] = mapped_column(String(PATH_MAX))
    # Where the visit came from: the UTM campaign (or source), else the referrer's host.
    source: Mapped[str | None] = mapped_column(String(UTM_MAX))
    device: Mapped[str | None] = mapped_column(String(10))
    browser: Mapped[str | None] = mapped_column(String(60))
    os: Mapped[str | None] = mapped_column(String(60))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_orders.id", ondelete="SET NULL")
    )

    __table_args__ = (
        Index("clientela_ix_visits_client_id_started_at_id", "client_id", "started_at", "id"),
        Index("clientela_ix_visits_visitor_id_started_at", "visitor_id", "started_at"),
        Index("clientela_ix_visits_started_at", "started_at"),
        Index("clientela_ix_visits_order_id", "order_id"),
    )

    @property
    def duration_seconds(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds())


class Visitor(Base):
    """A visitor cookie that signed in (or signed up, or came with an API order): whose it is."""

    __tablename__ = "clientela_visitors"

    visitor_id: Mapped[str] = mapped_column(String(VISITOR_ID_LENGTH), primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="CASCADE"), index=True
    )
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderVisitor(Base):
    """The visitor an order came from (API `visitor_id`) and when the order was placed: the
    order's visit is that visitor's last visit started before `ordered_at`, found at read
    time, so a page view still on its way to the database is not missed."""

    __tablename__ = "clientela_order_visitors"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_orders.id", ondelete="CASCADE"), primary_key=True
    )
    visitor_id: Mapped[str] = mapped_column(String(VISITOR_ID_LENGTH))
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
