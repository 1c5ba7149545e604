"""Situações: the editable list of client statuses, and what editing one does to clients.

Whether a status grants storefront access decides the relationship group of every client
holding it, so flipping that flag regroups those clients set-based and moves the counters
in the same transaction. Exactly one status is the default for new clients. Only a status
no client holds, and not the default, can be deleted.
"""

from sqlalchemy import func, select, update

from portal import db
from portal.clients import queries
from portal.clients.models import Client, ClientStatus
from portal.clients.relationship import group_counts, group_expression, move_counters
from portal.errors import DomainError
from portal.i18n import _, _l, lazy_pgettext, ngettext
from portal.named_lists import EntryInput, Field, NamedList, Noun, Saved

__all__ = ["CLIENT_STATUSES", "EntryInput", "clients_holding"]


def clients_holding(status_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Client.status_id == status_id))


class ClientStatuses(NamedList):
    def in_use(self) -> set[int]:
        return queries.statuses_in_use()

    def may_delete(self, entry, in_use: set[int]) -> bool:
        return not entry.is_default and super().may_delete(entry, in_use)

    def check(self, entry, values, is_active, errors) -> None:
        super().check(entry, values, is_active, errors)
        if entry is not None and entry.is_default and not values["is_default"]:
            errors.add(
                _(
                    "This is the default status for new clients: to change it, mark another "
                    "one as default."
                ),
                "is_default",
            )

    def after_save(self, entry: ClientStatus, before: dict | None) -> Saved:
        if entry.is_default:
            db.session.execute(
                update(ClientStatus)
                .where(ClientStatus.id != entry.id, ClientStatus.is_default.is_(True))
                .values(is_default=False, version=ClientStatus.version + 1)
                .execution_options(synchronize_session=False)
            )
        access_changed = before is not None and before["grants_access"] != entry.grants_access
        regrouped = _regroup(entry) if access_changed else 0
        db.session.expire_all()
        saved = Saved(db.session.get(ClientStatus, entry.id), others_changed=regrouped)
        if regrouped:
            saved.notes.append(
                ngettext(
                    "%(num)d client changed group in the counters.",
                    "%(num)d clients changed group in the counters.",
                    regrouped,
                )
            )
        return saved

    def check_delete(self, entry: ClientStatus) -> None:
        if entry.is_default:
            raise DomainError(
                _("The default status cannot be deleted: mark another one as default.")
            )
        holding = clients_holding(entry.id)
        if holding:
            raise DomainError(
                ngettext(
                    "%(num)d client holds this status: move it to another status before "
                    "deleting this one.",
                    "%(num)d clients hold this status: move them to another status before "
                    "deleting this one.",
                    holding,
                )
            )


def ends_sessions(grants_access: bool) -> dict:
    """Values a set-based status write adds: without access, storefront sessions end."""
    return {} if grants_access else {"session_token": None}


def _regroup(status: ClientStatus) -> int:
    """Every client holding the status moves to the group the new flag gives it."""
    holding = Client.status_id == status.id
    new_group = group_expression(status.grants_access)
    deltas = group_counts(db.session, new_group, holding)
    deltas.subtract(group_counts(db.session, Client.group, holding))
    changed = db.session.execute(
        update(Client)
        .where(holding, Client.group != new_group)
        .values(group=new_group, **ends_sessions(status.grants_access))
        .execution_options(synchronize_session=False)
    ).rowcount
    move_counters(db.session, deltas)
    return changed


CLIENT_STATUSES = ClientStatuses(
    "situacoes-cliente",
    ClientStatus,
    Noun(
        lazy_pgettext("list noun", "Client status"),
        lazy_pgettext("list noun", "Client statuses"),
        "f",
    ),
    fields=(
        Field(
            "grants_access",
            _l("Gives access to the store"),
            column=_l("Store access"),
            help=_l(
                "Clients in this status can sign in to the store with e-mail and password. "
                "Without this mark, they count as Inactive Clients."
            ),
        ),
        Field(
            "is_default",
            _l("Default for new clients"),
            column=_l("Default"),
            badge=lazy_pgettext("badge", "default"),
            help=_l("The status a new client receives. There is always exactly one."),
        ),
    ),
    has_active=False,
    deletable=True,
    intro=_l(
        "Each client's status says whether they may enter the store. Whoever is in a status "
        "that gives no access counts as an Inactive Client; changing that mark changes the "
        "group of every client in it."
    ),
)
