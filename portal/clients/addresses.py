"""A client's addresses: add and edit, at most one active default; history says what changed."""

from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.brazil.cep import format_cep, normalize_cep
from portal.brazil.ufs import normalize_uf
from portal.clients import history, limits
from portal.clients.models import ADDRESS_DEFAULT, ADDRESS_DELIVERY, Address, Client
from portal.clients.service import get_client
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.i18n import _
from portal.staff.models import StaffUser
from portal.text import clean_text


@dataclass
class AddressInput:
    kind: str
    is_active: bool
    cep: str
    street: str
    number: str
    district: str
    city: str
    uf: str
    complement: str | None = None


def _check_address(data: AddressInput) -> dict:
    errors = ErrorCollector()
    if data.kind not in (ADDRESS_DEFAULT, ADDRESS_DELIVERY):
        errors.add(_("Choose the Type: main or delivery."), "kind")
    values = {
        "kind": data.kind,
        "is_active": bool(data.is_active),
        "cep": errors.check(normalize_cep, data.cep),
        "street": errors.check(
            clean_text, data.street, "street", _("the street"), limits.STREET, required=True
        ),
        "number": errors.check(
            clean_text,
            data.number,
            "number",
            _("the number (or S/N)"),
            limits.ADDRESS_NUMBER,
            required=True,
        ),
        "complement": errors.check(
            clean_text, data.complement, "complement", _("the complement"), limits.COMPLEMENT
        ),
        "district": errors.check(
            clean_text, data.district, "district", _("the district"), limits.DISTRICT, required=True
        ),
        "city": errors.check(
            clean_text, data.city, "city", _("the city"), limits.CITY, required=True
        ),
        "uf": errors.check(normalize_uf, data.uf),
    }
    errors.raise_if_any()
    return values


def _check_single_default(client: Client, address: Address) -> None:
    if address.kind == ADDRESS_DEFAULT and address.is_active:
        for other in client.addresses:
            if other is not address and other.kind == ADDRESS_DEFAULT and other.is_active:
                raise DomainError(
                    _(
                        "This client already has an active main address. Mark this one as "
                        "delivery, or deactivate the other main address first."
                    ),
                    field="kind",
                )


def add_address(
    client_id: int, data: AddressInput, actor: StaffUser | None, action: str = "address_added"
) -> Address:
    client = get_client(client_id)
    address = Address(**_check_address(data))
    _check_single_default(client, address)
    client.addresses.append(address)
    db.session.flush()
    history.record(
        client, actor, action, [history.change("Endereço", "", describe_address(address))]
    )
    return address


@db.stale_as_edit()  # an autoflush (reading the other addresses) may find it stale too
def update_address(
    address_id: int, data: AddressInput, expected_version: int, actor, action="address_updated"
) -> Address:
    address = db.session.get(Address, address_id)
    if address is None:
        raise NotFound(_("Address not found."))
    if address.version != expected_version:
        raise StaleEdit()
    values = _check_address(data)
    before = describe_address(address)
    for key, value in values.items():
        setattr(address, key, value)
    _check_single_default(address.client, address)
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None
    after = describe_address(address)
    if before != after:
        history.record(address.client, actor, action, [history.change("Endereço", before, after)])
    return address


def describe_address(address: Address) -> str:
    kind = "padrão" if address.kind == ADDRESS_DEFAULT else "entrega"
    status = "ativo" if address.is_active else "inativo"
    complement = f", {address.complement}" if address.complement else ""
    return (
        f"{address.street}, {address.number}{complement} - {address.district}, {address.city}/"
        f"{address.uf}, CEP {format_cep(address.cep)} ({kind}, {status})"
    )
