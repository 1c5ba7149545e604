"""Demo data for `make run`: a staff login, the lookups and a few realistic clients."""

from decimal import Decimal

from sqlalchemy import select

from portal import db
from portal.billing import issuing
from portal.billing.models import BillingAccount
from portal.clients import addresses
from portal.clients import service as clients
from portal.clients.models import Client, ClientStatus
from portal.clients.phones import PhoneInput
from portal.lookups import service as lookups
from portal.lookups.models import PaymentMethod, PaymentTerm
from portal.staff import service as staff_service
from portal.staff.models import StaffUser

DEMO_EMAIL = "admin@clientela.example"
DEMO_PASSWORD = "clientela-demo"
# The storefront's demo client (made by staff, so no e-mail confirmation is pending).
DEMO_CLIENT_EMAIL = "maria.silva@example.com"
DEMO_CLIENT_PASSWORD = "cliente-demo"

_LOOKUPS = {
    "perfis": [("Varejo", "Compra para uso próprio"), ("Atacado", "Revenda"), ("VIP", None)],
    "vendedores": [("Ana Souza", "ana@loja.example"), ("Bruno Lima", "bruno@loja.example")],
    "formas-pagamento": [("Boleto", None), ("Pix", None), ("Cartão de crédito", None)],
    "prazos-pagamento": [("À vista", ""), ("30 dias", "30"), ("30/60/90", "30,60,90")],
}

_CLIENTS = [
    dict(
        kind="PJ",
        name="Padaria Pão Quente Ltda",
        trade_name="Pão Quente",
        document="11.222.333/0001-81",
        email="compras@paoquente.example",
        ie_indicator="contribuinte",
        state_registration="110042490114",
        tags="atacado, sp",
        phones=[("(11) 3333-4444", "Comercial")],
        address=("01310-100", "Avenida Paulista", "1000", "Bela Vista", "São Paulo", "SP"),
    ),
    dict(
        kind="PF",
        name="Maria da Silva",
        document="529.982.247-25",
        email=DEMO_CLIENT_EMAIL,
        password=DEMO_CLIENT_PASSWORD,
        tags="vip",
        phones=[("(21) 98765-4321", "Celular")],
        address=("20040-020", "Rua da Assembleia", "10", "Centro", "Rio de Janeiro", "RJ"),
    ),
    dict(
        kind="PJ",
        name="Tecnologia Alfa Numérica S.A.",
        document="12.ABC.345/01DE-35",
        email="financeiro@alfa.example",
        ie_indicator="isento",
        address=("30130-010", "Avenida Afonso Pena", "1500", "Centro", "Belo Horizonte", "MG"),
    ),
    dict(
        kind="PF",
        name="João Pereira",
        document="111.444.777-35",
        phones=[("(51) 99876-5432", "Celular")],
    ),
    dict(
        kind="PF",
        name="Ana Beatriz Costa",
        email="ana.costa@example.com",
        password="cliente-demo",
        status="Inativo",
    ),
]


def load(password: str | None = None) -> tuple[str, str, bool]:
    """Create what is missing; (staff e-mail, staff password, whether anything was created)."""
    password = password or DEMO_PASSWORD
    if db.session.scalar(select(StaffUser).where(StaffUser.email == DEMO_EMAIL)):
        return DEMO_EMAIL, password, False
    admin = staff_service.create_staff(DEMO_EMAIL, password, "Administrador(a) Demo")
    created_lookups = {}
    for slug, entries in _LOOKUPS.items():
        kind = lookups.kind_named(slug)
        created_lookups[slug] = [
            lookups.save(kind, None, name, extra, True) for name, extra in entries
        ]
    statuses = {s.name: s for s in db.session.scalars(select(ClientStatus))}
    for index, spec in enumerate(_CLIENTS):
        spec = dict(spec)
        address = spec.pop("address", None)
        phones = [PhoneInput(number=n, kind=k) for n, k in spec.pop("phones", [])]
        status = statuses[spec.pop("status", "Ativo")]
        data = clients.ClientInput(
            status_id=status.id,
            phones=phones,
            seller_id=created_lookups["vendedores"][index % 2].id,
            profile_id=created_lookups["perfis"][index % 3].id,
            payment_method_id=created_lookups["formas-pagamento"][index % 3].id,
            payment_term_id=created_lookups["prazos-pagamento"][index % 3].id,
            **spec,
        )
        client = clients.register(data, admin)
        if address:
            cep, street, number, district, city, uf = address
            addresses.add_address(
                client.id,
                addresses.AddressInput("padrao", True, cep, street, number, district, city, uf),
                admin,
            )
    _demo_orders(admin)
    return DEMO_EMAIL, password, True


