"""Sefaz in the back office: the client tab, `sefaz_panel`, the "Consultar Sefaz" button
(htmx) and the step after a client save.

`init_app(app)` (called by the plugin) registers the tab and the template global and
connects `after_client_save` to `extension_points.client_saved` for that app.

The consultation never blocks the client: the button only shows the answer and what can be
pre-filled; saving the client commits it first, and `after_client_save` then adopts that
answer, stores the chosen pre-fill and (SEFAZ_CONSULT_ON_SAVE) consults, in its own commit.
"""

import logging
from dataclasses import dataclass

from flask import Flask, abort, g, render_template, request
from sqlalchemy import Row

from portal import db
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.brazil.documents import normalize_document
from portal.brazil.ufs import UFS
from portal.clients.models import Client
from portal.config import setting
from portal.errors import DomainError
from portal.extension_points import ClientTab, add_client_tab, client_saved
from portal.i18n import _, _l
from portal.sefaz import queries, service
from portal.sefaz.errors import SefazError
from portal.sefaz.settings import SefazSettings

logger = logging.getLogger(__name__)

RESULT = "clientela/admin/sefaz/_result.html"
TAB_TEMPLATE = "clientela/admin/sefaz/_tab.html"
UF_CHOICES = sorted(UFS)


def init_app(app: Flask) -> None:
    app.add_template_global(sefaz_panel, "sefaz_panel")
    add_client_tab(app, ClientTab("sefaz", _l("Sefaz"), TAB_TEMPLATE, _tab_context))
    client_saved.connect(after_client_save, sender=app)


def web_settings() -> tuple[SefazSettings | None, str | None]:
    """(settings, None) when consultations can run, else (None, why not) for the page."""
    try:
        settings = service.settings_for()
    except ValueError as exc:
        return None, _("Invalid Sefaz settings: %(error)s", error=exc)
    if not settings.is_configured:
        return None, _(
            "Sefaz consultation not configured: set the shop's digital certificate "
            "(SEFAZ_PFX_PATH or SEFAZ_CERT_PATH and SEFAZ_KEY_PATH)."
        )
    return settings, None


@dataclass(frozen=True)
class SefazPanel:
    """What the client page shows of Sefaz: whether it works, the UF to ask, the verdict."""

    configured: bool
    problem: str | None
    default_uf: str | None
    latest: Row | None  # the newest consultation's badge columns
    ufs: tuple[str, ...] = tuple(UF_CHOICES)


def sefaz_panel(client: Client | None) -> SefazPanel:
    """Template helper (one query per page, cached for the request)."""
    key = client.id if client is not None else None
    cache = g.setdefault("clientela_sefaz_panels", {})
    if key not in cache:
        settings, problem = web_settings()
        latest = queries.latest_verdict(client.id) if client is not None else None
        cache[key] = SefazPanel(
            configured=settings is not None,
            problem=problem,
            default_uf=(service.client_uf(client) if client is not None else None)
            or (latest.uf if latest is not None else None),
            latest=latest,
        )
    return cache[key]


def _tab_context(client: Client) -> dict:
    return {"panel": sefaz_panel(client), "consultations": queries.history_of(client.id)}


def _problem(message: str):
    return render_template(RESULT, problem=message)


def consult():
    """POST (htmx) with the client form's fields: consult and show what can be pre-filled."""
    client = None
    client_id = request.args.get("client_id", type=int)
    if client_id is not None:
        client = db.session.get(Client, client_id) or abort(404)
    try:
        document = normalize_document(request.form.get("document"))
    except DomainError as exc:
        return _problem(_("Fix the CPF/CNPJ before consulting: %(problem)s", problem=exc.message))
    if not document:
        return _problem(_("Type the CPF/CNPJ to consult Sefaz."))
    uf = request.form.get("sefaz_uf") or (service.client_uf(client) if client else None)
    if not uf:
        return _problem(
            _("Choose the UF of the consultation (that of the client's default address).")
        )
    settings, problem = web_settings()
    if settings is None:
        return _problem(problem)
    owner = client.id if client is not None and client.document == document else None
    try:
        consultation = service.consult(settings, document, uf, client_id=owner, actor=current_staff)
    except SefazError as exc:
        db.session.rollback()
        return _problem(exc.reason)
    db.session.commit()
    return render_template(
        RESULT, consultation=consultation, typed=request.form, client=client, problem=None
    )


def after_client_save(_app: Flask, *, client: Client, source: str, **_extra) -> None:
    """`client_saved` receiver: after a back-office save (its form carries the Sefaz
    choices), adopt/apply/consult in its own commit. Never raises; API saves are left alone."""
    if source != "admin":
        return
    settings, _problem_text = web_settings()
    try:
        outcome = service.after_save(
            client,
            actor=current_staff,
            settings=settings,
            consultation_id=request.form.get("sefaz_consultation", type=int),
            apply=[f for f in request.form.getlist("sefaz_apply") if f in service.SERVER_FIELDS],
            uf=request.form.get("sefaz_uf") or None,
            consult_now=bool(setting("SEFAZ_CONSULT_ON_SAVE")),
        )
        db.session.commit()
    except Exception:
        # The client is already saved; whatever failed here must not turn into a 500.
        db.session.rollback()
        logger.exception("Sefaz: etapa após gravar o cliente %s falhou", client.id)
        flash(_("Client saved, but the Sefaz consultation could not be recorded."), "warning")
        return
    if outcome.applied:
        fields = ", ".join(str(label) for label in outcome.applied)
        flash(_("Sefaz data saved in the client: %(fields)s.", fields=fields), "success")
    for message in outcome.problems:
        flash(message, "warning")
    consultation = outcome.consultation
    if consultation is not None and not consultation.is_answer:
        if setting("SEFAZ_CONSULT_ON_SAVE"):
            message = _(
                "Sefaz status: not verified. %(reason)s The client was saved; the consultation "
                "is retried by the “flask clientela sefaz recheck” command or when the client "
                "is saved again.",
                reason=consultation.reason or "",
            )
        else:
            message = _(
                "Sefaz status: not verified. %(reason)s The client was saved; the consultation "
                "is retried by the “flask clientela sefaz recheck” command or with the "
                "“Consult Sefaz” button on this page.",
                reason=consultation.reason or "",
            )
        flash(message, "warning")
