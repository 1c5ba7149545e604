"""Issue 14 (18): re-rendering popup forms with htmx breaks no Content-Security-Policy rule
(no style attribute, no inline script), and every page has a favicon (no 404 per page)."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import open_tab

pytestmark = pytest.mark.e2e

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.sample || "") + " " + e.sourceFile);
});
"""


# What a password manager or the browser's autofill does to the inputs it fills: a style set
# through the CSSOM (allowed by the CSP). htmx must not copy it with setAttribute("style")
# when it settles the re-rendered form (that is what the CSP refuses, once per input).
DECORATE = """
document.querySelectorAll("#clientela-modal-content input, #clientela-modal-content select")
  .forEach(function (el) { el.style.backgroundColor = "rgb(232, 240, 254)"; });
"""


def _login(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()


def test_invalid_popup_forms_render_without_csp_violations(page: Page, live_server, make_client):
    client = make_client(name="Dona Política")
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status == 404 else None)
    page.add_init_script(WATCH)
    _login(page, live_server)
    page.goto(f"{live_server}/admin/clientes/{client.id}")

    open_tab(page, "Endereços")
    page.get_by_role("button", name="Adicionar endereço").click()
    modal = page.locator("#clientela-modal")
    expect(modal.get_by_role("heading", name="Adicionar endereço")).to_be_visible()
    page.evaluate(DECORATE)
    modal.get_by_role("button", name="Gravar endereço").click()  # nothing typed: invalid
    expect(modal.locator(".invalid-feedback").first).to_be_visible()
    page.evaluate(DECORATE)
    modal.get_by_role("button", name="Gravar endereço").click()  # and once more
    expect(modal.locator(".invalid-feedback").first).to_be_visible()
    modal.get_by_role("button", name="Fechar").click()
    expect(modal).to_be_hidden()

    open_tab(page, "Contatos")
    page.get_by_role("button", name="Adicionar contato").click()
    expect(modal.get_by_role("heading", name="Adicionar contato")).to_be_visible()
    page.evaluate(DECORATE)
    modal.get_by_role("button", name="Gravar contato").click()
    expect(modal.locator(".invalid-feedback").first).to_be_visible()

    page.wait_for_timeout(300)
    violations = page.evaluate("window.__csp")
    assert violations == []
    assert [p for p in problems if "Content Security Policy" in p] == []
    assert failed == []
    assert [p for p in problems if "404" in p] == []  # the browser's own favicon request


def test_the_layout_links_a_favicon(page: Page, live_server, staff):
    page.goto(f"{live_server}/admin/login")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href and href.endswith(".svg")
    response = page.request.get(f"{live_server}{href}")
    assert response.status == 200 and "svg" in response.headers["content-type"]
