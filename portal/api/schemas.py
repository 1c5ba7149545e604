"""API shapes for clients and orders (requests and answers): the OpenAPI schemas come from here.

Field names are English snake_case; money and quantities travel as decimal strings ("12.34").
"""

from portal.api.shapes import Array, Bool, Decimal_, Int, Obj, Query, Shape, Str
from portal.api.spec import Registry
from portal.orders.service import MAX_BATCH

TEXT = 1000  # raw length accepted by the shape; the domain rules give the friendly limit
ID = Int(nullable=True)
ID_REQUIRED = Int(nullable=False)
DATE_TIME = Str(max_length=40, nullable=False, format="date-time")
DATE_TIME_NULL = Str(max_length=40, format="date-time")
MONEY_OUT = Str(max_length=20, nullable=False, pattern=r"^\d+\.\d{2}$")


def page_query(max_page_size: int) -> Query:
    return Query(
        {
            "page": Int(minimum=1, maximum=10_000),
            "per_page": Int(minimum=1, maximum=max_page_size),
        }
    )


def client_list_query(max_page_size: int) -> Query:
    """The list page's filters, by the same names the code uses (portal.clients.listing)."""
    ids = "Id de %s (veja as listas do back office)."
    return Query(
        {
            "q": Str(
                max_length=200,
                description="Nome (qualquer parte), CPF/CNPJ (início), "
                "e-mail (início) ou telefone.",
            ),
            "group": Str(max_length=10, enum=("active", "lead", "contact", "inactive")),
            "status_id": Int(description=ids % "Situação"),
            "kind": Str(max_length=2, enum=("PF", "PJ")),
            "profile_id": Int(description=ids % "Perfil de Cliente"),
            "seller_id": Int(description=ids % "Vendedor"),
            "tag_id": Int(description=ids % "etiqueta"),
            "is_supplier": Bool(),
            "has_conflict": Bool(),
            "created_from": Str(max_length=10, format="date"),
            "created_to": Str(max_length=10, format="date"),
            "sort": Str(max_length=20, enum=("name", "created", "last_purchase")),
            "cursor": Str(max_length=500, description="next_cursor da página anterior."),
            "per_page": Int(minimum=1, maximum=max_page_size),
        }
    )


PHONE_IN = Obj(
    {
        "number": Str(max_length=40, nullable=False),
        "kind": Str(max_length=TEXT),
        "consent_sms": Bool(),
        "consent_whatsapp": Bool(),
        "consent_viber": Bool(),
    },
    required=("number",),
)
ADDRESS_FIELDS = {
    "kind": Str(max_length=10, nullable=False, enum=("padrao", "entrega")),
    "is_active": Bool(),
    "cep": Str(max_length=20),
    "street": Str(max_length=TEXT),
    "number": Str(max_length=100),
    "complement": Str(max_length=TEXT),
    "district": Str(max_length=TEXT),
    "city": Str(max_length=TEXT),
    "uf": Str(max_length=10),
}
ADDRESS_IN = Obj(ADDRESS_FIELDS, required=("cep", "street", "number", "district", "city", "uf"))
ADDRESS_PATCH = Obj({**ADDRESS_FIELDS, "version": ID})
CONTACT_IN = Obj(
    {
        "name": Str(max_length=TEXT),
        "role": Str(max_length=TEXT),
        "email": Str(max_length=TEXT),
        "notes": Str(max_length=5 * TEXT),
        "phones": Array(PHONE_IN, max_items=20),
    },
    required=("name",),
)
CLIENT_FIELDS = {
    "name": Str(max_length=TEXT),
    "kind": Str(max_length=2, nullable=False, enum=("PF", "PJ")),
    "status_id": ID,
    "status": Str(max_length=60, description="Nome da Situação (alternativa a status_id)."),
    "trade_name": Str(max_length=TEXT),
    "document": Str(max_length=30, description="CPF ou CNPJ, com ou sem máscara."),
    "ie_indicator": Str(
        max_length=20, nullable=False, enum=("contribuinte", "isento", "nao_contribuinte")
    ),
    "state_registration": Str(max_length=30),
    "email": Str(max_length=TEXT),
    "password": Str(max_length=200, description="Senha da loja (nunca devolvida)."),
    "birth_date": Str(max_length=10, format="date"),
    "notes": Str(max_length=10 * TEXT),
    "tags": Array(Str(max_length=TEXT, nullable=False), max_items=50),
    "is_supplier": Bool(),
    "has_conflict": Bool(),
    "email_consent": Bool(),
    "phones": Array(PHONE_IN, max_items=20),
    "profile_id": ID,
    "seller_id": ID,
    "payment_method_id": ID,
    "payment_term_id": ID,
}
CLIENT_IN = Obj(
    {
        **CLIENT_FIELDS,
        "addresses": Array(ADDRESS_IN, max_items=20),
        "contacts": Array(CONTACT_IN, max_items=20),
    },
    required=("name",),
)
CLIENT_PATCH = Obj(
    {
        **CLIENT_FIELDS,
        "version": Int(description="A versão lida; se outra requisição gravou antes, 409."),
    }
)

