"""The editable named lists (Situações, Tipos/Situações do Pedido, the lookups) share one
view and one template set: what each says and refuses, as staff see it."""

import pytest

from portal import db
from portal.lookups.models import PaymentTerm
from portal.orders.models import OrderType
from tests.conftest import field_errors


@pytest.mark.parametrize(
    ("url", "heading", "button"),
    [
        ("/admin/situacoes", "Nova Situação", "Gravar Situação"),
        ("/admin/pedidos/listas/tipos", "Novo Tipo de Pedido", "Gravar Tipo de Pedido"),
        ("/admin/pedidos/listas/situacoes", "Nova Situação do Pedido", "Gravar Situação do Pedido"),
        ("/admin/listas/vendedores", "Novo Vendedor", "Gravar Vendedor"),
        ("/admin/listas/formas-pagamento", "Nova Forma de Pagamento", "Gravar Forma de Pagamento"),
        ("/admin/listas/perfis", "Novo Perfil de Cliente", "Gravar Perfil de Cliente"),
    ],
)
def test_each_list_names_its_entries_with_the_right_gender(admin_http, url, heading, button):
    html = admin_http.get(url).text
    assert f">{heading}</h" in html
    assert button in html
    assert "(a)" not in html


def test_a_duplicate_name_is_refused_in_the_nouns_gender(admin_http):
    seller = admin_http.post("/admin/listas/vendedores", data={"lookup-name": "Rita"})
    assert seller.status_code == 200
    again = admin_http.post("/admin/listas/vendedores", data={"lookup-name": " rita "})
    assert "Já existe um Vendedor com este nome." in field_errors(again.text)
    admin_http.post("/admin/listas/formas-pagamento", data={"lookup-name": "Pix"})
    method = admin_http.post("/admin/listas/formas-pagamento", data={"lookup-name": "PIX"})
    assert "Já existe uma Forma de Pagamento com este nome." in field_errors(method.text)


def test_a_lookup_entry_is_edited_in_its_popup_and_a_stale_edit_keeps_the_typed_values(
    admin_http, app
):
    created = admin_http.post(
        "/admin/listas/prazos-pagamento",
        data={"lookup-name": "3x", "lookup-extra": "30; 60;90", "lookup-is_active": "y"},
    )
    assert "Prazo de Pagamento “3x” gravado e selecionado no cliente." in created.text
    with app.app_context():
        term = db.session.query(PaymentTerm).one()
        term_id, version, days = term.id, term.version, term.days
    assert days == "30,60,90"

    url = f"/admin/listas/prazos-pagamento/{term_id}"
    form = admin_http.get(url).text
    assert 'value="3x"' in form and "Editar Prazo de Pagamento" in form
    bad = admin_http.post(url, data={"lookup-name": "3x", "lookup-extra": "30,999"})
    assert bad.status_code == 422
    assert any(
        e.startswith("Dias das parcelas: números inteiros de 1 a 720")
        for e in field_errors(bad.text)
    )
    edited = admin_http.post(
        url,
        data={"lookup-name": "Três vezes", "lookup-extra": "30,60,90", "lookup-version": version},
    )
    assert edited.status_code == 200
    assert "Prazo de Pagamento “Três vezes” gravado." in edited.text  # inactive: not selected
    assert '"active": false' in edited.headers["HX-Trigger"]
    stale = admin_http.post(
        url, data={"lookup-name": "Tri", "lookup-is_active": "y", "lookup-version": version}
    )
    assert stale.status_code == 422
    assert any("alterado por outra pessoa" in e for e in field_errors(stale.text))
    assert 'value="Tri"' in stale.text
    assert admin_http.get("/admin/listas/prazos-pagamento/999").status_code == 404


@pytest.fixture
def order_lists(app):
    from portal.orders.seeds import ensure_defaults

    with app.app_context():
        ensure_defaults()
        db.session.commit()


@pytest.mark.usefixtures("order_lists")
def test_the_last_active_order_type_stays_active(admin_http, app):
    with app.app_context():
        types = db.session.query(OrderType).order_by(OrderType.position).all()
        rows = [(t.id, t.name, t.position, t.version) for t in types]
    for type_id, name, position, version in rows[1:]:
        response = admin_http.post(
            f"/admin/pedidos/listas/tipos/{type_id}",
            data={"entry-name": name, "entry-position": position, "entry-version": version},
        )
        assert response.status_code == 302
    type_id, name, position, version = rows[0]
    refused = admin_http.post(
        f"/admin/pedidos/listas/tipos/{type_id}",
        data={"entry-name": name, "entry-position": position, "entry-version": version},
    )
    assert refused.status_code == 422
    assert "Mantenha pelo menos um Tipo de Pedido ativo." in field_errors(refused.text)
    with app.app_context():
        assert db.session.get(OrderType, type_id).is_active


def test_unknown_lists_and_entries_are_404(admin_http):
    for url in (
        "/admin/pedidos/listas/nao-existe",
        "/admin/pedidos/listas/tipos/999",
        "/admin/situacoes/999",
        "/admin/listas/vendedores/999",
    ):
        assert admin_http.get(url).status_code == 404
    assert admin_http.post("/admin/situacoes/999/excluir").status_code == 404


def test_a_status_is_deleted_and_the_page_says_so(admin_http, app):
    from portal.clients.models import ClientStatus

    with app.app_context():
        review = db.session.query(ClientStatus).filter_by(name="Em análise").one().id
    page = admin_http.post(f"/admin/situacoes/{review}/excluir", follow_redirects=True).text
    assert "Situação “Em análise” excluída." in page
    assert 'data-entry="Em análise"' not in page
    with app.app_context():
        default = db.session.query(ClientStatus).filter_by(is_default=True).one().id
    refused = admin_http.post(f"/admin/situacoes/{default}/excluir", follow_redirects=True).text
    assert "A Situação padrão não pode ser excluída: marque outra como padrão." in refused


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
@pytest.mark.usefixtures("order_lists")
def test_in_english_the_lists_speak_english(admin_http):
    html = admin_http.get("/admin/pedidos/listas/situacoes").text
    assert "New Order status" in html and "Counts as a purchase" in html
    duplicate = admin_http.post(
        "/admin/pedidos/listas/situacoes",
        data={"entry-name": "pago", "entry-position": "x", "entry-is_active": "y"},
    )
    errors = field_errors(duplicate.text)
    assert "Another Order status already has this name." in errors
    assert "Position: use a whole number from -10000 to 10000." in errors
