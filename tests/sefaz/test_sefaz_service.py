"""Recording consultations: cache reuse, the 656 backoff, and the verdict shown per client."""

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from portal import db
from portal.db import utcnow
from portal.sefaz import SefazNotConfigured, SefazSettings, queries, service
from portal.sefaz.models import SefazConsultation

from .scenarios import DOCUMENTS


def _age(row: SefazConsultation, seconds: int) -> None:
    """Pretend the row was recorded `seconds` ago."""
    db.session.execute(
        update(SefazConsultation)
        .where(SefazConsultation.id == row.id)
        .values(at=utcnow() - timedelta(seconds=seconds))
    )
    db.session.expire_all()


def test_a_recent_answer_is_reused_without_asking_sefaz_again(
    ctx, sefaz_settings, sefaz_server, make_client
):
    document = DOCUMENTS["amostra_111"]
    first = service.consult(sefaz_settings, document, "SP")
    assert service.consult(sefaz_settings, document, "SP") is first
    assert len(sefaz_server.requests) == 1

    # Another client with that document gets its own copy of the answer, still no request.
    client = make_client(name="Comercial Exemplo", kind="PJ", document=document)
    copy = service.consult(sefaz_settings, document, "SP", client_id=client.id)
    assert (copy.id != first.id, copy.is_cached, copy.verdict, copy.client_id) == (
        True,
        True,
        "habilitado",
        client.id,
    )
    assert "reaproveitada" in copy.reason
    assert len(sefaz_server.requests) == 1

    # Past SEFAZ_CACHE_SECONDS (and copies never count as a source), Sefaz is asked again.
    _age(first, sefaz_settings.cache_seconds + 1)
    _age(copy, sefaz_settings.cache_seconds + 1)
    fresh = service.consult(sefaz_settings, document, "SP")
    assert fresh.id not in (first.id, copy.id) and not fresh.is_cached
    assert len(sefaz_server.requests) == 2


def test_cache_is_per_uf_and_failures_are_never_reused(ctx, sefaz_settings, sefaz_server):
    service.consult(sefaz_settings, DOCUMENTS["amostra_111"], "SP")
    service.consult(sefaz_settings, DOCUMENTS["amostra_111"], "RJ")
    service.consult(sefaz_settings, DOCUMENTS["fault"], "SP")
    service.consult(sefaz_settings, DOCUMENTS["fault"], "SP")
    assert len(sefaz_server.requests) == 4


def test_cache_can_be_turned_off(ctx, sefaz_settings, sefaz_server):
    settings = dataclasses.replace(sefaz_settings, cache_seconds=0)
    service.consult(settings, DOCUMENTS["amostra_111"], "SP")
    service.consult(settings, DOCUMENTS["amostra_111"], "SP")
    assert len(sefaz_server.requests) == 2


def test_after_656_the_uf_is_left_alone_until_the_backoff_ends(ctx, sefaz_settings, sefaz_server):
    blocked = service.consult(sefaz_settings, DOCUMENTS["consumo_indevido"], "SP")
    assert (blocked.verdict, blocked.c_stat) == ("nao_verificado", 656)
    assert "Consumo Indevido" in blocked.x_motivo

    waiting = service.consult(sefaz_settings, DOCUMENTS["amostra_111"], "SP")
    assert (waiting.verdict, waiting.c_stat, waiting.error_code) == (
        "nao_verificado",
        None,
        "aguardando_656",
    )
    assert "suspensas até" in waiting.reason and "nada foi enviado" in waiting.reason
    assert len(sefaz_server.requests) == 1

    assert service.consult(sefaz_settings, DOCUMENTS["amostra_111"], "RJ").is_answer
    _age(blocked, sefaz_settings.backoff_seconds_after_656 + 1)
    assert service.consult(sefaz_settings, DOCUMENTS["amostra_111"], "SP").is_answer
    assert len(sefaz_server.requests) == 3


