"""Sefaz use cases: consult (with cache and 656 backoff) and record, adopt, apply. They flush.

Failures never escape as exceptions from `consult`: an outage, a bad answer or a refusal
becomes a "não verificado" row with its reason, so the caller can always save the client
and `sefaz recheck` (or a later save) tries again. Only "nothing could be asked" raises:
no certificate (SefazNotConfigured) or a malformed UF/document (SefazInvalidRequest).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.clients import addresses, history
from portal.clients.models import ADDRESS_DEFAULT, Client
from portal.config import setting
from portal.db import utcnow
from portal.errors import DomainError
from portal.i18n import _
from portal.sefaz import client as sefaz_client
from portal.sefaz.documents import normalize_uf
from portal.sefaz.errors import (
    SefazError,
    SefazInvalidRequest,
    SefazNotConfigured,
    SefazRefused,
)
from portal.sefaz.messages import THROTTLED, Verdict
from portal.sefaz.models import SefazConsultation
from portal.sefaz.settings import SETTING_NAMES, SefazSettings
from portal.staff.models import StaffUser

logger = logging.getLogger(__name__)
# Times inside messages are Brasília time (no daylight saving since 2019), as people read them.
BRASILIA = timezone(timedelta(hours=-3))

# Pre-fill choices that only the server can store (the form has no such inputs).
APPLY_CNAE, APPLY_REGIME, APPLY_ADDRESS = "cnae", "regime", "endereco"
SERVER_FIELDS = (APPLY_CNAE, APPLY_REGIME, APPLY_ADDRESS)


def settings_for(app: Flask | None = None) -> SefazSettings:
    """The shop's settings from the app config (the current app's by default).

    Raises ValueError (naming the variable) when a SEFAZ_* value is malformed.
    """
    return SefazSettings.from_mapping({name: setting(name, app) for name in SETTING_NAMES})


def brasilia(moment: datetime) -> str:
    local = moment.astimezone(BRASILIA).strftime("%d/%m/%Y %H:%M")
    return _("%(moment)s (Brasília time)", moment=local)


def _document_kwargs(document: str) -> dict[str, str]:
    return {"cpf" if len(document) == 11 else "cnpj": document}


def client_uf(client: Client) -> str | None:
    """The UF of the client's active default address, where its registration lives."""
    for address in client.addresses:
        if address.kind == ADDRESS_DEFAULT and address.is_active:
            return address.uf
    return None


def blocked_until(uf: str, settings: SefazSettings, now: datetime | None = None) -> datetime | None:
    """When the UF's service may be called again after a 656 (consumo indevido), if not yet.

    656 blocks the shop's certificate at that state's service, whatever the document, so
    the wait applies to every consultation in the UF.
    """
    now = now or utcnow()
    backoff = timedelta(seconds=settings.backoff_seconds_after_656)
    last = db.session.scalar(
        select(func.max(SefazConsultation.at)).where(
            SefazConsultation.uf == uf,
            SefazConsultation.c_stat == THROTTLED,
            SefazConsultation.at > now - backoff,
        )
    )
    return last + backoff if last else None


def _cached_answer(
    document: str, uf: str, settings: SefazSettings, now: datetime
) -> SefazConsultation | None:
    if settings.cache_seconds <= 0:
        return None
    return db.session.scalars(
        select(SefazConsultation)
        .where(
            SefazConsultation.document == document,
            SefazConsultation.uf == uf,
            SefazConsultation.at > now - timedelta(seconds=settings.cache_seconds),
            SefazConsultation.is_cached.is_(False),
            SefazConsultation.verdict != Verdict.NAO_VERIFICADO.value,
        )
        .order_by(SefazConsultation.at.desc(), SefazConsultation.id.desc())
        .limit(1)
    ).first()


def _add(**values) -> SefazConsultation:
    row = SefazConsultation(**values)
    db.session.add(row)
    db.session.flush()
    return row


