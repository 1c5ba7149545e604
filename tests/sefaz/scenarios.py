"""What the fake Sefaz answers: per-document scenarios and the XML builders behind them.

Tests pick a behaviour by the document they send: `DOCUMENTS[scenario]` is a document with
valid check digits that the server routes to that scenario by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

SHARED_SEFAZ = (Path(__file__).resolve().parents[2] / ".." / "shared" / "sefaz").resolve()
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
WSDL_NS = "http://www.portalfiscal.inf.br/nfe/wsdl/CadConsultaCadastro4"
NFE_NS = "http://www.portalfiscal.inf.br/nfe"

# scenario -> a document (valid check digits) that the server answers with it by default.
DOCUMENTS: dict[str, str] = {
    "amostra_111": "11222333000181",  # shared retConsCad_111.xml, verbatim
    "amostra_259": "11444777000161",  # shared retConsCad_259.xml, verbatim
    "habilitado": "12ABC34501DE35",  # alphanumeric CNPJ (2026 format)
    "produtor_rural": "52998224725",  # a CPF with a state registration
    "nao_habilitado": "22233344000183",
    "varios": "33344455000183",
    "nao_cadastrado": "44455566000183",
    "consumo_indevido": "55566677000183",
    "erro_999": "66677788000183",
    "cstat_desconhecido": "77788899000183",
    "fault": "88899900000163",
    "lento": "99900011000195",
    "xml_quebrado": "10111213000144",
    "http_500": "13141516000106",
    "sem_retorno": "17181920000156",
    "http_503": "21222324000144",
}
DEFAULT_SCENARIO = "nao_cadastrado"


@dataclass(frozen=True)
class ReceivedRequest:
    """What the server understood of one POST, for assertions."""

    content_type: str
    soap_action: str | None
    client_subject: str | None
    versao: str | None = None
    x_serv: str | None = None
    uf: str | None = None
    cnpj: str | None = None
    cpf: str | None = None
    ie: str | None = None

    @property
    def document(self) -> str | None:
        return self.cnpj or self.cpf or self.ie


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/soap+xml; charset=utf-8"
    hang: bool = False  # never answer (until the server stops or hang_seconds pass)


Scenario = Callable[[ReceivedRequest], Reply]


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _envelope(result: etree._Element | None) -> Reply:
    envelope = etree.Element(_q(SOAP12_NS, "Envelope"), nsmap={"soap": SOAP12_NS})
    body = etree.SubElement(envelope, _q(SOAP12_NS, "Body"))
    wrapper = etree.SubElement(body, _q(WSDL_NS, "nfeResultMsg"), nsmap={None: WSDL_NS})
    if result is not None:
        wrapper.append(result)
    return Reply(body=etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def fault_reply(code: str, reason: str, status: int = 500) -> Reply:
    """A SOAP 1.2 Fault (code: Sender, Receiver or VersionMismatch)."""
    envelope = etree.Element(_q(SOAP12_NS, "Envelope"), nsmap={"soap": SOAP12_NS})
    fault = etree.SubElement(
        etree.SubElement(envelope, _q(SOAP12_NS, "Body")), _q(SOAP12_NS, "Fault")
    )
    etree.SubElement(
        etree.SubElement(fault, _q(SOAP12_NS, "Code")), _q(SOAP12_NS, "Value")
    ).text = f"soap:{code}"
    text = etree.SubElement(etree.SubElement(fault, _q(SOAP12_NS, "Reason")), _q(SOAP12_NS, "Text"))
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "pt-BR")
    text.text = reason
    return Reply(
        status=status, body=etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    )


def ret_cons_cad(
    request: ReceivedRequest, c_stat: int, x_motivo: str, inf_cads: Sequence[dict[str, Any]] = ()
) -> Reply:
    """A retConsCad echoing the request; each dict of `inf_cads` becomes one infCad."""
    root = etree.Element(_q(NFE_NS, "retConsCad"), nsmap={None: NFE_NS}, versao="2.00")
    inf_cons = etree.SubElement(root, _q(NFE_NS, "infCons"))
    doc_tag = "CNPJ" if request.cnpj else "CPF" if request.cpf else "IE"
    for name, value in (
        ("verAplic", "FAKE_SEFAZ_1.0"),
        ("cStat", str(c_stat)),
        ("xMotivo", x_motivo),
        ("UF", request.uf),
        (doc_tag, request.document),
        ("dhCons", "2026-11-20T10:15:02-03:00"),
        ("cUF", "35"),
    ):
        etree.SubElement(inf_cons, _q(NFE_NS, name)).text = value
    for values in inf_cads:
        inf_cad = etree.SubElement(inf_cons, _q(NFE_NS, "infCad"))
        for name, value in values.items():
            if isinstance(value, dict):
                ender = etree.SubElement(inf_cad, _q(NFE_NS, name))
                for sub_name, sub_value in value.items():
                    etree.SubElement(ender, _q(NFE_NS, sub_name)).text = sub_value
            else:
                etree.SubElement(inf_cad, _q(NFE_NS, name)).text = value
    return _envelope(root)


def inf_cad(
    request: ReceivedRequest, ie: str, c_sit: int, name: str, **extra: Any
) -> dict[str, Any]:
    """Fields of one infCad in layout order; `extra` adds xFant, xRegApur, ender..."""
    doc_tag = "CPF" if request.cpf else "CNPJ"
    head = {"IE": ie, doc_tag: request.cnpj or request.cpf, "UF": request.uf, "cSit": str(c_sit)}
    return {**head, "indCredNFe": "1", "indCredCTe": "4", "xNome": name, **extra}


ADDRESS = {
    "xLgr": "AVENIDA BRASIL",
    "nro": "1000",
    "xBairro": "JARDIM AMERICA",
    "cMun": "3550308",
    "xMun": "SAO PAULO",
    "CEP": "01430000",
}


def _sample(name: str) -> Scenario:
    return lambda request: Reply(body=(SHARED_SEFAZ / name).read_bytes())


SCENARIOS: dict[str, Scenario] = {
    "amostra_111": _sample("retConsCad_111.xml"),
    "amostra_259": _sample("retConsCad_259.xml"),
    "habilitado": lambda r: ret_cons_cad(
        r,
        111,
        "Consulta cadastro com uma ocorrência",
        [inf_cad(r, "123456789012", 1, "EMPRESA ALFANUMERICA SA", xFant="ALFA", ender=ADDRESS)],
    ),
    "produtor_rural": lambda r: ret_cons_cad(
        r,
        111,
        "Consulta cadastro com uma ocorrência",
        [inf_cad(r, "987654321098", 1, "JOSE DA SILVA", xRegApur="PRODUTOR RURAL")],
    ),
    "nao_habilitado": lambda r: ret_cons_cad(
        r,
        111,
        "Consulta cadastro com uma ocorrência",
        [inf_cad(r, "111222333444", 0, "COMERCIO SUSPENSO LTDA", dUltSit="2025-01-10")],
    ),
    "varios": lambda r: ret_cons_cad(
        r,
        112,
        "Consulta cadastro com mais de uma ocorrência",
        [
            inf_cad(r, "200000000001", 0, "REDE DE LOJAS LTDA", xFant="FILIAL ANTIGA"),
            inf_cad(r, "200000000002", 1, "REDE DE LOJAS LTDA", xFant="MATRIZ", ender=ADDRESS),
            inf_cad(r, "200000000003", 0, "REDE DE LOJAS LTDA"),
        ],
    ),
    "nao_cadastrado": lambda r: ret_cons_cad(
        r, 259, "Rejeição: CNPJ da consulta não cadastrado como contribuinte na UF"
    ),
    "consumo_indevido": lambda r: ret_cons_cad(
        r, 656, "Rejeição: Consumo Indevido (Deve ser aguardado 1 hora para nova tentativa)"
    ),
    "erro_999": lambda r: ret_cons_cad(r, 999, "Rejeição: Erro não catalogado (banco de dados)"),
    "cstat_desconhecido": lambda r: ret_cons_cad(
        r, 239, "Rejeição: Cabeçalho - Versão do arquivo XML não suportada"
    ),
    "fault": lambda r: fault_reply("Receiver", "Servidor temporariamente indisponível"),
    "lento": lambda r: Reply(hang=True),
    "xml_quebrado": lambda r: Reply(body=_sample("retConsCad_111.xml")(r).body[:400]),
    "http_500": lambda r: Reply(
        status=500,
        content_type="text/html; charset=utf-8",
        body=b"<!DOCTYPE html>\n<html><body><h1>Server Error in '/'.</h1></body></html>",
    ),
    "http_503": lambda r: Reply(status=503, content_type="text/plain"),
    "sem_retorno": lambda r: _envelope(None),
}