def _demo_billing():
    """The "Boleto" payment method issues boletos, on a Banco do Brasil test account
    (convênio of 7 digits, carteira 17 variação 019, which its remessa needs; fictitious
    agency and account). Returns (method, account)."""
    method = db.session.scalar(select(PaymentMethod).where(PaymentMethod.name == "Boleto"))
    method.issues_boleto = True
    account = BillingAccount(
        name="Banco do Brasil (demonstração)", bank_code="001", agency="1234",
        agency_digit="5", account="123456", account_digit="7", carteira="17", modalidade="019",
        convenio="1234567", beneficiary_name="Loja Clientela Demonstração Ltda",
        beneficiary_document="11222333000181",
        beneficiary_address="Avenida Paulista, 1000 - Bela Vista - São Paulo/SP - 01310-100",
        instructions="Não receber após 30 dias do vencimento.\nMulta de 2% após o vencimento.",
        fine_percent=Decimal("2.00"), interest_percent_per_day=Decimal("0.0333"),
        pix_key="11222333000181", is_default=True, is_active=True,
    )  # fmt: skip
    db.session.add(account)
    db.session.flush()
    return method, account


def _demo_orders(admin: StaffUser) -> None:
    """Orders for Maria (paid, so she counts as an active client; the storefront's demo
    login shows them) and a quote for the bakery."""
    from portal.orders import service as orders
    from portal.orders.models import OrderStatus, OrderType
    from portal.orders.validation import ItemInput, OrderInput

    types = {t.name: t.id for t in db.session.scalars(select(OrderType))}
    statuses = {s.name: s.id for s in db.session.scalars(select(OrderStatus))}
    maria = db.session.scalar(select(Client).where(Client.email == DEMO_CLIENT_EMAIL))
    padaria = db.session.scalar(select(Client).where(Client.document == "11222333000181"))
    actor = orders.Actor.of_staff(admin)
    items = [
        ItemInput("CAF-500", "Café torrado 500 g", "2", "24.90"),
        ItemInput("ACU-1KG", "Açúcar cristal 1 kg", "3", "5.49", "0.50"),
    ]
    orders.create_order(
        maria.id, OrderInput(types["Pedido"], statuses["Pago"], items, shipping="15.00"), actor
    )
    more_items = [
        ItemInput("FIL-100", "Filtro de papel 103 (100 un.)", "1", "12.90"),
        ItemInput("CAN-BR", "Caneca branca 300 ml", "2", "29.00", "5.00"),
    ]
    boleto_method, account = _demo_billing()
    term = db.session.scalar(select(PaymentTerm).where(PaymentTerm.name == "30/60/90"))
    for status, shipping in (("Enviado", "22.50"), ("Aguardando pagamento", "0.00")):
        order = orders.create_order(
            maria.id,
            OrderInput(
                types["Pedido"], statuses[status], more_items, shipping=shipping,
                payment_method_id=boleto_method.id if status != "Enviado" else None,
                payment_term_id=term.id if status != "Enviado" else None,
            ),
            actor,
        )  # fmt: skip
    # The order awaiting payment is paid by boleto in 3 instalments: its Pagamento tab
    # (back office and storefront) has boletos to show.
    issuing.issue_for_order(
        order.id, actor_label=admin.display_name, staff_user_id=admin.id, account=account
    )
    orders.create_order(
        padaria.id, OrderInput(types["Orçamento"], statuses["Aguardando pagamento"], items), actor
    )
