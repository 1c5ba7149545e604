"""What staff see: the client's Visitas tab (keyset pages, chart), the list's sort and filter;
and what a client never sees."""

import html
import re
from datetime import UTC, datetime, timedelta

from portal.visits.sink import write_records

FIREFOX = "Mozilla/5.0 Firefox/130.0"
NOW = datetime.now(UTC).replace(microsecond=0)


def _visit_records(client_id: int, count: int, visitor: str = "c" * 32) -> list[dict]:
    """`count` visits a day apart (two pages each), the newest yesterday."""
    records = []
    for n in range(count):
        start = NOW - timedelta(days=count - n)
        for minute, path in ((0, f"/produto/{n}"), (3, f"/carrinho/{n}")):
            at = (start + timedelta(minutes=minute)).isoformat()
            records.append({"v": visitor, "c": client_id, "p": path, "ua": FIREFOX, "at": at})
    return records


def test_visitas_tab_pages_newest_first_with_pages_and_chart(app, admin_http, make_client):
    client = make_client(name="Cliente Visitante")
    write_records(app, _visit_records(client.id, 25))
    page = admin_http.get(f"/admin/clientes/{client.id}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'data-bs-target="#tab-visitas"' in text
    tab = text[text.index('id="tab-visitas"') :]
    shown = re.findall(
        r'<details class="border rounded px-2 py-1 mb-2 visit" id="visit-(\d+)"', tab
    )
    assert len(shown) == 20
    assert tab.index("/produto/24") < tab.index("/produto/23")  # newest first
    assert "2 páginas" in tab and "3 minutos" in tab and "Computador (Firefox 130" in tab
    # the chart: one bar per week over 26 weeks, the visits all counted
    chart = tab[tab.index("<svg") : tab.index("</svg>")]
    assert chart.count("<rect") == 26
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', chart)) == 25
    more = re.search(r'hx-get="([^"]+/visitas\?apos=[^"]+)"', tab).group(1)
    rest = html.unescape(admin_http.get(more).text)
    assert len(re.findall(r'id="visit-\d+"', rest)) == 5
    assert "/produto/0" in rest and "/produto/24" not in rest
    assert "apos=" not in rest  # the last page


def test_visits_route_is_staff_only(app, http, signed_in, make_client):
    browser, client = signed_in()
    assert browser.get(f"/admin/clientes/{client.id}/visitas").status_code == 302
    assert http.get(f"/admin/clientes/{client.id}/visitas").status_code == 302


def test_a_client_never_sees_visits(app, signed_in, make_order, flush):
    browser, client = signed_in()
    browser.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 Firefox/130.0"
    order_id = make_order(client.id)
    browser.get("/conta/esqueci-minha-senha?utm_campaign=segredo-da-loja")
    flush()
    for path in ("/conta/pedidos", f"/conta/pedidos/{order_id}", "/conta/meus-dados",
                 "/conta/meus-dados/exportar.json"):  # fmt: skip
        response = browser.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert "segredo-da-loja" not in body and "esqueci-minha-senha" not in body, path
        assert "Visita" not in body and "visit" not in body.lower(), path


def test_list_sorts_by_last_visit_and_filters_recent_visitors(app, admin_http, make_client):
    old = make_client(name="Antiga Visitante")
    recent = make_client(name="Recente Visitante")
    never = make_client(name="Nunca Visitou")
    write_records(app, _visit_records(old.id, 1, "d" * 32)[:1])
    write_records(
        app,
        [{"v": "e" * 32, "c": recent.id, "p": "/", "ua": "x", "at": NOW.isoformat()},
         {"v": "d" * 32, "c": old.id, "p": "/", "ua": "x",
          "at": (NOW - timedelta(days=40)).isoformat()}],
    )  # fmt: skip
    listed = html.unescape(admin_http.get("/admin/clientes?ordem=last_visit").text)
    assert listed.index("Recente Visitante") < listed.index("Antiga Visitante")
    assert listed.index("Antiga Visitante") < listed.index("Nunca Visitou")
    filtered = html.unescape(admin_http.get("/admin/clientes?visitou=7").text)
    assert "Recente Visitante" in filtered and "Antiga Visitante" in filtered
    assert "Nunca Visitou" not in filtered
    bad = html.unescape(admin_http.get("/admin/clientes?visitou=0").text)
    assert "Informe um número de dias de 1 a 3650." in bad
    assert never.id


def test_last_visit_sort_pages_with_keyset_cursors(app, admin_http, make_client):
    app.config["CLIENTELA_PAGE_SIZE"] = 2
    clients = [make_client(name=f"Pessoa {n}") for n in range(5)]
    write_records(
        app,
        [{"v": f"{n:032x}", "c": c.id, "p": "/", "ua": "x",
          "at": (NOW - timedelta(hours=n)).isoformat()} for n, c in enumerate(clients[:3])],
    )  # fmt: skip
    seen, url = [], "/admin/clientes?ordem=last_visit"
    while url:
        text = html.unescape(admin_http.get(url).text)
        seen += re.findall(r">(Pessoa \d)</a>", text)
        found = re.search(r'href="([^"]*apos=[^"]*)"', text)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == ["Pessoa 0", "Pessoa 1", "Pessoa 2", "Pessoa 4", "Pessoa 3"]
