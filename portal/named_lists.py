"""The editable named list: one service for every small list staff keep by hand.

Lookups (Perfil de Cliente, Vendedor, ...), order types and statuses, client statuses: each
is a table of named rows with a version, maybe a position and an "active" flag, plus a few
fields of its own. A `NamedList` describes one of them (its noun and grammatical gender,
extra fields, whether rows are ordered by hand, whether a row may be deleted) and holds the
shared use cases: list, load, save (clean name, case-insensitive unique, version check) and
delete. A domain subclasses it to add its own rules through the hooks `check`, `after_save`,
`in_use` and `check_delete`. Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.i18n import _, lazy_pgettext
from portal.text import clean_text, list_position

Gender = Literal["m", "f"]

# Sentences about "a row of this list", in both grammatical genders of the noun: Portuguese
# says "Novo Tipo de Pedido" but "Nova Situação". The context carries the gender.
_PHRASES = {
    "new": (lazy_pgettext("masculine", "New %(noun)s"), lazy_pgettext("feminine", "New %(noun)s")),
    "new_short": (lazy_pgettext("masculine", "New"), lazy_pgettext("feminine", "New")),
    "exists": (
        lazy_pgettext("masculine", "Another %(noun)s already has this name."),
        lazy_pgettext("feminine", "Another %(noun)s already has this name."),
    ),
    "not_found": (
        lazy_pgettext("masculine", "%(noun)s not found."),
        lazy_pgettext("feminine", "%(noun)s not found."),
    ),
    "saved": (
        lazy_pgettext("masculine", "%(noun)s “%(name)s” saved."),
        lazy_pgettext("feminine", "%(noun)s “%(name)s” saved."),
    ),
    "saved_selected": (
        lazy_pgettext("masculine", "%(noun)s “%(name)s” saved and selected on the client."),
        lazy_pgettext("feminine", "%(noun)s “%(name)s” saved and selected on the client."),
    ),
    "deleted": (
        lazy_pgettext("masculine", "%(noun)s “%(name)s” deleted."),
        lazy_pgettext("feminine", "%(noun)s “%(name)s” deleted."),
    ),
    "keep_one_active": (
        lazy_pgettext("masculine", "Keep at least one %(noun)s active."),
        lazy_pgettext("feminine", "Keep at least one %(noun)s active."),
    ),
}


@dataclass(frozen=True)
class Noun:
    """What a row of the list is called, and the grammatical gender of that word."""

    singular: Any  # a lazy string
    plural: Any
    gender: Gender = "m"

    def say(self, phrase: str, **values) -> str:
        masculine, feminine = _PHRASES[phrase]
        text = str(feminine if self.gender == "f" else masculine)
        return text % {"noun": str(self.singular), **values} if "%(" in text else text


@dataclass(frozen=True)
class Field:
    """One field of a kind besides the name, position and active flag."""

    attr: str  # the model's attribute
    label: Any  # the form's label (lazy)
    type: Literal["bool", "text", "textarea"] = "bool"
    column: Any = None  # the table's header (lazy); None: not shown as a column
    help: Any = None
    form_name: str | None = None  # the form field's name when it is not `attr`
    clean: Callable[[Any], Any] | None = None  # raises DomainError(field=form name)
    badge: Any = None  # a bool shown as this badge when true, instead of Sim/Não
    max_length: int | None = None  # the browser's maxlength: the same limit `clean` applies

    @property
    def name(self) -> str:
        return self.form_name or self.attr


@dataclass
class EntryInput:
    name: str | None
    position: object = 0  # an int, or the text typed in the form
    is_active: bool = True
    values: dict[str, Any] = field(default_factory=dict)  # by Field.name


@dataclass
class Saved:
    entry: Any
    others_changed: int = 0  # rows elsewhere the save changed (e.g. clients regrouped)
    notes: list[str] = field(default_factory=list)  # what to tell the user besides "saved"


class NamedList:
    """One editable list. Configure with the constructor; subclass to add rules."""

    def __init__(
        self,
        slug: str,
        model: type,
        noun: Noun,
        *,
        fields: tuple[Field, ...] = (),
        name_max: int = 60,
        positioned: bool = True,
        has_active: bool = True,
        deletable: bool = False,
        require_active: bool = False,
        intro: Any = None,
    ):
        self.slug = slug
        self.model = model
        self.noun = noun
        self.fields = fields
        self.name_max = name_max
        self.positioned = positioned
        self.has_active = has_active
        self.deletable = deletable
        self.require_active = require_active  # at least one row stays active
        self.intro = intro

    @property
    def label(self) -> str:
        return str(self.noun.singular)

    @property
    def title(self) -> str:
        return str(self.noun.plural)

    # Reading -------------------------------------------------------------------------------

    def entries(self, *, active_only: bool = False) -> list:
        model = self.model
        order = (model.position, model.name) if self.positioned else (model.name,)
        query = select(model).order_by(*order)
        if active_only and self.has_active:
            query = query.where(model.is_active.is_(True))
        return list(db.session.scalars(query))

    def get(self, entry_id: int):
        entry = db.session.get(self.model, entry_id)
        if entry is None:
            raise NotFound(self.noun.say("not_found"))
        return entry

    def in_use(self) -> set[int]:
        """Ids of the rows something refers to (shown, and never deleted). Hook."""
        return set()

    def may_delete(self, entry, in_use: set[int]) -> bool:
        return self.deletable and entry.id not in in_use

    # Writing -------------------------------------------------------------------------------

    def save(
        self, entry_id: int | None, data: EntryInput, expected_version: int | None = None
    ) -> Saved:
        errors = ErrorCollector()
        name = errors.check(
            clean_text, data.name, "name", _("the name"), self.name_max, required=True
        )
        position = None
        if self.positioned:
            position = list_position(data.position)
            if position is None:
                errors.add(_("Position: use a whole number from -10000 to 10000."), "position")
        values = {}
        for f in self.fields:
            raw = data.values.get(f.name)
            if f.clean is not None:
                values[f.attr] = errors.check(f.clean, raw)
            else:
                values[f.attr] = bool(raw) if f.type == "bool" else raw
        if name and db.name_taken(self.model, name, entry_id):
            errors.add(self.noun.say("exists"), "name")
        entry = None
        if entry_id:
            entry = self.get(entry_id)
            if expected_version is not None and entry.version != expected_version:
                raise StaleEdit()
        is_active = bool(data.is_active)
        self.check(entry, values, is_active, errors)
        errors.raise_if_any()
        before = {f.attr: getattr(entry, f.attr) for f in self.fields} if entry else None
        if entry is None:
            entry = self.model()
            db.session.add(entry)
        entry.name = name
        if self.positioned:
            entry.position = position
        if self.has_active:
            entry.is_active = is_active
        for attr, value in values.items():
            setattr(entry, attr, value)
        try:
            db.session.flush()
        except StaleDataError:
            raise StaleEdit() from None
        return self.after_save(entry, before)

    def check(self, entry, values: dict, is_active: bool, errors: ErrorCollector) -> None:
        """The kind's own rules, before anything is written. Hook: add to `errors`."""
        if self.has_active and not is_active and not self._another_active(entry):
            errors.add(self.noun.say("keep_one_active"), "is_active")

    def _another_active(self, entry) -> bool:
        if not self.require_active:
            return True
        query = select(self.model.id).where(self.model.is_active.is_(True))
        if entry is not None:
            query = query.where(self.model.id != entry.id)
        return db.session.scalar(query.limit(1)) is not None

    def after_save(self, entry, before: dict | None) -> Saved:
        """What else the save changes (flushed, not committed). Hook; `before` is None for
        a new row, else the kind's field values before the save."""
        return Saved(entry)

    def delete(self, entry_id: int) -> str:
        """Delete a row nothing uses; returns its name."""
        entry = self.get(entry_id)
        if not self.deletable:
            raise DomainError(_("This list's entries cannot be deleted."))
        self.check_delete(entry)
        name = entry.name
        db.session.delete(entry)
        db.session.flush()
        return name

    def check_delete(self, entry) -> None:
        """Raise a DomainError when the row must stay. Hook."""
