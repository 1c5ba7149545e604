"""Body size caps on our blueprints: 413 for declared and chunked bodies, never a silent cut."""

import http.client
import io
import json

import pytest
from flask import Flask, request

from portal import Clientela

MIB = 1024 * 1024
PROBLEM = "application/problem+json"


def _chunked(http, path, body: bytes, content_type: str, headers=None):
    """A chunked request as a WSGI server hands it over: no Content-Length, a stream the
    server ends (`wsgi.input_terminated`, what gunicorn and Werkzeug's server set)."""
    return http.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={"Transfer-Encoding": "chunked", **(headers or {})},
        environ_overrides={"wsgi.input_terminated": True},
    )


def _client_json(size: int) -> bytes:
    body = json.dumps({"name": "Maria", "notes": ""}).encode()
    return body[:-2] + b'"' + b" " * (size - len(body)) + b"}"


@pytest.fixture
def bearer(api_key):
    return {"Authorization": f"Bearer {api_key}"}


def test_chunked_api_body_over_the_limit_is_413(http, bearer):
    """The field test: 2 MiB chunked was cut at 256 KiB and answered 201."""
    response = _chunked(http, "/api/v1/clients", b"{" + b" " * (2 * MIB) + b"}",
                        "application/json", bearer)  # fmt: skip
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert "256 KB" in response.json["detail"]


@pytest.mark.config(CLIENTELA_API_MAX_BODY_BYTES=4096)
def test_chunked_api_body_one_byte_over_is_413_and_at_the_limit_is_read_whole(http, bearer):
    at_limit = json.dumps({"name": "Maria"}).encode().ljust(4096)
    assert len(at_limit) == 4096
    created = _chunked(http, "/api/v1/clients", at_limit, "application/json", bearer)
    assert created.status_code == 201, created.json
    over = _chunked(http, "/api/v1/clients", at_limit + b" ", "application/json", bearer)
    assert over.status_code == 413


def test_a_small_chunked_api_body_is_accepted(http, bearer):
    response = _chunked(http, "/api/v1/clients", json.dumps({"name": "Ana"}).encode(),
                        "application/json", bearer)  # fmt: skip
    assert response.status_code == 201
    assert response.json["name"] == "Ana"


def test_a_20_mib_form_post_to_the_back_office_is_413_in_portuguese(admin_http):
    body = b"name=" + b"a" * (20 * MIB)
    response = admin_http.post(
        "/admin/clientes/novo", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "maior do que o back office aceita (1024 KB)" in response.text
    assert "Nada foi gravado" in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_chunked_form_post_to_the_back_office_is_413(admin_http):
    response = _chunked(admin_http, "/admin/clientes/novo", b"name=" + b"a" * (3 * MIB),
                        "application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 413
    assert "Nada foi gravado" in response.text


def test_a_multipart_post_to_the_back_office_is_capped_too(admin_http):
    response = admin_http.post(
        "/admin/clientes/novo",
        data={"name": "Maria", "anexo": (io.BytesIO(b"x" * (2 * MIB)), "grande.bin")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_the_login_form_is_capped_before_any_password_check(http, staff):
    body = b"email=equipe%40loja.example&password=" + b"x" * (2 * MIB)
    response = _chunked(http, "/admin/login", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413


@pytest.mark.config(CLIENTELA_MAX_BODY_BYTES=64 * 1024)
def test_ordinary_back_office_forms_still_work_under_the_cap(admin_http):
    response = _chunked(admin_http, "/admin/clientes/novo", b"kind=PF&name=Maria+Souza",
                        "application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code in (200, 302, 422)
    assert response.status_code != 413


def test_the_hosts_own_routes_keep_their_own_limits(migrated):
    """Mounted in a shop: our cap applies to our blueprints only, not to the shop's upload."""
    host = Flask("shop")
    host.config.update(SECRET_KEY="s", DATABASE_URL=migrated, TESTING=True)

    @host.post("/upload")
    def upload():
        return str(len(request.get_data()))

    Clientela().init_app(host)
    http = host.test_client()
    assert http.post("/upload", data=b"x" * (3 * MIB)).text == str(3 * MIB)
    chunked = _chunked(http, "/upload", b"x" * (3 * MIB), "application/octet-stream")
    assert chunked.text == str(3 * MIB)
    assert http.post("/api/v1/clients", data=b"x" * (3 * MIB)).status_code == 413
    host.extensions["clientela"].engine.dispose()


def test_a_stricter_host_limit_applies_to_our_routes_too(migrated, bearer):
    host = Flask("shop")
    host.config.update(SECRET_KEY="s", DATABASE_URL=migrated, TESTING=True,
                       MAX_CONTENT_LENGTH=1000)  # fmt: skip
    Clientela().init_app(host)
    chunked = _chunked(host.test_client(), "/api/v1/clients", b" " * 2000, "application/json",
                       bearer)  # fmt: skip
    assert chunked.status_code == 413
    host.extensions["clientela"].engine.dispose()


# --- over the wire: a real server, real chunked encoding ------------------------------------


def _send(live, path, body, headers, chunked: bool):
    connection = http.client.HTTPConnection(*live, timeout=30)
    if chunked:
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        connection.request("POST", path, body=chunks, headers=headers, encode_chunked=True)
    else:
        connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, response.getheader("Content-Type"), response.read()
    connection.close()
    return result


def test_over_the_wire_chunked_api_body_is_413(live, api_key):
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    status, content_type, _body = _send(live, "/api/v1/clients", b"{" + b" " * (2 * MIB) + b"}",
                                       headers, chunked=True)  # fmt: skip
    assert (status, content_type) == (413, PROBLEM)
    ok = _send(live, "/api/v1/clients", json.dumps({"name": "Ana"}).encode(), headers, True)
    assert ok[0] == 201


def test_over_the_wire_20_mib_back_office_post_is_413(live, admin_http):
    cookie = admin_http.get_cookie("session")
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Cookie": f"session={cookie.value}"}  # fmt: skip
    for chunked in (False, True):
        status, _type, body = _send(live, "/admin/clientes/novo", b"name=" + b"a" * (20 * MIB),
                                    headers, chunked)  # fmt: skip
        assert status == 413
        assert "Nada foi gravado" in body.decode()
