"""The list page over HTTP: counters, filters in the URL, bulk confirmation and result."""

import re

import pytest

from portal import db
from portal.clients import service


def _counters(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-counter="(\w+)".*?counter-value">([^<]*)<', html, re.S))


@pytest.fixture
def listed(app, make_client):
    make_client(name="Lead Um", email="l1@example.com", password="segredo-123")
    make_client(name="Contato Dois")
    buyer = make_client(name="Comprador Três", email="c3@example.com", password="segredo-123")
    with app.app_context():
        from datetime import UTC, datetime

        service.record_purchase(buyer.id, datetime.now(UTC))
        db.session.commit()


def test_counters_and_group_filter(admin_http, listed):
    page = admin_http.get("/admin/clientes").text
    assert _counters(page) == {"active": "1", "lead": "1", "contact": "1", "inactive": "0"}
    leads = admin_http.get("/admin/clientes?grupo=lead").text
    assert "Lead Um" in leads and "Contato Dois" not in leads
    assert 'aria-pressed="true" data-counter="lead"' in leads


def test_filter_state_lives_in_the_url(admin_http, listed):
    page = admin_http.get("/admin/clientes?q=um&ordem=created").text
    assert 'value="um"' in page
    assert re.search(r'<option selected value="created">', page)
    # the counter links keep the search and the order
    assert "/admin/clientes?q=um&amp;ordem=created&amp;grupo=active" in page


def test_counters_and_menus_drawn_again_once_something_they_show_changes(
    app, admin_http, listed, make_client
):
    # the counters and the filter menus are rendered once and reused: never stale
    from sqlalchemy import select

    from portal.clients.models import ClientStatus

    assert _counters(admin_http.get("/admin/clientes").text)["lead"] == "1"
    make_client(name="Lead Novo", email="l2@example.com", password="segredo-123")
    page = admin_http.get("/admin/clientes").text
    assert _counters(page) == {"active": "1", "lead": "2", "contact": "1", "inactive": "0"}
    with app.app_context():
        status = db.session.scalar(select(ClientStatus).where(ClientStatus.name == "Inativo"))
        status.name = "Desligado"
        db.session.commit()
    page = admin_http.get("/admin/clientes").text
    menu = re.search(r'<select[^>]*name="situacao".*?</select>', page, re.S).group(0)
    assert ">Desligado</option>" in menu and "Inativo" not in menu
    # the search typed comes back in its box, on the last page too, and only there
    assert 'value="lead"' not in page
    assert 'value="lead"' in admin_http.get("/admin/clientes?q=lead&ultima=1").text
    assert 'value="lead"' not in admin_http.get("/admin/clientes?ultima=1").text


def test_a_row_drawn_again_once_what_it_shows_changes(app, admin_http, make_client):
    # a page's rows are rendered once per content and reused: never stale
    from sqlalchemy import select

    from portal.clients.models import Client, Tag

    ana = make_client(name="Ana Antiga", tags="atacado")
    first = admin_http.get("/admin/clientes").text
    assert "Ana Antiga" in first and ">atacado</span>" in first
    with app.app_context():
        db.session.get(Client, ana.id).name = "Ana Nova"
        db.session.commit()
    renamed = admin_http.get("/admin/clientes").text
    assert "Ana Nova" in renamed and "Ana Antiga" not in renamed
    with app.app_context():
        db.session.scalar(select(Tag).where(Tag.name == "atacado")).name = "varejo"
        db.session.commit()
    retagged = admin_http.get("/admin/clientes").text
    assert ">varejo</span>" in retagged and ">atacado</span>" not in retagged


def test_bad_date_filter_is_reported_not_a_crash(admin_http, listed):
    response = admin_http.get("/admin/clientes?desde=2026-99-99")
    assert response.status_code == 200
    assert "Data inválida: use o formato dd/mm/aaaa." in response.text


def test_bulk_asks_for_confirmation_then_reports(admin_http, listed):
    data = {"action": "status", "status_id": "2", "scope": "all", "filters": "grupo=lead"}
    confirm = admin_http.post("/admin/clientes/acoes", data=data)
    assert "Alterar a situação de <strong>1</strong> cliente(s) para <strong>Inativo</strong>?" in (
        confirm.text
    )
    done = admin_http.post("/admin/clientes/acoes", data={**data, "confirmed": "1"})
    assert done.headers["Location"] == "/admin/clientes?grupo=lead"
    page = admin_http.get("/admin/clientes").text
    assert "1 cliente(s) alterado(s) de 1 selecionado(s)." in page
    assert _counters(page) == {"active": "1", "lead": "0", "contact": "1", "inactive": "1"}


def test_export_csv_download(admin_http, listed):
    response = admin_http.post(
        "/admin/clientes/acoes",
        data={"action": "export_csv", "scope": "all", "filters": "", "confirmed": "1"},
    )
    assert response.headers["Content-Disposition"].startswith('attachment; filename="clientes-')
    assert "Comprador Três" in response.get_data(as_text=True)


def test_a_row_shows_the_first_phone_the_tags_in_order_and_the_status(admin_http, make_client):
    from portal.clients.phones import PhoneInput

    make_client(
        name="Ana Etiquetada",
        trade_name='Ana & Filhos "Ltda"',
        phones=[PhoneInput("(11) 98765-4321"), PhoneInput("(21) 3456-7890", kind="Fixo")],
        tags="vip, atacado, zebra",
    )
    make_client(name="Bruno Sem Nada")

    html = admin_http.get("/admin/clientes").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><input[^>]*name=\"ids\".*?</tr>", html, re.S)
    ana = next(row for row in rows if "Ana Etiquetada" in row)
    assert "(11) 98765-4321" in ana and "3456-7890" not in ana  # the first phone only
    badges = re.findall(r'<span class="badge text-bg-light border me-1">([^<]*)</span>', ana)
    assert badges == ["atacado", "vip", "zebra"]
    assert "Ana &amp; Filhos &#34;Ltda&#34;" in ana  # escaped
    assert ">Ativo</span>" in ana
    bruno = next(row for row in rows if "Bruno Sem Nada" in row)
    assert "badge text-bg-light" not in bruno


