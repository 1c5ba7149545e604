"""Tapping a relationship counter refreshes the list with that group (phone-sized screen)."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.clients import service

pytestmark = pytest.mark.e2e


def test_counter_click_filters_the_list_on_a_phone(
    page: Page, live_server, staff, make_client, app
):
    make_client(name="Lívia Lead", email="livia@example.com", password="segredo-123")
    make_client(name="Caio Contato")
    buyer = make_client(name="Beatriz Compradora", email="bia@example.com", password="segredo-123")
    with app.app_context():
        service.record_purchase(buyer.id, datetime.now(UTC))
        db.session.commit()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    rows = page.locator("#clients-table tbody tr")
    expect(rows).to_have_count(3)

    page.locator('[data-counter="lead"]').click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lívia Lead")
    expect(page.locator('[data-counter="lead"]')).to_have_attribute("aria-pressed", "true")

    page.locator('[data-counter="active"]').click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Beatriz Compradora")
    assert "grupo=active" in page.url


def test_a_row_checkbox_is_named_after_its_client_for_screen_readers(
    page: Page, live_server, staff, make_client
):
    make_client(name="Lívia Lead", email="livia@example.com", password="segredo-123")
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()

    # The accessible name is composed by the browser from the two ids in aria-labelledby.
    box = page.get_by_role("checkbox", name="Selecionar Lívia Lead", exact=True)
    expect(box).to_have_count(1)
    box.check()
    expect(page.locator('#clients-table input[name="ids"]:checked')).to_have_count(1)
