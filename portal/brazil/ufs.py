"""The 27 units of the federation (26 states and the Distrito Federal)."""

from portal.errors import DomainError
from portal.i18n import _

UF_NAMES: dict[str, str] = {
    "AC": "Acre",
    "AL": "Alagoas",
    "AM": "Amazonas",
    "AP": "Amapá",
    "BA": "Bahia",
    "CE": "Ceará",
    "DF": "Distrito Federal",
    "ES": "Espírito Santo",
    "GO": "Goiás",
    "MA": "Maranhão",
    "MG": "Minas Gerais",
    "MS": "Mato Grosso do Sul",
    "MT": "Mato Grosso",
    "PA": "Pará",
    "PB": "Paraíba",
    "PE": "Pernambuco",
    "PI": "Piauí",
    "PR": "Paraná",
    "RJ": "Rio de Janeiro",
    "RN": "Rio Grande do Norte",
    "RO": "Rondônia",
    "RR": "Roraima",
    "RS": "Rio Grande do Sul",
    "SC": "Santa Catarina",
    "SE": "Sergipe",
    "SP": "São Paulo",
    "TO": "Tocantins",
}

UFS: tuple[str, ...] = tuple(sorted(UF_NAMES))


def normalize_uf(raw: str | None, field: str = "uf") -> str:
    """The upper-case abbreviation of one of the 27 units of the federation."""
    value = (raw or "").strip().upper()
    if value not in UF_NAMES:
        raise DomainError(
            _("Invalid UF: choose one of the 27 units of the federation."), field=field
        )
    return value