PHONE_OUT = Obj(
    {
        "number": Str(max_length=20, nullable=False),
        "kind": Str(max_length=40, nullable=False),
        "consent_sms": Bool(),
        "consent_whatsapp": Bool(),
        "consent_viber": Bool(),
    },
    required=("number", "kind", "consent_sms", "consent_whatsapp", "consent_viber"),
)
ADDRESS_OUT = Obj(
    {
        "id": ID_REQUIRED,
        "kind": Str(max_length=10, nullable=False),
        "is_active": Bool(),
        "cep": Str(max_length=8, nullable=False),
        "street": Str(max_length=200, nullable=False),
        "number": Str(max_length=20, nullable=False),
        "complement": Str(max_length=120),
        "district": Str(max_length=120, nullable=False),
        "city": Str(max_length=120, nullable=False),
        "uf": Str(max_length=2, nullable=False),
        "version": ID_REQUIRED,
    },
    required=("id", "kind", "is_active", "cep", "street", "number", "district", "city", "uf"),
)
CONTACT_OUT = Obj(
    {
        "id": ID_REQUIRED,
        "name": Str(max_length=200, nullable=False),
        "role": Str(max_length=120),
        "email": Str(max_length=254),
        "notes": Str(max_length=2000),
        "phones": Array(PHONE_OUT, max_items=20),
        "version": ID_REQUIRED,
    },
    required=("id", "name", "phones"),
)


def register_client_components(registry: Registry) -> dict:
    client_out = Obj(
        {
            "id": ID_REQUIRED,
            "kind": Str(max_length=2, nullable=False, enum=("PF", "PJ")),
            "name": Str(max_length=200, nullable=False),
            "trade_name": Str(max_length=200),
            "document": Str(max_length=14, description="Sem máscara."),
            "email": Str(max_length=254),
            "status_id": ID_REQUIRED,
            "status": Str(max_length=60, nullable=False),
            "ie_indicator": Str(max_length=20, nullable=False),
            "state_registration": Str(max_length=20),
            "birth_date": Str(max_length=10, format="date"),
            "notes": Str(max_length=5000),
            "tags": Array(Str(max_length=60, nullable=False), max_items=50),
            "is_supplier": Bool(),
            "has_conflict": Bool(),
            "email_consent": Bool(),
            "has_password": Bool(),
            "phones": Array(registry.component("Phone", PHONE_OUT), max_items=20),
            "addresses": Array(registry.component("Address", ADDRESS_OUT), max_items=1000),
            "contacts": Array(registry.component("Contact", CONTACT_OUT), max_items=1000),
            "profile_id": ID,
            "seller_id": ID,
            "payment_method_id": ID,
            "payment_term_id": ID,
            "origin": Str(max_length=20, nullable=False),
            "first_purchase_at": DATE_TIME_NULL,
            "last_purchase_at": DATE_TIME_NULL,
            "created_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "version": ID_REQUIRED,
        },
        required=("id", "kind", "name", "document", "email", "status", "phones", "addresses",
                  "contacts", "tags", "version"),
    )  # fmt: skip
    client = registry.component("Client", client_out)
    page = registry.component(
        "ClientPage",
        Obj(
            {
                "items": Array(client, max_items=1000),
                "per_page": ID_REQUIRED,
                "has_next": Bool(),
                "next_cursor": Str(max_length=500),
            },
            required=("items", "per_page", "has_next", "next_cursor"),
        ),
    )
    return {
        "client": client,
        "page": page,
        "address": registry.component("Address", ADDRESS_OUT),
        "contact": registry.component("Contact", CONTACT_OUT),
        "client_in": registry.component("ClientInput", CLIENT_IN),
        "client_patch": registry.component("ClientPatch", CLIENT_PATCH),
    }


