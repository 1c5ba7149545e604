"""The four pre-set lookups, edited from the client form's pencil popups."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.lookups.models import ClientProfile, PaymentMethod, PaymentTerm, Seller
from portal.text import clean_text, normalize_email


@dataclass(frozen=True)
class LookupKind:
    slug: str
    model: type
    label: str  # as the client form names the field
    client_field: str
    extra_field: str | None = None  # one optional extra column edited in the popup
    extra_label: str | None = None


KINDS = {
    k.slug: k
    for k in (
        LookupKind(
            "perfis", ClientProfile, "Perfil de Cliente", "profile_id", "description", "Descrição"
        ),
        LookupKind("vendedores", Seller, "Vendedor", "seller_id", "email", "E-mail"),
        LookupKind("formas-pagamento", PaymentMethod, "Forma de Pagamento", "payment_method_id"),
        LookupKind(
            "prazos-pagamento",
            PaymentTerm,
            "Prazo de Pagamento",
            "payment_term_id",
            "days",
            "Dias das parcelas",
        ),
    )
}


def kind_named(slug: str) -> LookupKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise NotFound("Lista não encontrada.") from None


def entries(kind: LookupKind, *, active_only: bool = False) -> list:
    query = select(kind.model).order_by(kind.model.name)
    if active_only:
        query = query.where(kind.model.is_active.is_(True))
    return list(db.session.scalars(query))


def _clean_extra(kind: LookupKind, value: str | None):
    if kind.extra_field == "email":
        return normalize_email(value, field="extra")
    if kind.extra_field == "days":
        days = [d.strip() for d in (value or "").replace(";", ",").split(",") if d.strip()]
        if not all(d.isdigit() and 0 <= int(d) <= 720 for d in days):
            raise DomainError(
                "Dias das parcelas: números de 0 a 720 separados por vírgula, como 30,60,90.",
                field="extra",
            )
        return ",".join(str(int(d)) for d in days)
    if kind.extra_field:
        return clean_text(value, "extra", kind.extra_label.lower(), 500, multiline=True)
    return None


def save(
    kind: LookupKind,
    entry_id: int | None,
    name: str,
    extra: str | None,
    is_active: bool,
    expected_version: int | None = None,
):
    errors = ErrorCollector()
    clean_name = errors.check(clean_text, name, "name", "o nome", 120, required=True)
    clean_extra = errors.check(_clean_extra, kind, extra)
    model = kind.model
    if clean_name and db.name_taken(model, clean_name, entry_id):
        errors.add(f"Já existe um(a) {kind.label} com este nome.", "name")
    errors.raise_if_any()
    if entry_id:
        entry = db.session.get(model, entry_id)
        if entry is None:
            raise NotFound(f"{kind.label} não encontrado(a).")
        if expected_version is not None and entry.version != expected_version:
            raise StaleEdit()
    else:
        entry = model()
        db.session.add(entry)
    entry.name = clean_name
    entry.is_active = bool(is_active)
    if kind.extra_field:
        setattr(
            entry,
            kind.extra_field,
            clean_extra
            if clean_extra is not None
            else ("" if kind.extra_field == "days" else None),
        )
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    return entry
