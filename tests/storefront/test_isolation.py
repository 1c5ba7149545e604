"""A client never reaches another client's order, document, address or download: every
storefront route of the URL map, walked with another client's ids, answers 404."""

from flask import url_for
from sqlalchemy import select

from portal import db
from portal.clients import addresses
from portal.clients.models import Address


def _address(app, client_id: int) -> int:
    with app.app_context():
        address = addresses.add_address(
            client_id,
            addresses.AddressInput(
                "entrega",
                True,
                "20040-020",
                "Rua da Assembleia",
                "10",
                "Centro",
                "Rio de Janeiro",
                "RJ",
            ),
            None,
        )
        db.session.commit()
        return address.id


def _boleto(app, order_id: int, client_id: int) -> int:
    """A boleto of the owner's order (issued on a Banco do Brasil account)."""
    from datetime import date
    from decimal import Decimal

    from portal.billing.banks import issue
    from portal.billing.models import BillingAccount, Boleto

    with app.app_context():
        account = BillingAccount(
            name="BB",
            bank_code="001",
            agency="1234",
            account="5678",
            convenio="1234567",
            carteira="17",
            beneficiary_name="Loja",
            beneficiary_document="11222333000181",
        )
        db.session.add(account)
        db.session.flush()
        issued = issue(account.bank_account(), 1, date(2026, 12, 10), Decimal("20.00"))
        boleto = Boleto(
            account_id=account.id,
            order_id=order_id,
            client_id=client_id,
            nosso_numero=issued.nosso_numero.digits,
            issued_on=date(2026, 11, 10),
            due_date=date(2026, 12, 10),
            amount=Decimal("20.00"),
            barcode=issued.code.barcode,
            linha_digitavel=issued.code.linha_digitavel,
        )
        db.session.add(boleto)
        db.session.commit()
        return boleto.id


def test_every_route_answers_404_to_another_clients_ids(app, signed_in, make_order):
    owner_browser, owner = signed_in()
    intruder, _other = signed_in()
    order_id = make_order(owner.id)
    values = {
        "order_id": order_id,
        "boleto_id": _boleto(app, order_id, owner.id),
        "address_id": _address(app, owner.id),
        "fmt": "pdf",
        "token": "nao-e-um-token",
    }
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("clientela_storefront.")]
    walked = []
    for rule in rules:
        assert rule.arguments <= values.keys(), f"new route argument in {rule}: add it here"
        if not rule.arguments:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = intruder.open(url, method=method, data={"address-street": "Invadida"})
            assert response.status_code == 404, (method, url, response.status_code)
            walked.append((method, rule.endpoint))
    endpoints = {endpoint for _method, endpoint in walked}
    assert {
        "clientela_storefront.order",
        "clientela_storefront.order_document",
        "clientela_storefront.address_edit",
        "clientela_storefront.address_deactivate",
        "clientela_storefront.boleto_pdf",
        "clientela_storefront.boleto_resend",
        "clientela_storefront.second_copy",
    } <= endpoints
    # Nothing of the owner's changed, and the owner still sees it all.
    with app.app_context():
        address = db.session.scalar(select(Address).where(Address.id == values["address_id"]))
        assert address.is_active and address.street == "Rua da Assembleia"
    assert owner_browser.get(f"/conta/pedidos/{values['order_id']}").status_code == 200
    assert (
        owner_browser.get(f"/conta/meus-dados/enderecos/{values['address_id']}").status_code == 200
    )


def test_private_routes_need_a_signed_in_client(app, http):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("clientela_storefront.")]
    public = {
        "home",
        "login",
        "logout",
        "signup",
        "confirm_email",
        "forgot_password",
        "reset_password",
        "set_password",
        "second_copy",  # the boleto's second copy: a signed link instead of a sign-in
        "second_copy_pdf",
        "visit_pixel",  # visit tracking for pages served elsewhere (portal/visits)
        "visit_script",
    }
    for rule in rules:
        if rule.endpoint.split(".")[1] in public:
            continue
        with app.test_request_context():
            url = url_for(
                rule.endpoint, **{k: 1 if k.endswith("_id") else "pdf" for k in rule.arguments}
            )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = http.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert "/conta/entrar" in response.location
