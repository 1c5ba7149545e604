"""A fake Sefaz: a genuine HTTPS SOAP 1.2 CadConsultaCadastro4 endpoint on 127.0.0.1.

It requires a client certificate, parses each envelope with lxml, checks the SOAP 1.2
content type and action and the `ConsCad`, and answers according to the document asked
about (see scenarios.DOCUMENTS / `route()`). `GET ?wsdl` serves the shared WSDL pointing at
itself. No pytest here, so app-level and Playwright tests can drive it directly.
"""

from __future__ import annotations

import ssl
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .pki import Pki
from .scenarios import (
    DEFAULT_SCENARIO,
    DOCUMENTS,
    NFE_NS,
    SCENARIOS,
    SHARED_SEFAZ,
    SOAP12_NS,
    WSDL_NS,
    ReceivedRequest,
    Reply,
    Scenario,
    fault_reply,
)

SOAP_ACTION = f"{WSDL_NS}/consultaCadastro"
SERVICE_PATH = "/ws/cadconsultacadastro4.asmx"
_INF_CONS = {"x_serv": "xServ", "uf": "UF", "cnpj": "CNPJ", "cpf": "CPF", "ie": "IE"}


class _TLSServer(ThreadingHTTPServer):
    """Handshakes in the connection's thread, so a stuck client never blocks accept()."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: SoapServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(5)
        try:
            connection = self.owner.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            self.owner.record_tls_failure(exc)
            return
        try:
            super().finish_request(connection, client_address)
        finally:
            connection.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that give up (timeouts) break the pipe; that is expected here."""


class _Handler(BaseHTTPRequestHandler):
    server: _TLSServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def do_GET(self) -> None:
        owner = self.server.owner
        if urlsplit(self.path).query.lower() == "wsdl":
            self._send(Reply(body=owner.wsdl(), content_type="text/xml; charset=utf-8"))
        else:
            self._send(Reply(status=404, body=b"not found", content_type="text/plain"))

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1_000_000))
        peer = self.connection.getpeercert() or {}
        subject = dict(item[0] for item in peer.get("subject", ())).get("commonName")
        reply = owner.answer(urlsplit(self.path).path, self.headers, body, subject)
        if reply.hang:
            owner.wait_for_release()
            return
        self._send(reply)


class SoapServer:
    """The fake Sefaz. `start()`/`stop()` can alternate; a restart keeps the port.

    Choose the behaviour per document with `route(document, scenario)` (a SCENARIOS name
    or a callable returning a Reply); documents not routed get DEFAULT_SCENARIO.
    """

    def __init__(self, pki: Pki, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.hang_seconds = 10.0  # how long a "lento" answer is held back at most
        self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls_context.load_cert_chain(pki.server_cert, pki.server_key)
        self.tls_context.load_verify_locations(pki.ca_cert)
        self.tls_context.verify_mode = ssl.CERT_REQUIRED
        self.requests: list[ReceivedRequest] = []
        self.tls_failures: list[str] = []
        self._routes: dict[str, str | Scenario] = {}
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: _TLSServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}{SERVICE_PATH}"

    def start(self) -> SoapServer:
        self._release.clear()
        self._server = _TLSServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port and let any hanging answer go."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SoapServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Back to the default routes, with empty logs (called between tests)."""
        with self._lock:
            self._routes = {document: scenario for scenario, document in DOCUMENTS.items()}
            self.requests.clear()
            self.tls_failures.clear()

    def route(self, document: str, scenario: str | Scenario) -> None:
        if isinstance(scenario, str) and scenario not in SCENARIOS:
            raise KeyError(f"unknown scenario {scenario!r}; known: {sorted(SCENARIOS)}")
        with self._lock:
            self._routes[document.upper()] = scenario

    def wsdl(self) -> bytes:
        tree = etree.parse(SHARED_SEFAZ / "CadConsultaCadastro4.wsdl")
        namespaces = {"soap12": "http://schemas.xmlsoap.org/wsdl/soap12/"}
        for address in tree.iterfind(".//soap12:address", namespaces):
            address.set("location", self.url)
        return etree.tostring(tree, xml_declaration=True, encoding="utf-8")

    def wait_for_release(self) -> None:
        self._release.wait(self.hang_seconds)

    def record_tls_failure(self, exc: BaseException) -> None:
        with self._lock:
            self.tls_failures.append(str(exc))

    def answer(self, path: str, headers: Message, body: bytes, subject: str | None) -> Reply:
        """Check the request like a real SOAP 1.2 stack, then play the document's scenario."""
        if path != SERVICE_PATH:
            return Reply(status=404, body=b"not found", content_type="text/plain")
        media = Message()
        media["Content-Type"] = content_type = headers.get("Content-Type", "")
        if media.get_content_type() != "application/soap+xml":
            return Reply(status=415, body=b"SOAP 1.2 only", content_type="text/plain")
        try:
            envelope = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            return fault_reply("Sender", "XML mal formado", 400)
        if envelope.tag != f"{{{SOAP12_NS}}}Envelope":
            return fault_reply("VersionMismatch", "Envelope SOAP 1.2 esperado")
        cons_cad = envelope.find(
            f"{{{SOAP12_NS}}}Body/{{{WSDL_NS}}}nfeDadosMsg/{{{NFE_NS}}}ConsCad"
        )
        if cons_cad is None:
            return fault_reply("Sender", "nfeDadosMsg/ConsCad ausente", 400)
        action = media.get_param("action")
        request = ReceivedRequest(
            content_type=content_type,
            soap_action=str(action) if action else None,
            client_subject=subject,
            versao=cons_cad.get("versao"),
            **{
                name: cons_cad.findtext(f"{{{NFE_NS}}}infCons/{{{NFE_NS}}}{tag}")
                for name, tag in _INF_CONS.items()
            },
        )
        with self._lock:
            self.requests.append(request)
            scenario = self._routes.get((request.document or "").upper(), DEFAULT_SCENARIO)
        if request.soap_action != SOAP_ACTION:
            return fault_reply("Sender", f"Ação SOAP desconhecida: {request.soap_action}", 400)
        documents = [value for value in (request.cnpj, request.cpf, request.ie) if value]
        if request.versao != "2.00" or request.x_serv != "CONS-CAD" or len(documents) != 1:
            return fault_reply("Sender", "ConsCad fora do leiaute 2.00", 400)
        return (SCENARIOS[scenario] if isinstance(scenario, str) else scenario)(request)
