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


MAX_INSTALMENTS = 24
MAX_INSTALMENT_DAYS = 720


def parse_instalment_days(text: str | None) -> list[int]:
    """A payment term's days ("30/60/90", "30,60,90", "30 60 90"; empty = cash) as positive,
    strictly increasing integers; ValueError (with a Portuguese-ready English message key)
    names what is wrong."""
    cleaned = (text or "").replace("/", ",").replace(";", ",").replace(" ", ",")
    parts = [part for part in cleaned.split(",") if part]
    days: list[int] = []
    for part in parts:
        if not part.isdigit():
            raise ValueError("not_a_number")
        value = int(part)
        if value < 1 or value > MAX_INSTALMENT_DAYS:
            raise ValueError("out_of_range")
        if days and value <= days[-1]:
            raise ValueError("not_increasing")
        days.append(value)
    if len(days) > MAX_INSTALMENTS:
        raise ValueError("too_many")
    return days