def test_without_a_certificate_nothing_is_asked_nor_recorded(ctx, sefaz_server):
    settings = SefazSettings(url_override=sefaz_server.url)
    with pytest.raises(SefazNotConfigured, match="não configurada"):
        service.consult(settings, DOCUMENTS["amostra_111"], "SP")
    assert db.session.query(SefazConsultation).count() == 0
    assert sefaz_server.requests == []


def test_latest_verdicts_for_a_page_of_clients_in_one_query(ctx, app, sefaz_settings, make_client):
    enabled = make_client(name="Habilitada", kind="PJ", document=DOCUMENTS["amostra_111"])
    failed_later = make_client(name="Falhou depois", kind="PJ", document=DOCUMENTS["varios"])
    moved = make_client(name="Trocou o CNPJ", kind="PJ", document=DOCUMENTS["nao_habilitado"])
    never = make_client(name="Nunca consultada")
    service.consult_for_client(sefaz_settings, enabled, uf="SP")
    service.consult_for_client(sefaz_settings, failed_later, uf="SP")
    service.consult(sefaz_settings, DOCUMENTS["varios"], "SP", client_id=failed_later.id)  # cached
    failed = service.consult(
        dataclasses.replace(sefaz_settings, cache_seconds=0, timeout=0.2),
        DOCUMENTS["lento"],
        "SP",
        client_id=failed_later.id,
    )
    db.session.execute(
        update(SefazConsultation)
        .where(SefazConsultation.id == failed.id)
        .values(document=DOCUMENTS["varios"])
    )
    service.consult_for_client(sefaz_settings, moved, uf="SP")
    moved.document = DOCUMENTS["nao_cadastrado"]  # corrected: the old answer no longer applies
    db.session.commit()

    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    engine = app.extensions["clientela"].engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        verdicts = queries.latest_verdicts([enabled.id, failed_later.id, moved.id, never.id])
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) == 1
    assert {key: row.verdict for key, row in verdicts.items()} == {
        enabled.id: "habilitado",
        failed_later.id: "nao_verificado",
    }
    assert queries.latest_verdicts([]) == {}


def test_pending_recheck_lists_clients_whose_last_word_is_not_verified(
    ctx, sefaz_settings, make_client
):
    fine = make_client(name="Ok", kind="PJ", document=DOCUMENTS["amostra_111"])
    broken = make_client(name="Falha", kind="PJ", document=DOCUMENTS["fault"])
    recovered = make_client(name="Recuperada", kind="PJ", document=DOCUMENTS["http_503"])
    for client in (fine, broken, recovered):
        service.consult_for_client(sefaz_settings, client, uf="SP")
    recovered_answer = service.consult(sefaz_settings, DOCUMENTS["amostra_259"], "SP")
    recovered_answer.client_id, recovered_answer.document = recovered.id, recovered.document
    db.session.commit()

    pending = queries.pending_recheck()
    assert [(client.name, row.uf) for client, row in pending] == [("Falha", "SP")]


def test_the_list_badge_renders_from_latest_verdicts_without_more_queries(
    ctx, app, sefaz_settings, make_client
):
    from flask import render_template_string

    client = make_client(name="Sem IE", kind="PJ", document=DOCUMENTS["amostra_259"])
    service.consult_for_client(sefaz_settings, client, uf="SP")
    db.session.commit()
    verdicts = queries.latest_verdicts([client.id])
    template = (
        '{% from "clientela/admin/sefaz/_badge.html" import sefaz_badge %}'
        "[{{ sefaz_badge(verdicts.get(client_id), with_uf=False) }}]"
        "[{{ sefaz_badge(verdicts.get(0)) }}]"
    )
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    engine = app.extensions["clientela"].engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context():
            html = render_template_string(template, verdicts=verdicts, client_id=client.id)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert statements == []
    assert "Sefaz: Não cadastrado na UF</span>]" in html and html.endswith("[]")
    assert "259 – Rejeição: CNPJ da consulta não cadastrado" in html  # the tooltip
