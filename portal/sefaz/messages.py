"""The NF-e messages: the `ConsCad` request and the `retConsCad` answer (layout 2.00).

Parsing is strict where the verdict depends on it (cStat, cSit) and lenient for the
descriptive fields, so an odd optional date never hides a taxpayer's situation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from lxml import etree

from portal.i18n import _
from portal.sefaz.documents import normalize_document, normalize_uf
from portal.sefaz.errors import SefazRefused, SefazThrottled, SefazUnavailable

NFE_NS = "http://www.portalfiscal.inf.br/nfe"
LAYOUT_VERSION = "2.00"
FOUND = frozenset({111, 112})
NOT_REGISTERED = 259
THROTTLED = 656

# NF-e times without an offset are Brasília time (the layout's reference clock).
_BRASILIA = timezone(timedelta(hours=-3))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _q(name: str) -> str:
    return f"{{{NFE_NS}}}{name}"


class Verdict(StrEnum):
    """What the shop records about a customer's state registration."""

    HABILITADO = "habilitado"
    NAO_HABILITADO = "nao_habilitado"
    NAO_CADASTRADO = "nao_cadastrado"
    NAO_VERIFICADO = "nao_verificado"

    @property
    def label(self) -> str:
        """The situation as staff read it, in the request's language (the value is data)."""
        return {
            "habilitado": _("Enabled"),
            "nao_habilitado": _("Not enabled"),
            "nao_cadastrado": _("Not registered as a taxpayer in the UF"),
            "nao_verificado": _("Not verified"),
        }[self.value]


def build_cons_cad(
    uf: str, *, cnpj: str | None = None, cpf: str | None = None, ie: str | None = None
) -> etree._Element:
    """`ConsCad` for one document; raises SefazInvalidRequest before anything is sent."""
    uf = normalize_uf(uf)
    tag, document = normalize_document(cnpj=cnpj, cpf=cpf, ie=ie)
    root = etree.Element(_q("ConsCad"), nsmap={None: NFE_NS}, versao=LAYOUT_VERSION)
    inf_cons = etree.SubElement(root, _q("infCons"))
    for name, value in (("xServ", "CONS-CAD"), ("UF", uf), (tag, document)):
        etree.SubElement(inf_cons, _q(name)).text = value
    return root


@dataclass(frozen=True)
class Establishment:
    """One `infCad`: a state registration (IE) of the consulted taxpayer."""

    ie: str | None
    cnpj: str | None
    cpf: str | None
    uf: str
    c_sit: int
    ind_cred_nfe: int | None
    ind_cred_cte: int | None
    razao_social: str
    nome_fantasia: str | None
    regime: str | None
    cnae: str | None
    inicio_atividade: date | None
    address: dict[str, str | None]

    @property
    def situacao(self) -> str:
        return "habilitado" if self.c_sit == 1 else "não habilitado"

    def to_json_dict(self) -> dict[str, Any]:
        started = self.inicio_atividade
        return {
            "ie": self.ie,
            "cnpj": self.cnpj,
            "cpf": self.cpf,
            "uf": self.uf,
            "cSit": self.c_sit,
            "situacao": self.situacao,
            "indCredNFe": self.ind_cred_nfe,
            "indCredCTe": self.ind_cred_cte,
            "razao_social": self.razao_social,
            "nome_fantasia": self.nome_fantasia,
            "regime": self.regime,
            "cnae": self.cnae,
            "inicio_atividade": started.isoformat() if started else None,
            "endereco": dict(self.address),
        }


@dataclass(frozen=True)
class Consultation:
    """A `retConsCad` as received; `raw_xml` keeps the answer for the audit trail."""

    c_stat: int
    x_motivo: str
    uf: str
    consulted_at: datetime
    establishments: list[Establishment] = field(default_factory=list)
    raw_xml: str = ""

    @property
    def verdict(self) -> Verdict:
        if self.c_stat in FOUND:
            if any(item.c_sit == 1 for item in self.establishments):
                return Verdict.HABILITADO
            return Verdict.NAO_HABILITADO
        if self.c_stat == NOT_REGISTERED:
            return Verdict.NAO_CADASTRADO
        return Verdict.NAO_VERIFICADO

    @property
    def principal(self) -> Establishment | None:
        """The establishment to show first: an enabled one when there is one."""
        enabled = [item for item in self.establishments if item.c_sit == 1]
        return (enabled or self.establishments or [None])[0]

    def raise_for_status(self, *, retry_after: int) -> None:
        """Turn a cStat that is not a registry situation into the matching SefazError."""
        if self.c_stat == THROTTLED:
            raise SefazThrottled(self.c_stat, self.x_motivo, retry_after=retry_after)
        if self.verdict is Verdict.NAO_VERIFICADO:
            raise SefazRefused(self.c_stat, self.x_motivo, raw_xml=self.raw_xml)

    def to_json_dict(self) -> dict[str, Any]:
        principal = self.principal
        return {
            "cStat": self.c_stat,
            "xMotivo": self.x_motivo,
            "uf": self.uf,
            "consultado_em": self.consulted_at.isoformat(),
            "situacao": self.verdict.value,
            "situacao_descricao": self.verdict.label,
            "razao_social": principal.razao_social if principal else None,
            "nome_fantasia": principal.nome_fantasia if principal else None,
            "ie": principal.ie if principal else None,
            "cnpj": principal.cnpj if principal else None,
            "cpf": principal.cpf if principal else None,
            "estabelecimentos": [item.to_json_dict() for item in self.establishments],
        }


