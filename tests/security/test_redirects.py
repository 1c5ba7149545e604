"""Where a sign-in sends the browser: only back-office pages, judged as the browser reads them."""

from urllib.parse import quote

import pytest

CREDENTIALS = {"email": "equipe@loja.example", "password": "senha-forte-123"}

# Each one, sent as `next`, would leave the site (or crash) if taken as typed. Browsers drop
# tabs and line breaks anywhere in a URL and read "\" as "/" (WHATWG URL parser).
HOSTILE = [
    "/\t/evil.example",  # the field test: Location "//evil.example" once the tab goes
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/admin/\\..\\..\\/evil.example",
    "https://evil.example/admin/clientes",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/admin/clientes\r\nSet-Cookie: sessao=roubada",  # a 500 after a good sign-in, before
    "/admin/clientes\x00",
    "/admin/\u2028/evil",
    "/admin/\u202e/evil",
    "/admin/../../evil.example",
    "/admin/%2e%2e/%2e%2e/evil.example",
    "/outra-loja/pagina",  # this site, but not the back office
    "evil.example",
    " //evil.example",
]


def _sign_in(http, next_value: str):
    return http.post(f"/admin/login?next={quote(next_value, safe='')}", data=CREDENTIALS)


@pytest.mark.parametrize("target", HOSTILE)
def test_next_never_leaves_the_back_office(http, staff, target):
    response = _sign_in(http, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/clientes"
    # ... and the sign-in itself worked.
    assert http.get("/admin/clientes").status_code == 200


@pytest.mark.parametrize(
    "target,sent",
    [
        ("/admin/pedidos", "/admin/pedidos"),
        ("/admin/clientes?q=maria+silva&grupo=a", "/admin/clientes?q=maria+silva&grupo=a"),
        ("/admin/clientes?q=joão", "/admin/clientes?q=jo%C3%A3o"),
        ("/admin/clientes?next=//evil.example", "/admin/clientes?next=//evil.example"),
    ],
)
def test_next_to_a_back_office_page_is_followed(http, staff, target, sent):
    assert _sign_in(http, target).headers["Location"] == sent


def test_the_login_link_keeps_the_page_asked_for(http, staff):
    wanted = http.get("/admin/clientes?q=jo%C3%A3o")
    login_url = wanted.headers["Location"]
    assert login_url.startswith("/admin/login?next=")
    after = http.post(login_url, data=CREDENTIALS)
    assert after.headers["Location"] == "/admin/clientes?q=jo%C3%A3o"


def test_a_raw_non_utf8_byte_in_the_query_is_no_crash(http, staff):
    response = http.get("/admin/clientes", environ_overrides={"QUERY_STRING": "q=\xff\xfe"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login?next=/admin/clientes?q%3D%25FF%25FE"


def test_bulk_action_back_address_is_re_encoded_not_echoed(admin_http):
    """The bulk form posts the list's filters back; they return only as query arguments."""
    response = admin_http.post(
        "/admin/clientes/acoes", data={"filters": "q=ana\r\nSet-Cookie: sessao=roubada"}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/admin/clientes?q=ana%0D%0ASet-Cookie%3A+sessao%3Droubada"
    assert "sessao=roubada" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("email", ["equipe\x00@loja.example", "\x00"])
def test_a_nul_in_the_login_email_is_a_refusal_not_a_crash(http, staff, email):
    # PostgreSQL text cannot hold NUL: querying with it was a 500 there.
    response = http.post("/admin/login", data={**CREDENTIALS, "email": email})
    assert response.status_code == 401
    assert "E-mail ou senha incorretos" in response.text
