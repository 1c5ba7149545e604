"""Sefaz on the client page: the "Consultar Sefaz" button (htmx) and the step after a save.

The consultation never blocks the client: the button only shows the answer and what can be
pre-filled; saving the client commits it first, and `after_client_save` then adopts that
answer, stores the chosen pre-fill and (SEFAZ_CONSULT_ON_SAVE) consults, in its own commit.
"""

import logging

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from portal import db
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.clients import rules as client_rules
from portal.clients.models import Client
from portal.errors import DomainError
from portal.sefaz import service
from portal.sefaz.app import web_settings
from portal.sefaz.errors import SefazError

logger = logging.getLogger(__name__)

RESULT = "clientela/admin/sefaz/_result.html"


def _problem(message: str):
    return render_template(RESULT, problem=message)


def consult():
    """POST (htmx) with the client form's fields: consult and show what can be pre-filled."""
    client = None
    client_id = request.args.get("client_id", type=int)
    if client_id is not None:
        client = db.session.get(Client, client_id) or abort(404)
    try:
        document = client_rules.normalize_document(request.form.get("document"))
    except DomainError as exc:
        return _problem(f"Corrija o CPF/CNPJ antes de consultar: {exc.message}")
    if not document:
        return _problem("Digite o CPF/CNPJ para consultar a Sefaz.")
    uf = request.form.get("sefaz_uf") or (service.client_uf(client) if client else None)
    if not uf:
        return _problem("Escolha a UF da consulta (a do endereço padrão do cliente).")
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


def after_client_save(client: Client) -> None:
    """Called by the client views right after the client's commit; never raises."""
    settings, _problem_text = web_settings()
    try:
        outcome = service.after_save(
            client,
            actor=current_staff,
            settings=settings,
            consultation_id=request.form.get("sefaz_consultation", type=int),
            apply=[f for f in request.form.getlist("sefaz_apply") if f in service.SERVER_FIELDS],
            uf=request.form.get("sefaz_uf") or None,
            consult_now=bool(current_app.config.get("SEFAZ_CONSULT_ON_SAVE")),
        )
        db.session.commit()
    except Exception:
        # The client is already saved; whatever failed here must not turn into a 500.
        db.session.rollback()
        logger.exception("Sefaz: etapa após gravar o cliente %s falhou", client.id)
        flash("Cliente gravado, mas a consulta à Sefaz não pôde ser registrada.", "warning")
        return
    if outcome.applied:
        flash("Dados da Sefaz gravados no cliente: " + ", ".join(outcome.applied) + ".", "success")
    for message in outcome.problems:
        flash(message, "warning")
    consultation = outcome.consultation
    if consultation is not None and not consultation.is_answer:
        if current_app.config.get("SEFAZ_CONSULT_ON_SAVE"):
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
