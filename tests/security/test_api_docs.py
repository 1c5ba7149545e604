"""The API's OpenAPI document and documentation page: no Host echo, no framing, public."""

import pytest

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def test_openapi_servers_never_echo_the_host_header(http):
    spec = http.get("/api/v1/openapi.json", headers=EVIL).json
    assert spec["servers"] == [{"url": "/api/v1"}]
    assert "evil.example" not in http.get("/api/v1/openapi.json", headers=EVIL).text


def test_docs_page_never_echoes_the_host_header(http):
    page = http.get("/api/v1/docs", headers=EVIL)
    assert page.status_code == 200
    assert "evil.example" not in page.text


@pytest.mark.config(CLIENTELA_PUBLIC_URL="https://loja.example/")
def test_openapi_servers_use_the_configured_public_url(http):
    spec = http.get("/api/v1/openapi.json", headers=EVIL).json
    assert spec["servers"] == [{"url": "https://loja.example/api/v1"}]
    assert "https://loja.example/api/v1" in http.get("/api/v1/docs", headers=EVIL).text


def test_docs_page_has_a_csp_and_cannot_be_framed(http):
    response = http.get("/api/v1/docs")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_api_json_answers_cannot_be_framed_either(http):
    for path in ("/api/v1/openapi.json", "/api/v1/clients"):
        response = http.get(path)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_docs_and_document_are_public_but_data_needs_a_key(http):
    """Decision (README "Security"): the contract is public, the data is not."""
    assert http.get("/api/v1/openapi.json").status_code == 200
    assert http.get("/api/v1/docs").status_code == 200
    assert http.get("/api/v1/clients").status_code == 401