def _copy_for(row: SefazConsultation, client_id: int, actor: StaffUser | None, now: datetime):
    return _add(
        client_id=client_id,
        document=row.document,
        uf=row.uf,
        staff_id=actor.id if actor else None,
        at=now,
        verdict=row.verdict,
        c_stat=row.c_stat,
        x_motivo=row.x_motivo,
        reason=_("Sefaz answer of %(moment)s reused.", moment=brasilia(row.at)),
        parsed=row.parsed,
        raw_xml=row.raw_xml,
        is_cached=True,
    )


def consult(
    settings: SefazSettings,
    document: str,
    uf: str,
    *,
    client_id: int | None = None,
    actor: StaffUser | None = None,
    now: datetime | None = None,
) -> SefazConsultation:
    """Ask Sefaz about an unmasked CPF/CNPJ in `uf` (or reuse a recent answer) and record it.

    A recent answer about the same document and UF (SEFAZ_CACHE_SECONDS) is returned
    as is, or copied for `client_id` when it was given for someone else.
    """
    if not settings.is_configured:
        raise SefazNotConfigured(
            _("Sefaz consultation not configured: the shop's digital certificate is missing.")
        )
    uf = normalize_uf(uf)
    now = now or utcnow()
    cached = _cached_answer(document, uf, settings, now)
    if cached is not None:
        if client_id is None or cached.client_id == client_id:
            return cached
        return _copy_for(cached, client_id, actor, now)

    row = {"client_id": client_id, "document": document, "uf": uf, "at": now}
    row["staff_id"] = actor.id if actor else None
    waiting = blocked_until(uf, settings, now)
    if waiting is not None:
        return _add(
            **row,
            verdict=Verdict.NAO_VERIFICADO.value,
            error_code="aguardando_656",
            reason=_(
                "Consultations with Sefaz %(uf)s suspended until %(moment)s after a block "
                "for excessive use (656); nothing was sent.",
                uf=uf,
                moment=brasilia(waiting),
            ),
        )
    try:
        answer = sefaz_client.consult(settings, uf, **_document_kwargs(document))
    except SefazInvalidRequest:
        raise
    except SefazError as exc:
        return _add(**row, **_failure(exc))
    except Exception:
        # A library bug or an answer nobody foresaw must not cost the client being saved.
        logger.exception("Consulta cadastral Sefaz (%s): erro inesperado", uf)
        return _add(
            **row,
            verdict=Verdict.NAO_VERIFICADO.value,
            error_code="erro_inesperado",
            reason=_("Unexpected error while consulting Sefaz; the consultation will be redone."),
        )
    return _add(
        **row,
        verdict=answer.verdict.value,
        c_stat=answer.c_stat,
        x_motivo=answer.x_motivo,
        parsed=answer.to_json_dict(),
        raw_xml=answer.raw_xml,
    )


def _failure(exc: SefazError) -> dict:
    return {
        "verdict": Verdict.NAO_VERIFICADO.value,
        "c_stat": getattr(exc, "c_stat", None),
        "x_motivo": getattr(exc, "x_motivo", None),
        "reason": exc.reason,
        "error_code": exc.code[:30],
        "raw_xml": (exc.raw_xml or None) if isinstance(exc, SefazRefused) else None,
    }


def consult_for_client(
    settings: SefazSettings,
    client: Client,
    *,
    uf: str | None = None,
    actor: StaffUser | None = None,
    now: datetime | None = None,
) -> SefazConsultation | None:
    """Consult the client's document in `uf` (default: its default address's UF).

    None when there is nothing to ask: no document or no UF known.
    """
    uf = uf or client_uf(client)
    if not client.document or not uf:
        return None
    return consult(settings, client.document, uf, client_id=client.id, actor=actor, now=now)


