"""Change history: each save keeps who changed which field from what to what."""

from portal import db
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.clients.models import Client, ClientChange, Contact
from portal.staff.models import StaffUser

_IE_LABELS = {
    "contribuinte": "Contribuinte",
    "isento": "Isento",
    "nao_contribuinte": "Não contribuinte",
}


def _yes_no(value: bool) -> str:
    return "sim" if value else "não"


def snapshot(client: Client) -> dict[str, str]:
    """What a person sees of each field, so the history reads like the form."""
    return {
        "Tipo": "Pessoa Jurídica" if client.kind == "PJ" else "Pessoa Física",
        "Nome/Razão social": client.name or "",
        "Nome fantasia": client.trade_name or "",
        "CPF/CNPJ": format_document(client.document),
        "Indicador IE": _IE_LABELS.get(client.ie_indicator, client.ie_indicator or ""),
        "Inscrição Estadual": client.state_registration or "",
        "E-mail principal": client.email or "",
        "Senha": client.password_set_at.isoformat() if client.password_set_at else "",
        "Nascimento/Fundação": client.birth_date.strftime("%d/%m/%Y") if client.birth_date else "",
        "Observações": client.notes or "",
        "Etiquetas": ", ".join(t.name for t in client.tags),
        "Fornecedor": _yes_no(client.is_supplier),
        "Conflito": _yes_no(client.has_conflict),
        "Aceita e-mail": _yes_no(client.email_consent),
        "Situação": client.status.name if client.status else "",
        "Perfil de Cliente": client.profile.name if client.profile else "",
        "Vendedor": client.seller.name if client.seller else "",
        "Forma de Pagamento": client.payment_method.name if client.payment_method else "",
        "Prazo de Pagamento": client.payment_term.name if client.payment_term else "",
        "Telefones": "; ".join(
            f"{format_phone(p.number)} ({p.kind}"
            + "".join(
                f", {label}"
                for label, on in (
                    ("SMS", p.consent_sms),
                    ("WhatsApp", p.consent_whatsapp),
                    ("Viber", p.consent_viber),
                )
                if on
            )
            + ")"
            for p in client.phones
        ),
    }


def snapshot_of_new(client: Client) -> list[dict]:
    return [change(label, "", value) for label, value in snapshot(client).items() if value]


def diff(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [
        change(label, before.get(label, ""), value)
        for label, value in after.items()
        if before.get(label, "") != value
    ]


def change(label: str, old: str, new: str) -> dict:
    if label == "Senha":  # a password is never shown, not even its hash: only that it changed
        return {"field": label, "old": "", "new": "alterada"}
    return {"field": label, "old": old, "new": new}


def describe_contact(contact: Contact) -> str:
    parts = [contact.name, contact.role or "", contact.email or ""]
    parts += [format_phone(p.number) for p in contact.phones]
    return " | ".join(p for p in parts if p)


def record(client: Client, actor: StaffUser | None, action: str, changes: list[dict]) -> None:
    # Refer by id: `client.id` is known after the first flush, and the change rows stay
    # out of the client's version counter.
    db.session.add(
        ClientChange(
            client_id=client.id,
            staff_id=actor.id if actor else None,
            action=action,
            changes=changes,
        )
    )