def _unexpected(reason: str) -> SefazUnavailable:
    return SefazUnavailable(reason, code="resposta_invalida")


def _text(parent: etree._Element, name: str) -> str | None:
    value = parent.findtext(_q(name))
    return None if value is None else (value.strip() or None)


def _optional_int(parent: etree._Element, name: str) -> int | None:
    value = _text(parent, name)
    return int(value) if value and value.isascii() and value.isdigit() else None


def _required_int(parent: etree._Element, name: str) -> int:
    value = _optional_int(parent, name)
    if value is None:
        raise _unexpected(
            _(
                "Unexpected answer from Sefaz: %(name)s missing or invalid (%(value)s).",
                name=name,
                value=repr(_text(parent, name)),
            )
        )
    return value


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _moment(value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=_BRASILIA)


def _establishment(inf_cad: etree._Element) -> Establishment:
    ender = inf_cad.find(_q("ender"))
    address_fields = {
        "logradouro": "xLgr",
        "numero": "nro",
        "complemento": "xCpl",
        "bairro": "xBairro",
        "codigo_municipio": "cMun",
        "municipio": "xMun",
        "cep": "CEP",
    }
    return Establishment(
        ie=_text(inf_cad, "IE"),
        cnpj=_text(inf_cad, "CNPJ"),
        cpf=_text(inf_cad, "CPF"),
        uf=_text(inf_cad, "UF") or "",
        c_sit=_required_int(inf_cad, "cSit"),
        ind_cred_nfe=_optional_int(inf_cad, "indCredNFe"),
        ind_cred_cte=_optional_int(inf_cad, "indCredCTe"),
        razao_social=_text(inf_cad, "xNome") or "",
        nome_fantasia=_text(inf_cad, "xFant"),
        regime=_text(inf_cad, "xRegApur"),
        cnae=_text(inf_cad, "CNAE"),
        inicio_atividade=_date(_text(inf_cad, "dIniAtiv")),
        address={
            key: _text(ender, tag) if ender is not None else None
            for key, tag in address_fields.items()
        },
    )


def parse_ret_cons_cad(source: etree._Element | str | bytes) -> Consultation:
    """Parse a `retConsCad` (element, or its XML text as stored in `raw_xml`).

    Raises SefazUnavailable when the answer is not a usable `retConsCad`; the cStat
    itself is judged by `Consultation.raise_for_status`.
    """
    if isinstance(source, etree._Element):
        root = source
    else:
        data = source.encode("utf-8") if isinstance(source, str) else source
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise _unexpected(_("Unexpected answer from Sefaz: malformed XML.")) from exc
    if root.tag != _q("retConsCad"):
        raise _unexpected(
            _(
                "Unexpected answer from Sefaz: element %(name)s instead of retConsCad.",
                name=repr(etree.QName(root).localname),
            )
        )
    inf_cons = root.find(_q("infCons"))
    if inf_cons is None:
        raise _unexpected(_("Unexpected answer from Sefaz: retConsCad without infCons."))
    c_stat = _required_int(inf_cons, "cStat")
    establishments = [_establishment(item) for item in inf_cons.iterfind(_q("infCad"))]
    if c_stat in FOUND and not establishments:
        raise _unexpected(
            _("Unexpected answer from Sefaz: cStat %(code)s without infCad.", code=c_stat)
        )
    return Consultation(
        c_stat=c_stat,
        x_motivo=_text(inf_cons, "xMotivo") or "",
        uf=_text(inf_cons, "UF") or "",
        consulted_at=_moment(_text(inf_cons, "dhCons")),
        establishments=establishments,
        raw_xml=etree.tostring(root, encoding="unicode"),
    )
