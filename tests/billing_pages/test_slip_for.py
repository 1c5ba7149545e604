"""The printed boleto built from the stored one: beneficiary from its account, payer from the
order's client and billing address, the bank's "Agência / Código do beneficiário"."""

from datetime import date, timedelta
from decimal import Decimal

from portal import db
from portal.billing.models import BillingAccount, Boleto
from portal.billing.slip import agency_code, slip_for
from portal.clients import addresses


def _address(client_id, kind="padrao", street="Rua Augusta"):
    return addresses.add_address(
        client_id,
        addresses.AddressInput(
            kind, True, "01305-000", street, "1500", "Consolação", "São Paulo", "SP", "Loja 2"
        ),
        None,
    )


def test_a_slip_from_an_issued_boleto(app, account, boleto_order):
    client = account(name="Beatriz Nunes", document="52998224725")
    _order_id, boletos = boleto_order(
        client.id, fine_percent=Decimal("2"), interest_percent_per_day=Decimal("0.033")
    )
    with app.app_context():
        _address(client.id, "entrega", "Rua da Entrega")
        _address(client.id)
        db.session.commit()
        boleto = db.session.get(Boleto, boletos[1][0])
        slip = slip_for(boleto)
        assert (slip.bank_code, slip.bank_code_dv, slip.bank_name) == (
            "001",
            "001-9",
            "Banco do Brasil",
        )
        assert slip.barcode == boleto.barcode and slip.linha_digitavel == boleto.linha_digitavel
        assert slip.beneficiary_name == "Loja Exemplo Ltda"
        assert slip.beneficiary_document == "11222333000181"
        assert slip.agency_code == "1234-5 / 123456-7"
        assert slip.nosso_numero == boleto.nosso_numero_formatted
        assert slip.document_number == boleto.document_number
        assert (slip.document_date, slip.due_date) == (boleto.issued_on, boleto.due_date)
        assert slip.amount == Decimal("100.00") and (slip.instalment, slip.instalments) == (2, 3)
        assert slip.carteira == "17"
        assert (slip.payer_name, slip.payer_document) == ("Beatriz Nunes", "52998224725")
        # The billing address is the client's default one, not the delivery one.
        assert slip.payer_address == (
            "Rua Augusta, 1500, Loja 2, Consolação, São Paulo/SP, CEP 01305-000"
        )
        assert slip.instructions == [
            "Após o vencimento, cobrar multa de 2,00%.",
            "Após o vencimento, cobrar juros de 0,033% ao dia (R$ 0,03 por dia).",
        ]
        assert slip.pix_payload is None  # the account has no Pix key


def test_typed_instructions_win_and_a_pix_key_adds_the_pix_code(app, account, boleto_order):
    from portal.billing import pix

    client = account()
    _order_id, boletos = boleto_order(
        client.id,
        instructions="Não receber após 30 dias do vencimento.\n\nProtestar após 10 dias.",
        pix_key="11222333000181",
    )
    with app.app_context():
        boleto = db.session.get(Boleto, boletos[0][0])
        slip = slip_for(boleto)
        assert slip.instructions == [
            "Não receber após 30 dias do vencimento.",
            "Protestar após 10 dias.",
        ]
        fields = pix.parse(slip.pix_payload)
        assert fields["26"]["01"] == "11222333000181"
        assert fields["54"] == "100.00" and fields["60"] == "Sao Paulo"
        assert fields["62"]["05"] == f"BOLETO{boleto.id}"
        # Past due, the Pix of the original amount is not offered.
        boleto.due_date = date.today() - timedelta(days=5)
        assert slip_for(boleto).pix_payload is None


def test_agency_code_per_bank():
    def account(bank, **values):
        base = dict(agency="1234", agency_digit="", account="56789", account_digit="0",
                    convenio="", bank_code=bank)  # fmt: skip
        return BillingAccount(**{**base, **values})

    assert agency_code(account("341")) == "1234 / 56789-0"
    assert agency_code(account("237", agency_digit="8")) == "1234-8 / 56789-0"
    assert agency_code(account("104", convenio="123456")) == "1234 / 123456"
    assert agency_code(account("756", convenio="1234567")) == "1234 / 1234567"
    assert agency_code(account("033", convenio="7654321")) == "1234 / 7654321"


def test_a_gateway_boleto_prints_with_the_shop_as_beneficiary(app, account, make_order, staff):
    from portal.billing import gateway
    from portal.orders.service import Actor
    from portal.staff.models import StaffUser
    from tests.billing.conftest import VALID

    client = account(name="Paulo Reis")
    order_id = make_order(client.id)
    vector = next(v for v in VALID if v["value_cents"])
    app.config.update(CLIENTELA_SHOP_NAME="Loja da Esquina", CLIENTELA_SHOP_CNPJ="11222333000181")
    with app.app_context():
        actor = Actor.of_staff(db.session.get(StaffUser, staff.id))
        boleto, _created = gateway.register(
            order_id,
            vector["linha_digitavel"],
            date.fromisoformat(vector["due_date"]),
            Decimal(vector["value_cents"]) / 100,
            actor,
            today=date.fromisoformat(vector["due_date"]),
        )
        db.session.commit()
        slip = slip_for(boleto)
        assert slip.beneficiary_name == "Loja da Esquina"
        assert slip.barcode == vector["barcode"] and slip.payer_name == "Paulo Reis"
        assert slip.agency_code == "" and slip.pix_payload is None
