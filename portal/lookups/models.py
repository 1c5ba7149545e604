"""Pre-set lists a client refers to: profile, seller, payment method, payment term."""

from sqlalchemy import Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from portal.db import Base


class LookupMixin:
    """Shared shape of the lookup tables; each keeps its own table so foreign keys stay exact."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}

    @declared_attr.directive
    def __table_args__(cls):
        from sqlalchemy import UniqueConstraint

        return (UniqueConstraint("name"),)


class ClientProfile(LookupMixin, Base):
    __tablename__ = "clientela_client_profiles"
    description: Mapped[str | None] = mapped_column(Text)


class Seller(LookupMixin, Base):
    __tablename__ = "clientela_sellers"
    email: Mapped[str | None] = mapped_column(String(254))


class PaymentMethod(LookupMixin, Base):
    __tablename__ = "clientela_payment_methods"
    # Orders paid this way get boletos (one per instalment of the payment term).
    issues_boleto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PaymentTerm(LookupMixin, Base):
    __tablename__ = "clientela_payment_terms"
    # Instalment days after the order, e.g. "30,60,90"; empty means cash.
    days: Mapped[str] = mapped_column(String(60), default="")
