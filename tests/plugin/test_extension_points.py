"""Extension points: tabs, menu entries and signals, registered per app."""

import re

import pytest
from flask import Blueprint

from portal import create_app, extension_points
from portal.extension_points import ClientTab, MenuEntry, OrderTab, client_saved
from tests.admin.test_client_pages import _client_id, _new_client_form


def _nav(page: str) -> str:
    return page.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>\n", 1)[0]


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


CLIENT_TABS = ["pedidos", "sefaz", "pagamento", "visitas"]  # built in, in this order


def test_the_top_menu_is_the_registry_in_order(admin_http):
    nav = _nav(admin_http.get("/admin/clientes").text)
    top, dropdown = nav.split('class="dropdown-menu"', 1)
    assert _links(top) == ["/admin/clientes", "/admin/pedidos"]
    assert _links(dropdown) == [
        "/admin/situacoes",
        "/admin/pedidos/listas/tipos",
        "/admin/pedidos/listas/situacoes",
        "/admin/contas-de-cobranca",
        "/admin/tarefas",
        "/admin/chaves-de-api",
    ]


def test_a_layer_adds_a_menu_entry_and_a_dropdown_item(app, admin_http):
    settings = extension_points.registry(app).menu_entries[-1].section
    extension_points.add_menu_entry(
        app, MenuEntry("Cobrança", "clientela_admin.orders_list", order=30, args={"page": 2})
    )
    extension_points.add_menu_entry(
        app, MenuEntry("Boletos", "clientela_admin.api_keys", order=150, section=settings)
    )
    nav = _nav(admin_http.get("/admin/clientes").text)
    top, dropdown = nav.split('class="dropdown-menu"', 1)
    assert "Cobrança" in top and _links(top)[-1] == "/admin/pedidos?page=2"
    assert "Boletos" in dropdown
    assert _links(dropdown).index("/admin/chaves-de-api") == 3  # after Situações do Pedido


def test_registries_are_per_app(app, migrated):
    other = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": migrated})
    tab = OrderTab("boletos", "Boletos", "x.html", lambda order: {})
    extension_points.add_order_tab(app, tab)
    with app.app_context():
        assert [t.key for t in extension_points.order_tabs()] == ["pagamento", "visita", "boletos"]
        assert extension_points.order_tabs()[-1] is tab
        assert [t.key for t in extension_points.client_tabs()] == [
            "pedidos",
            "sefaz",
            "pagamento",
            "visitas",
        ]
    with other.app_context():
        assert [t.key for t in extension_points.order_tabs()] == ["pagamento", "visita"]
        assert [t.key for t in extension_points.client_tabs()] == [
            "pedidos",
            "sefaz",
            "pagamento",
            "visitas",
        ]
    other.extensions["clientela"].engine.dispose()


def test_a_tab_key_is_registered_once(app):
    with pytest.raises(ValueError, match="pedidos"):
        extension_points.add_client_tab(app, ClientTab("pedidos", "Outra", "x.html", dict))


def test_a_registered_client_tab_shows_on_the_client_page(app, staff, tmp_path):
    (tmp_path / "notas").mkdir()
    (tmp_path / "notas" / "_tab.html").write_text("<p>{{ ctx.n }} notas de {{ ctx.name }}</p>")
    app.register_blueprint(Blueprint("notas", __name__, template_folder=str(tmp_path)))
    extension_points.add_client_tab(
        app,
        ClientTab("notas", "Notas", "notas/_tab.html", lambda c: {"n": 2, "name": c.name}),
    )
    http = app.test_client()
    http.post("/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"})
    client_id = _client_id(http.post("/admin/clientes/novo", data=_new_client_form()))
    page = http.get(f"/admin/clientes/{client_id}").text
    assert 'data-bs-target="#tab-notas"' in page and ">Notas</button>" in page
    assert "<p>2 notas de Empresa Exemplo Ltda</p>" in page


def test_client_saved_is_sent_after_each_back_office_save(app, admin_http, staff):
    seen = []

    def receiver(sender, **kwargs):
        from portal import db
        from portal.clients.models import Client

        # Sent after the commit: a fresh session reads what was saved.
        saved = db.session.get(Client, kwargs["client"].id)
        seen.append((sender, kwargs["created"], kwargs["source"], kwargs["actor"].id, saved.name))

    client_saved.connect(receiver, sender=app)
    try:
        response = admin_http.post("/admin/clientes/novo", data=_new_client_form())
        client_id = _client_id(response)
        page = admin_http.get(f"/admin/clientes/{client_id}").text
        version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
        admin_http.post(
            f"/admin/clientes/{client_id}",
            data=_new_client_form(name="Empresa Renomeada Ltda", version=version),
        )
    finally:
        client_saved.disconnect(receiver, sender=app)
    assert seen == [
        (app, True, "admin", staff.id, "Empresa Exemplo Ltda"),
        (app, False, "admin", staff.id, "Empresa Renomeada Ltda"),
    ]


def test_a_refused_save_sends_nothing(app, admin_http):
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    client_saved.connect(receiver, sender=app)
    try:
        response = admin_http.post("/admin/clientes/novo", data=_new_client_form(document="1"))
    finally:
        client_saved.disconnect(receiver, sender=app)
    assert response.status_code == 422 and seen == []


def test_a_receiver_of_another_app_is_not_called(app, admin_http, migrated):
    other = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": migrated})
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    client_saved.connect(receiver, sender=other)
    try:
        admin_http.post("/admin/clientes/novo", data=_new_client_form())
    finally:
        client_saved.disconnect(receiver, sender=other)
        other.extensions["clientela"].engine.dispose()
    assert seen == []
