"""Pytest fixtures around the fake Sefaz, importable by other test folders.

Either list "tests.sefaz.fixtures" in `pytest_plugins` of tests/conftest.py, or import the
fixtures into a folder's conftest or test module (a fixture's dependencies must be visible
too): `from tests.sefaz.fixtures import sefaz_app, sefaz_pki, sefaz_server,
sefaz_server_session, sefaz_settings`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.sefaz import SefazSettings

from .pki import Pki, make_pki
from .scenarios import SHARED_SEFAZ
from .soap_server import SoapServer


@pytest.fixture(scope="session")
def sefaz_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """Throwaway CA, server and client certificates (one set per xdist worker)."""
    return make_pki(tmp_path_factory.mktemp("sefaz-pki"))


@pytest.fixture(scope="session")
def sefaz_server_session(sefaz_pki: Pki) -> Iterator[SoapServer]:
    """One running fake Sefaz per worker, on a random free port."""
    if not (SHARED_SEFAZ / "CadConsultaCadastro4.wsdl").is_file():
        pytest.fail(f"the shared Sefaz WSDL and samples are missing: expected {SHARED_SEFAZ}")
    with SoapServer(sefaz_pki) as server:
        yield server


@pytest.fixture
def sefaz_server(sefaz_server_session: SoapServer) -> SoapServer:
    """The session's fake Sefaz with default routes and empty request logs."""
    sefaz_server_session.reset()
    return sefaz_server_session


@pytest.fixture
def sefaz_settings(sefaz_pki: Pki, sefaz_server: SoapServer) -> SefazSettings:
    """Settings that reach the fake Sefaz with the PEM client certificate."""
    return SefazSettings(
        environment="homologacao",
        cert_path=sefaz_pki.client_cert,
        key_path=sefaz_pki.client_key,
        ca_bundle=sefaz_pki.ca_cert,
        url_override=sefaz_server.url,
        timeout=3.0,
    )


@pytest.fixture
def sefaz_app(app, sefaz_pki: Pki, sefaz_server: SoapServer):
    """The test's app configured (as from the environment) to consult the fake Sefaz."""
    app.config.update(
        SEFAZ_ENVIRONMENT="homologacao",
        SEFAZ_CERT_PATH=str(sefaz_pki.client_cert),
        SEFAZ_KEY_PATH=str(sefaz_pki.client_key),
        SEFAZ_CA_BUNDLE=str(sefaz_pki.ca_cert),
        SEFAZ_CADASTRO_URL=sefaz_server.url,
        SEFAZ_TIMEOUT="2",
    )
    return app
