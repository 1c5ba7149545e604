"""Meus dados (LGPD): everything the shop holds about one client, as plain JSON values."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import db
from portal.clients.models import Client, ClientChange
from portal.mail.models import OutboxMessage
from portal.orders.models import Order, OrderStatusChange


def _iso(value):
    return value.isoformat() if value is not None else None


def everything_about(client: Client) -> dict:
    orders = db.session.scalars(
        select(Order)
        .where(Order.client_id == client.id)
        .order_by(Order.created_at, Order.id)
        .options(
            selectinload(Order.items),
            selectinload(Order.status_changes).selectinload(OrderStatusChange.to_status),
        )
    ).all()
    changes = db.session.scalars(
        select(ClientChange).where(ClientChange.client_id == client.id).order_by(ClientChange.id)
    ).all()
    messages = (
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == client.email)
            .order_by(OutboxMessage.id)
        ).all()
        if client.email
        else []
    )
    return {
        "client": {
            "id": client.id,
            "kind": client.kind,
            "name": client.name,
            "trade_name": client.trade_name,
            "document": client.document,
            "ie_indicator": client.ie_indicator,
            "state_registration": client.state_registration,
            "email": client.email,
            "email_confirmed_at": _iso(client.email_confirmed_at),
            "password_set_at": _iso(client.password_set_at),
            "birth_date": _iso(client.birth_date),
            "notes": client.notes,
            "email_consent": client.email_consent,
            "status": client.status.name,
            "profile": client.profile.name if client.profile else None,
            "seller": client.seller.name if client.seller else None,
            "payment_method": client.payment_method.name if client.payment_method else None,
            "payment_term": client.payment_term.name if client.payment_term else None,
            "tags": [t.name for t in client.tags],
            "is_supplier": client.is_supplier,
            "origin": client.origin,
            "created_at": _iso(client.created_at),
            "updated_at": _iso(client.updated_at),
            "first_purchase_at": _iso(client.first_purchase_at),
            "last_purchase_at": _iso(client.last_purchase_at),
        },
        "phones": [
            {
                "number": p.number,
                "kind": p.kind,
                "consent_sms": p.consent_sms,
                "consent_whatsapp": p.consent_whatsapp,
                "consent_viber": p.consent_viber,
            }
            for p in client.phones
        ],
        "addresses": [
            {
                "kind": a.kind,
                "is_active": a.is_active,
                "cep": a.cep,
                "street": a.street,
                "number": a.number,
                "complement": a.complement,
                "district": a.district,
                "city": a.city,
                "uf": a.uf,
                "created_at": _iso(a.created_at),
            }
            for a in client.addresses
        ],
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "notes": c.notes,
                "phones": [p.number for p in c.phones],
            }
            for c in client.contacts
        ],
        "orders": [
            {
                "number": o.number,
                "created_at": _iso(o.created_at),
                "items": [
                    {
                        "code": i.code,
                        "description": i.description,
                        "quantity": str(i.quantity),
                        "unit_price": str(i.unit_price),
                        "discount": str(i.discount),
                        "total": str(i.total),
                    }
                    for i in o.items
                ],
                "items_total": str(o.items_total),
                "discount_total": str(o.discount_total),
                "shipping": str(o.shipping),
                "total": str(o.total),
                "status_history": [
                    {"at": _iso(c.at), "status": c.to_status.name} for c in o.status_changes
                ],
            }
            for o in orders
        ],
        "history": [{"at": _iso(c.at), "action": c.action, "changes": c.changes} for c in changes],
        "emails": [
            {"created_at": _iso(m.created_at), "subject": m.subject, "sent_at": _iso(m.sent_at)}
            for m in messages
        ],
    }
