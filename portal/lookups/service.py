"""The four pre-set lookups, edited from the client form's pencil popups.

Each is a named list ordered by name, with an active flag and at most one extra field of
its own (a profile's description, a seller's e-mail, a payment term's instalment days).
"""

from portal.errors import DomainError, NotFound
from portal.i18n import _, _l, lazy_pgettext
from portal.lookups.models import (
    ClientProfile,
    PaymentMethod,
    PaymentTerm,
    Seller,
    parse_instalment_days,
)
from portal.named_lists import EntryInput, Field, NamedList, Noun
from portal.text import MAX_EMAIL_LENGTH, clean_text, normalize_email


class Lookup(NamedList):
    """A lookup also names the client form's field that picks one of its rows."""

    def __init__(self, slug, model, noun, client_field: str, extra: Field | None = None, flags=()):
        super().__init__(
            slug,
            model,
            noun,
            fields=((extra,) if extra else ()) + tuple(flags),
            name_max=120,
            positioned=False,
        )
        self.client_field = client_field

    @property
    def extra(self) -> Field | None:
        return next((f for f in self.fields if f.form_name == "extra"), None)


DESCRIPTION_MAX = 500
DAYS_MAX = 200  # "30,60,90,...": at most a few dozen instalments


def _clean_description(value):
    return clean_text(value, "extra", str(_("description")), DESCRIPTION_MAX, multiline=True)


def _clean_email(value):
    return normalize_email(value, field="extra")


def _clean_days(value) -> str:
    """ "30/60/90", "30,60,90" or "30 60 90" (empty: cash) stored as "30,60,90": positive,
    strictly increasing whole numbers of days."""
    if len(value or "") > DAYS_MAX:
        raise DomainError(_("Instalment days: at most 24 instalments."), field="extra")
    try:
        days = parse_instalment_days(value)
    except ValueError as exc:
        messages = {
            "not_increasing": _(
                "Instalment days: each instalment comes after the previous one, such as 30/60/90."
            ),
            "too_many": _("Instalment days: at most 24 instalments."),
        }
        raise DomainError(
            messages.get(
                str(exc),
                _(
                    "Instalment days: whole numbers from 1 to 720 separated by commas or "
                    "slashes, such as 30/60/90 (leave empty for cash)."
                ),
            ),
            field="extra",
        ) from None
    return ",".join(str(d) for d in days)


def _extra(attr: str, label, clean, type_: str = "text", max_length: int = 200) -> Field:
    return Field(
        attr,
        label,
        type=type_,
        column=label,
        form_name="extra",
        clean=clean,
        max_length=max_length,
    )


KINDS = {
    k.slug: k
    for k in (
        Lookup(
            "perfis",
            ClientProfile,
            Noun(
                lazy_pgettext("list noun", "Client profile"),
                lazy_pgettext("list noun", "Client profiles"),
                "m",
            ),
            "profile_id",
            _extra(
                "description",
                _l("Description"),
                _clean_description,
                "textarea",
                DESCRIPTION_MAX,
            ),
        ),
        Lookup(
            "vendedores",
            Seller,
            Noun(lazy_pgettext("list noun", "Seller"), lazy_pgettext("list noun", "Sellers"), "m"),
            "seller_id",
            _extra("email", _l("E-mail"), _clean_email, max_length=MAX_EMAIL_LENGTH),
        ),
        Lookup(
            "formas-pagamento",
            PaymentMethod,
            Noun(
                lazy_pgettext("list noun", "Payment method"),
                lazy_pgettext("list noun", "Payment methods"),
                "f",
            ),
            "payment_method_id",
            flags=(
                Field(
                    "issues_boleto",
                    _l("Issues boletos"),
                    type="bool",
                    column=_l("Boleto"),
                    help=_l(
                        "Orders paid this way get one boleto per instalment of their payment "
                        "term, on the default billing account."
                    ),
                ),
            ),
        ),
        Lookup(
            "prazos-pagamento",
            PaymentTerm,
            Noun(
                lazy_pgettext("list noun", "Payment term"),
                lazy_pgettext("list noun", "Payment terms"),
                "m",
            ),
            "payment_term_id",
            _extra("days", _l("Instalment days"), _clean_days),
        ),
    )
}


def kind_named(slug: str) -> Lookup:
    try:
        return KINDS[slug]
    except KeyError:
        raise NotFound(_("List not found.")) from None


def entries(kind: Lookup, *, active_only: bool = False) -> list:
    return kind.entries(active_only=active_only)


def save(
    kind: Lookup,
    entry_id: int | None,
    name: str | None,
    extra: str | None,
    is_active: bool,
    expected_version: int | None = None,
):
    """Add or edit one entry; returns it (flushed)."""
    data = EntryInput(name=name, is_active=is_active, values={"extra": extra})
    return kind.save(entry_id, data, expected_version).entry
