"""Consult a taxpayer in the Sefaz registry (CadConsultaCadastro4, SOAP 1.2).

One call makes exactly one HTTPS request (no retries: Sefaz answers repeated queries with
656, "consumo indevido"). The WSDL ships with the package, so production never fetches
it; the service address comes from the endpoint table. Every failure is a SefazError.
"""

from __future__ import annotations

import logging
from importlib import resources

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.transports import Transport

from portal.i18n import _
from portal.sefaz.endpoints import endpoint_for
from portal.sefaz.errors import SefazError, SefazUnavailable
from portal.sefaz.messages import Consultation, build_cons_cad, parse_ret_cons_cad
from portal.sefaz.settings import SefazSettings
from portal.sefaz.tls import open_session

logger = logging.getLogger(__name__)

WSDL_NS = "http://www.portalfiscal.inf.br/nfe/wsdl/CadConsultaCadastro4"
BINDING = f"{{{WSDL_NS}}}CadConsultaCadastro4Soap12"
_WSDL = resources.files(__package__).joinpath("wsdl", "CadConsultaCadastro4.wsdl")
# Failures of the libraries below; translated so none of them reaches the caller.
_LIBRARY_ERRORS = (
    requests.RequestException,
    zeep.exceptions.Error,
    etree.LxmlError,
    OSError,
    ValueError,
)


class _Transport(Transport):
    """Remembers the HTTP status: zeep reports a non-SOAP error page as a bare Fault."""

    last_status: int | None = None

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> requests.Response:
        response = super().post(address, message, headers)
        self.last_status = response.status_code
        return response


def _unavailable(exc: BaseException, status: int | None) -> SefazUnavailable:
    if isinstance(exc, requests.Timeout):
        return SefazUnavailable(_("Sefaz did not answer in time."), code="tempo_esgotado")
    if isinstance(exc, requests.exceptions.SSLError):
        return SefazUnavailable(
            _(
                "The secure connection (TLS) to Sefaz failed: the shop's certificate was "
                "refused or the server is not trusted."
            ),
            code="tls",
        )
    if isinstance(exc, requests.ConnectionError):
        return SefazUnavailable(_("Could not connect to Sefaz."), code="conexao")
    if isinstance(exc, zeep.exceptions.Fault) and exc.code is not None:
        return SefazUnavailable(
            _("Sefaz answered with a SOAP fault: %(fault)s", fault=exc.message), code="soap_fault"
        )
    if status is not None and status >= 400:
        return SefazUnavailable(
            _("Sefaz answered with HTTP error %(status)s.", status=status), code="http"
        )
    return SefazUnavailable(_("Unexpected answer from Sefaz."), code="resposta_invalida")


def call_consulta_cadastro(
    session: requests.Session, url: str, cons_cad: etree._Element, *, timeout: float
) -> etree._Element:
    """Send a `ConsCad` to `url` over `session`; return the `retConsCad` element."""
    transport = _Transport(session=session, timeout=timeout, operation_timeout=timeout)
    try:
        with resources.as_file(_WSDL) as wsdl:
            client = zeep.Client(
                str(wsdl),
                transport=transport,
                settings=zeep.Settings(strict=True, xml_huge_tree=False),
            )
        service = client.create_service(BINDING, url)
        result = service.consultaCadastro(_value_1=cons_cad)
    except _LIBRARY_ERRORS as exc:
        raise _unavailable(exc, transport.last_status) from exc
    # nfeResultMsg is an xs:any wrapper: zeep hands back the element(s) it holds.
    items = result if isinstance(result, list) else [getattr(result, "_value_1", result)]
    for item in items:
        if isinstance(item, etree._Element):
            return item
    raise SefazUnavailable(
        _("Unexpected answer from Sefaz: nfeResultMsg without retConsCad."),
        code="resposta_invalida",
    )


def consult(
    settings: SefazSettings,
    uf: str,
    *,
    cnpj: str | None = None,
    cpf: str | None = None,
    ie: str | None = None,
) -> Consultation:
    """Ask the Sefaz of `uf` about one document (exactly one of cnpj, cpf, ie).

    Returns a Consultation for cStat 111/112/259; raises SefazInvalidRequest,
    SefazNotConfigured, SefazUnavailable, SefazThrottled (656) or SefazRefused.
    """
    try:
        cons_cad = build_cons_cad(uf, cnpj=cnpj, cpf=cpf, ie=ie)
        url = endpoint_for(uf, settings)
        with open_session(settings) as session:
            answer = call_consulta_cadastro(session, url, cons_cad, timeout=settings.timeout)
        consultation = parse_ret_cons_cad(answer)
        consultation.raise_for_status(retry_after=settings.backoff_seconds_after_656)
    except SefazError as exc:
        # No document in the log: a CPF is personal data.
        logger.warning("Consulta cadastral Sefaz (%s) falhou: %s: %s", uf, exc.code, exc.reason)
        raise
    return consultation
