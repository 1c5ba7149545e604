"""The client aggregate: client, its phones, addresses, contacts, tags and change history."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.brazil import documents as brazil_documents
from portal.brazil import ie as brazil_ie
from portal.db import Base, UTCDateTime, utcnow
from portal.lookups.models import ClientProfile, PaymentMethod, PaymentTerm, Seller
from portal.staff.models import StaffUser

# The Brazilian values, named as the client aggregate uses them.
KIND_PERSON = brazil_documents.PERSON
KIND_COMPANY = brazil_documents.COMPANY

IE_CONTRIBUTOR = brazil_ie.CONTRIBUTOR
IE_EXEMPT = brazil_ie.EXEMPT
IE_NON_CONTRIBUTOR = brazil_ie.NON_CONTRIBUTOR

ADDRESS_DEFAULT = "padrao"
ADDRESS_DELIVERY = "entrega"

# Relationship groups (exactly one per client; see portal/clients/relationship.py).
GROUP_ACTIVE = "active"
GROUP_LEAD = "lead"
GROUP_CONTACT = "contact"
GROUP_INACTIVE = "inactive"
GROUPS = (GROUP_ACTIVE, GROUP_LEAD, GROUP_CONTACT, GROUP_INACTIVE)

ORIGIN_STAFF = "staff"
ORIGIN_STOREFRONT = "storefront"
ORIGIN_API = "api"


class ClientStatus(Base):
    """Situação: an editable list; `grants_access` says who may log in to the storefront."""

    __tablename__ = "clientela_client_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    grants_access: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


client_tags = Table(
    "clientela_client_tags",
    Base.metadata,
    Column("client_id", ForeignKey("clientela_clients.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("clientela_tags.id", ondelete="CASCADE"), primary_key=True),
    Index("clientela_ix_client_tags_tag_id", "tag_id"),
)


class Tag(Base):
    __tablename__ = "clientela_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class Client(Base):
    __tablename__ = "clientela_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(2), default=KIND_PERSON)
    name: Mapped[str] = mapped_column(String(200))
    trade_name: Mapped[str | None] = mapped_column(String(200))
    # CPF (11 digits) or CNPJ (14 characters, may be alphanumeric), without mask.
    document: Mapped[str | None] = mapped_column(String(14), unique=True)
    ie_indicator: Mapped[str] = mapped_column(String(20), default=IE_NON_CONTRIBUTOR)
    state_registration: Mapped[str | None] = mapped_column(String(20))
    cnae: Mapped[str | None] = mapped_column(String(10))
    tax_regime: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Storefront sessions carry this token; a new one (or None) ends every open session
    # (password change, logout, loss of access). Written with Core, outside `version`.
    session_token: Mapped[str | None] = mapped_column(String(64))
    # A storefront signup confirms its e-mail (signed link) before the first login.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    birth_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    is_supplier: Mapped[bool] = mapped_column(Boolean, default=False)
    has_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20), default=ORIGIN_STAFF)

    status_id: Mapped[int] = mapped_column(ForeignKey("clientela_client_statuses.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_client_profiles.id"), index=True
    )
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_sellers.id"), index=True)
    payment_method_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_payment_methods.id")
    )
    payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_payment_terms.id"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set by order creation (first order that counts as a purchase); counters read these.
    first_purchase_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_purchase_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept by portal/visits/writer.py (Core UPDATE: no `version` bump): the list's sort
    # "Última visita" and filter "Visitou nos últimos N dias".
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Derived, kept by portal/clients/relationship.py on every flush: the list page filters,
    # sorts and counts on these without joins or scans.
    group: Mapped[str] = mapped_column("relationship_group", String(10), default=GROUP_CONTACT)
    sort_name: Mapped[str] = mapped_column(String(200), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    status: Mapped[ClientStatus] = relationship(lazy="joined", innerjoin=True)
    profile: Mapped[ClientProfile | None] = relationship()
    seller: Mapped[Seller | None] = relationship()
    payment_method: Mapped[PaymentMethod | None] = relationship()
    payment_term: Mapped[PaymentTerm | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=client_tags, order_by=Tag.name)
    phones: Mapped[list["Phone"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Phone.position"
    )
    addresses: Mapped[list["Address"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Address.id"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # Name order carries the folded text, so a text search walks the index alone.
        Index("clientela_ix_clients_sort_name_id_text", "sort_name", "id", "search_text"),
        Index("clientela_ix_clients_group_sort_name_id", "relationship_group", "sort_name", "id"),
        Index("clientela_ix_clients_created_at_id", "created_at", "id"),
        Index("clientela_ix_clients_last_purchase_at_id", "last_purchase_at", "id"),
        Index("clientela_ix_clients_last_visit_at_id", "last_visit_at", "id"),
        Index("clientela_ix_clients_kind", "kind"),
        # LIKE 'prefix%' on PostgreSQL needs pattern ops under a non-C collation.
        Index(
            "clientela_ix_clients_document_pattern",
            "document",
            postgresql_ops={"document": "text_pattern_ops"},
        ),
        Index(
            "clientela_ix_clients_email_pattern",
            "email",
            postgresql_ops={"email": "text_pattern_ops"},
        ),
    )

    @property
    def has_credentials(self) -> bool:
        return bool(self.email and self.password_hash)


class Phone(Base):
    __tablename__ = "clientela_phones"
    __table_args__ = (
        Index(
            "clientela_ix_phones_reversed_digits",
            "reversed_digits",
            postgresql_ops={"reversed_digits": "text_pattern_ops"},
        ),
        CheckConstraint("(client_id IS NULL) <> (contact_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_contacts.id", ondelete="CASCADE"), index=True
    )
    # E.164 (+5511987654321): one spelling per number, so searching finds it.
    number: Mapped[str] = mapped_column(String(20), index=True)
    # National digits reversed ("12345678911"): a search for the end of a number becomes an
    # indexed prefix search. Kept by portal/clients/relationship.py.
    reversed_digits: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(40))
    consent_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_whatsapp: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_viber: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    client: Mapped[Client | None] = relationship(back_populates="phones")
    contact: Mapped["Contact | None"] = relationship(back_populates="phones")


class Address(Base):
    __tablename__ = "clientela_addresses"
    __table_args__ = (
        # At most one active default address per client, whatever the code path.
        Index(
            "clientela_uq_addresses_one_active_default",
            "client_id",
            unique=True,
            sqlite_where=text("kind = 'padrao' AND is_active"),
            postgresql_where=text("kind = 'padrao' AND is_active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default=ADDRESS_DEFAULT)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    cep: Mapped[str] = mapped_column(String(8))
    street: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(20))
    complement: Mapped[str | None] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120))
    uf: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship(back_populates="addresses")

    __mapper_args__ = {"version_id_col": version}


class Contact(Base):
    __tablename__ = "clientela_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_clients.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship(back_populates="contacts")
    phones: Mapped[list[Phone]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by=Phone.position
    )

    __mapper_args__ = {"version_id_col": version}


class ClientChange(Base):
    """Who changed what and when: one row per save, with the changed fields' old and new values."""

    __tablename__ = "clientela_client_changes"
    __table_args__ = (Index("clientela_ix_client_changes_client_id_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clientela_clients.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    # [{"field": label, "old": text, "new": text}, ...]
    changes: Mapped[list] = mapped_column(JSON, default=list)

    staff: Mapped[StaffUser | None] = relationship()


class ClientCounter(Base):
    """One row per relationship group, moved in the same transaction as the clients."""

    __tablename__ = "clientela_client_counters"

    group: Mapped[str] = mapped_column("relationship_group", String(10), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
