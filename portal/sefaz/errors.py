"""The one exception family of the Sefaz consultation.

Callers (views, CLI, background jobs) catch `SefazError` and show `reason`; `code` is a
stable machine value for logs, JSON answers and tests. No zeep, requests or lxml exception
leaves this package.
"""

from __future__ import annotations

from typing import Any

from portal.i18n import _

NOT_VERIFIED = "nao_verificado"


class SefazError(Exception):
    """Base class: the registry situation could not be established."""

    code = "erro"

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if code is not None:
            self.code = code

    def to_json_dict(self) -> dict[str, Any]:
        """What the CLI and JSON endpoints print for a failed consultation."""
        return {"erro": self.code, "motivo": self.reason, "situacao": NOT_VERIFIED}


class SefazNotConfigured(SefazError):
    """No usable certificate, CA file or endpoint: an operator must fix the settings."""

    code = "nao_configurado"


class SefazInvalidRequest(SefazError):
    """The UF or document is malformed, so asking Sefaz would only earn a rejection."""

    code = "requisicao_invalida"


class SefazUnavailable(SefazError):
    """Sefaz could not be reached or gave no usable answer (network, TLS, HTTP, SOAP, XML)."""

    code = "indisponivel"


class _SefazAnswered(SefazError):
    """Sefaz answered with a status that is not a registry situation."""

    def __init__(self, c_stat: int, x_motivo: str, *, reason: str) -> None:
        super().__init__(reason)
        self.c_stat = c_stat
        self.x_motivo = x_motivo

    def to_json_dict(self) -> dict[str, Any]:
        return {**super().to_json_dict(), "cStat": self.c_stat, "xMotivo": self.x_motivo}


class SefazThrottled(_SefazAnswered):
    """cStat 656 (consumo indevido): Sefaz blocks this caller; wait `retry_after` seconds."""

    code = "consumo_indevido"

    def __init__(self, c_stat: int, x_motivo: str, *, retry_after: int) -> None:
        super().__init__(
            c_stat,
            x_motivo,
            reason=_(
                "Sefaz has temporarily blocked consultations (excessive use): %(motive)s. "
                "Try again in %(minutes)s minute(s).",
                motive=x_motivo,
                minutes=max(1, retry_after // 60),
            ),
        )
        self.retry_after = retry_after

    def to_json_dict(self) -> dict[str, Any]:
        return {**super().to_json_dict(), "retry_after": self.retry_after}


class SefazRefused(_SefazAnswered):
    """Any cStat other than 111/112/259/656 (e.g. 999): kept verbatim for the operator."""

    code = "recusada"

    def __init__(self, c_stat: int, x_motivo: str, *, raw_xml: str = "") -> None:
        reason = _(
            "Sefaz refused the consultation (%(code)s): %(motive)s", code=c_stat, motive=x_motivo
        )
        super().__init__(c_stat, x_motivo, reason=reason)
        self.raw_xml = raw_xml