def test_supplier_and_conflict_icons_next_to_the_name_on_the_list_and_the_client_page(
    admin_http, make_client
):
    supplier = make_client(name="Fornecedora Ana", is_supplier=True)
    disputed = make_client(name="Bruno em Disputa", has_conflict=True)
    make_client(name="Carla Comum")

    html = admin_http.get("/admin/clientes").text
    rows = {
        name: row
        for row in re.findall(r"<tr>\s*<td><input[^>]*name=\"ids\".*?</tr>", html, re.S)
        for name in ("Fornecedora Ana", "Bruno em Disputa", "Carla Comum")
        if name in row
    }
    assert 'title="Fornecedor"' in rows["Fornecedora Ana"]
    assert 'title="Em conflito"' not in rows["Fornecedora Ana"]
    assert 'title="Em conflito"' in rows["Bruno em Disputa"]
    assert 'title="Fornecedor"' not in rows["Bruno em Disputa"]
    assert "bi-truck" not in rows["Carla Comum"] and "bi-exclamation" not in rows["Carla Comum"]
    title = re.search(
        r'<h1[^>]*id="client-title">.*?</h1>',
        admin_http.get(f"/admin/clientes/{supplier.id}").text,
        re.S,
    )
    assert 'title="Fornecedor"' in title.group(0)
    title = re.search(
        r'<h1[^>]*id="client-title">.*?</h1>',
        admin_http.get(f"/admin/clientes/{disputed.id}").text,
        re.S,
    )
    assert 'title="Em conflito"' in title.group(0) and "bi-truck" not in title.group(0)
