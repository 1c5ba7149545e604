"""Back-office forms for orders and their lists; every rule lives in `rules`/`service`."""

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
)

from portal.clients.addresses import describe_address
from portal.clients.forms import optional_int
from portal.errors import DomainError, InvalidInput
from portal.i18n import _l
from portal.orders import rules
from portal.orders.models import Order
from portal.orders.validation import ItemInput, OrderInput


def _br(value) -> str:
    """1234.50 -> "1234,50": how the form shows a stored decimal (the rules parse it back)."""
    return "" if value is None else format(value, "f").replace(".", ",")


ITEM_MAXLENGTH = {
    "code": rules.MAX_ITEM_CODE,
    "description": rules.MAX_ITEM_DESCRIPTION,
    "quantity": rules.MAX_NUMBER_TEXT,
    "unit_price": rules.MAX_NUMBER_TEXT,
    "discount": rules.MAX_NUMBER_TEXT,
}


class ItemForm(Form):
    code = StringField(_l("Code"), render_kw={"maxlength": ITEM_MAXLENGTH["code"]})
    description = StringField(
        _l("Description"), render_kw={"maxlength": ITEM_MAXLENGTH["description"]}
    )
    quantity = StringField(
        _l("Qty."),
        default="1",
        render_kw={"inputmode": "decimal", "maxlength": ITEM_MAXLENGTH["quantity"]},
    )
    unit_price = StringField(
        _l("Unit price (R$)"),
        render_kw={"inputmode": "decimal", "maxlength": ITEM_MAXLENGTH["unit_price"]},
    )
    discount = StringField(
        _l("Discount (R$)"),
        render_kw={"inputmode": "decimal", "maxlength": ITEM_MAXLENGTH["discount"]},
    )

    def is_blank(self) -> bool:
        fields = (self.code, self.description, self.unit_price, self.discount)
        return not any((f.data or "").strip() for f in fields)

    def to_input(self) -> ItemInput:
        return ItemInput(
            code=self.code.data,
            description=self.description.data,
            quantity=self.quantity.data,
            unit_price=self.unit_price.data,
            discount=self.discount.data,
            ref=self._prefix.rstrip("-") or None,
        )


class OrderForm(FlaskForm):
    item_maxlength = ITEM_MAXLENGTH  # for the item rows the template writes by hand
    type_id = SelectField(_l("Order type"), coerce=optional_int, validate_choice=False)
    status_id = SelectField(_l("Order status"), coerce=optional_int, validate_choice=False)
    delivery_address_id = SelectField(
        _l("Delivery address"), coerce=optional_int, validate_choice=False
    )
    payment_method_id = SelectField(
        _l("Payment method"), coerce=optional_int, validate_choice=False
    )
    payment_term_id = SelectField(_l("Payment term"), coerce=optional_int, validate_choice=False)
    shipping = StringField(_l("Shipping (R$)"), render_kw={"inputmode": "decimal", "maxlength": 30})
    items = FieldList(FormField(ItemForm), min_entries=0, max_entries=200)
    version = HiddenField()

    def fill_choices(self, types, statuses, addresses, methods, terms, order=None) -> None:
        def keep(entries, current_id):
            return [e for e in entries if e.is_active or e.id == current_id]

        none = [(None, "—")]
        self.type_id.choices = none + [(t.id, t.name) for t in keep(types, order and order.type_id)]
        self.status_id.choices = none + [
            (s.id, s.name) for s in keep(statuses, order and order.status_id)
        ]
        self.delivery_address_id.choices = none + [
            (a.id, describe_address(a))
            for a in keep(addresses, order and order.delivery_address_id)
        ]
        self.payment_method_id.choices = none + [
            (m.id, m.name) for m in keep(methods, order and order.payment_method_id)
        ]
        self.payment_term_id.choices = none + [
            (t.id, t.name) for t in keep(terms, order and order.payment_term_id)
        ]

    def load(self, order: Order) -> None:
        self.type_id.data = order.type_id
        self.status_id.data = order.status_id
        self.delivery_address_id.data = order.delivery_address_id
        self.payment_method_id.data = order.payment_method_id
        self.payment_term_id.data = order.payment_term_id
        self.shipping.data = _br(order.shipping)
        self.version.data = str(order.version)
        while len(self.items):
            self.items.pop_entry()
        for item in order.items:
            self.items.append_entry(
                {
                    "code": item.code,
                    "description": item.description,
                    "quantity": _br(item.quantity.normalize()),
                    "unit_price": _br(item.unit_price),
                    "discount": _br(item.discount),
                }
            )

    def attach_errors(self, exc: DomainError) -> None:
        """Show each error on its field; item errors (`order-items-3-code`) on their row."""
        rows = {entry.form._prefix.rstrip("-"): entry.form for entry in self.items}
        for error in exc.errors if isinstance(exc, InvalidInput) else [exc]:
            row, _, name = (error.field or "").rpartition("-")
            target = getattr(rows.get(row), name, None) if row in rows else None
            if target is None:
                error.attach_to(self)
            else:
                target.errors = [*(target.errors or ()), error.message]

    def expected_version(self) -> int:
        return optional_int(self.version.data) or 0

    def to_input(self) -> OrderInput:
        return OrderInput(
            type_id=self.type_id.data,
            status_id=self.status_id.data,
            items=[e.form.to_input() for e in self.items if not e.form.is_blank()],
            shipping=self.shipping.data,
            delivery_address_id=self.delivery_address_id.data,
            payment_method_id=self.payment_method_id.data,
            payment_term_id=self.payment_term_id.data,
        )