def adopt(
    consultation_id: int, client: Client, actor: StaffUser | None
) -> SefazConsultation | None:
    """Attach a consultation made while the client was being typed (same document only).

    An answer the form reused from another client's record is copied, not moved.
    """
    row = db.session.get(SefazConsultation, consultation_id)
    if row is None or row.document != client.document:
        return None
    if row.client_id is None:
        row.client_id = client.id
        db.session.flush()
    elif row.client_id != client.id:
        return _copy_for(row, client.id, actor, utcnow()) if row.is_answer else None
    return row


@dataclass
class SaveOutcome:
    """What happened to the Sefaz side of a client save, for the page to say."""

    consultation: SefazConsultation | None = None
    applied: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def after_save(
    client: Client,
    *,
    actor: StaffUser | None,
    settings: SefazSettings | None,
    consultation_id: int | None = None,
    apply: tuple[str, ...] | list[str] = (),
    uf: str | None = None,
    consult_now: bool = False,
) -> SaveOutcome:
    """After the client is committed: adopt the form's consultation, store the chosen
    pre-fill, then (SEFAZ_CONSULT_ON_SAVE) consult unless the form already did."""
    outcome = SaveOutcome()
    adopted = adopt(consultation_id, client, actor) if consultation_id else None
    if adopted is not None:
        outcome.consultation = adopted
        if adopted.is_answer and apply:
            outcome.applied, outcome.problems = apply_answer(adopted, client, apply, actor)
    if consult_now and adopted is None and settings is not None and settings.is_configured:
        try:
            outcome.consultation = consult_for_client(settings, client, uf=uf, actor=actor)
        except SefazInvalidRequest as exc:
            outcome.problems.append(exc.reason)
        if outcome.consultation is None and client.document and not outcome.problems:
            outcome.problems.append(
                _(
                    "Sefaz not consulted: choose the UF of the consultation or register "
                    "the default address."
                )
            )
    return outcome


def apply_answer(
    row: SefazConsultation, client: Client, fields: list[str] | tuple[str, ...], actor
) -> tuple[list[str], list[str]]:
    """Store CNAE, regime and/or the address from an answer; returns (applied, problems)."""
    principal = row.principal
    if principal is None:
        return [], []
    applied: list[str] = []
    problems: list[str] = []
    changes = []
    # The history keeps its field names as stored data (Portuguese, as portal.clients.history
    # writes them); `applied` is for the page, in the request's language.
    for key, attr, field_name, label, size in (
        (APPLY_CNAE, "cnae", "CNAE", _("CNAE"), 10),
        (APPLY_REGIME, "tax_regime", "Regime de apuração", _("Tax regime"), 60),
    ):
        value = (principal.get(key) or "")[:size] or None
        if key in fields and value and value != getattr(client, attr):
            changes.append(history.change(field_name, getattr(client, attr) or "", value))
            setattr(client, attr, value)
            applied.append(label)
    if changes:
        history.record(client, actor, "sefaz_applied", changes)
    if APPLY_ADDRESS in fields:
        try:
            with db.session.begin_nested():
                _store_address(client, principal, actor)
            applied.append(_("default address"))
        except DomainError as exc:
            problems.append(
                _(
                    "The address from Sefaz was not saved (%(problem)s): complete it in the "
                    "Addresses tab.",
                    problem=exc.message,
                )
            )
    db.session.flush()
    return applied, problems


def _store_address(client: Client, principal: dict, actor) -> None:
    ender = principal.get("endereco") or {}
    data = addresses.AddressInput(
        kind=ADDRESS_DEFAULT,
        is_active=True,
        cep=ender.get("cep") or "",
        street=ender.get("logradouro") or "",
        number=ender.get("numero") or "S/N",
        complement=ender.get("complemento"),
        district=ender.get("bairro") or "",
        city=ender.get("municipio") or "",
        uf=principal.get("uf") or "",
    )
    current = next((a for a in client.addresses if a.kind == ADDRESS_DEFAULT and a.is_active), None)
    if current is None:
        addresses.add_address(client.id, data, actor)
    else:
        addresses.update_address(current.id, data, current.version, actor)
