"""The back office's unit of work: one commit per request, nothing stored when a view fails.

A small blueprint with the unit of work installed writes tags, as the admin views write
clients: what a person would notice is whether the row is there afterwards, and what the
answer was (never a 500 for a failed save).
"""

import json

import pytest
from flask import Blueprint
from sqlalchemy import select

from portal import db
from portal.admin import unit_of_work
from portal.clients import queries
from portal.clients.models import Tag
from portal.errors import DomainError


@pytest.fixture
def work(app):
    bp = Blueprint("uow_test", __name__, url_prefix="/uow")
    unit_of_work.install(bp)
    ran: list[str] = []

    def add_tag(name: str) -> None:
        db.session.add(Tag(name=name))
        db.session.flush()  # services flush; the view never commits
        unit_of_work.after_commit(lambda: ran.append(name))

    @bp.post("/add/<name>")
    def add(name):
        add_tag(name)
        return "ok"

    @bp.post("/reject/<name>")
    def reject(name):
        add_tag(name)
        unit_of_work.reject(DomainError("Não pode."))
        return "the form again", 200  # even a 200 answer is not committed once rejected

    @bp.post("/invalid/<name>")
    def invalid(name):
        add_tag(name)
        return "the form with errors", 422

    @bp.post("/crash/<name>")
    def crash(name):
        add_tag(name)
        raise RuntimeError("boom")

    @bp.post("/race/<name>")
    def race(name):
        # Two rows with one unique name that the view never flushed: the commit itself fails.
        with db.session.no_autoflush:
            db.session.add_all([Tag(name=name), Tag(name=name)])
        unit_of_work.after_commit(lambda: ran.append(name))
        return "ok"

    @bp.post("/saved/<int:client_id>")
    def saved(client_id):
        return unit_of_work.saved(
            "clientela/admin/clients/_contacts.html",
            target="#contacts",
            message="Contato gravado.",
            events={"clientela:other": {"id": 1}},
            client=queries.load_for_page(client_id),
        )

    app.register_blueprint(bp)
    http = app.test_client()
    http.ran = ran
    return http


def _tags(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def _flashes(http) -> list[tuple[str, str]]:
    with http.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_a_successful_answer_is_committed_then_the_after_commit_steps_run(app, work):
    assert work.post("/uow/add/vip").status_code == 200
    assert _tags(app) == ["vip"]
    assert work.ran == ["vip"]


@pytest.mark.parametrize("path", ["/uow/reject/vip", "/uow/invalid/vip"])
def test_a_rejected_or_failed_answer_stores_nothing(app, work, path):
    work.post(path)
    assert _tags(app) == []
    assert work.ran == []


def test_a_view_that_crashes_stores_nothing(app, work):
    with pytest.raises(RuntimeError):
        work.post("/uow/crash/vip")
    assert _tags(app) == []


def test_a_commit_that_fails_is_a_message_and_a_way_back_not_a_500(app, work):
    response = work.post("/uow/race/vip")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/uow/race/vip")
    assert [category for category, _message in _flashes(work)] == ["clientela-danger"]
    assert _tags(app) == [] and work.ran == []
    # An htmx popup reloads its page, where the message shows.
    response = work.post("/uow/race/vip", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert response.headers["HX-Refresh"] == "true"
    assert _tags(app) == []
    # The same request done right still works afterwards.
    assert work.post("/uow/add/vip").status_code == 200
    assert _tags(app) == ["vip"]


def test_the_saved_answer_swaps_the_list_and_says_so(work, make_client):
    client = make_client()
    response = work.post(f"/uow/saved/{client.id}")
    assert response.status_code == 200
    assert 'id="contacts"' in response.text
    assert response.headers["HX-Retarget"] == "#contacts"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert json.loads(response.headers["HX-Trigger"]) == {
        "clientela:other": {"id": 1},
        "clientela:saved": "Contato gravado.",
    }