# Orders ------------------------------------------------------------------------------------

ITEM_IN = Obj(
    {
        "code": Str(max_length=TEXT),
        "description": Str(max_length=TEXT),
        "quantity": Decimal_(nullable=False),
        "unit_price": Decimal_(nullable=False),
        "discount": Decimal_(),
    },
    required=("code", "description", "quantity", "unit_price"),
)
ORDER_IN = Obj(
    {
        "client_id": ID_REQUIRED,
        "type_id": Int(description="Tipo de Pedido; padrão: o primeiro ativo (Pedido)."),
        "status_id": Int(description="Situação; padrão: a primeira ativa da lista."),
        "items": Array(ITEM_IN, max_items=200),
        "shipping": Decimal_(),
        "delivery_address_id": Int(description="Um endereço ativo do cliente; padrão: o padrão."),
        "payment_method_id": Int(description="Padrão: a Forma de Pagamento do cliente."),
        "payment_term_id": Int(description="Padrão: o Prazo de Pagamento do cliente."),
    },
    required=("client_id", "items"),
)


def order_batch_in(order_in: Shape) -> Obj:
    return Obj(
        {
            "orders": Array(
                order_in,
                min_items=1,
                max_items=MAX_BATCH,
                noun="pedidos por lote",
                description="Validados um a um como em POST /orders; um erro em qualquer "
                "pedido recusa o lote inteiro.",
            )
        },
        required=("orders",),
    )


STATUS_IN = Obj({"status_id": ID_REQUIRED, "version": Int()}, required=("status_id",))
ITEM_OUT = Obj(
    {
        "code": Str(max_length=60, nullable=False),
        "description": Str(max_length=300, nullable=False),
        "quantity": Str(max_length=20, nullable=False, pattern=r"^\d+(\.\d{1,3})?$"),
        "unit_price": MONEY_OUT,
        "discount": MONEY_OUT,
        "total": MONEY_OUT,
    },
    required=("code", "description", "quantity", "unit_price", "discount", "total"),
)
STATUS_CHANGE_OUT = Obj(
    {
        "at": DATE_TIME,
        "by": Str(max_length=200, nullable=False),
        "from_status_id": ID,
        "from_status": Str(max_length=60),
        "to_status_id": ID_REQUIRED,
        "to_status": Str(max_length=60, nullable=False),
    },
    required=("at", "by", "from_status_id", "to_status_id", "to_status"),
)
ORDER_OUT = Obj(
    {
        "id": ID_REQUIRED,
        "number": ID_REQUIRED,
        "display_number": Str(max_length=20, nullable=False, pattern=r"^#\d{6,}$"),
        "client_id": ID_REQUIRED,
        "type_id": ID_REQUIRED,
        "type": Str(max_length=60, nullable=False),
        "status_id": ID_REQUIRED,
        "status": Str(max_length=60, nullable=False),
        "counts_as_purchase": Bool(),
        "items": Array(ITEM_OUT, max_items=200),
        "item_count": Int(minimum=0, nullable=False),
        "items_total": MONEY_OUT,
        "discount_total": MONEY_OUT,
        "shipping": MONEY_OUT,
        "total": MONEY_OUT,
        "delivery_address_id": ID,
        "payment_method_id": ID,
        "payment_term_id": ID,
        "origin": Str(max_length=20, nullable=False),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "version": ID_REQUIRED,
        "status_history": Array(STATUS_CHANGE_OUT, max_items=10_000),
    },
    required=("id", "number", "client_id", "type_id", "status_id", "items", "total",
              "created_at", "updated_at", "version"),
)  # fmt: skip
LIST_ENTRY_OUT = Obj(
    {
        "id": ID_REQUIRED,
        "name": Str(max_length=60, nullable=False),
        "position": Int(minimum=None, maximum=None, nullable=False),
        "is_active": Bool(),
        "counts_as_purchase": Bool(),
    },
    required=("id", "name", "position", "is_active"),
)
