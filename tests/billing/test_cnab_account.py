"""An account's remessa (boletos not yet sent, then marked sent) and retorno (registered,
paid, rejected; unknown and malformed rows reported; importing twice changes nothing)."""

from decimal import Decimal

import pytest

from portal import db
from portal.billing import cnab, issuing
from portal.billing.models import Boleto
from portal.errors import DomainError
from portal.orders.service import Actor
from portal.orders.validation import ItemInput
from tests.billing.test_cnab240 import caixa_t, header, record, trailers, u

CAIXA = {"bank_code": "104", "agency": "1234", "agency_digit": "5", "account": "123456",
         "carteira": "14", "convenio": "123456", "name": "Caixa"}  # fmt: skip
ACTOR = Actor(label="Equipe")


@pytest.fixture
def caixa_boletos(app, make_client, make_order, make_account, boleto_method):
    """Three boletos (30/60/90, R$ 300,00) of a Caixa account: (account id, boleto ids)."""
    account_id = make_account(**CAIXA)
    order_id = make_order(
        make_client(document="52998224725").id,
        items=[ItemInput("SKU", "Camiseta", "1", "300.00")],
        payment_method_id=boleto_method["method"],
        payment_term_id=boleto_method["term"]["30,60,90"],
    )
    with app.app_context():
        ids = [b.id for b in issuing.issue_for_order(order_id, actor_label="Equipe").boletos]
        db.session.commit()
    return account_id, order_id, ids


def test_remessa_sends_each_boleto_once(app, caixa_boletos):
    account_id, _order_id, ids = caixa_boletos
    with app.app_context():
        remessa = cnab.build_remessa_for_account(account_id, ACTOR)
        db.session.commit()
        lines = remessa.text.split("\r\n")[:-1]
        assert all(len(line) == 240 for line in lines)
        # file header, batch header, P + Q per boleto, batch trailer, file trailer
        assert len(lines) == 2 + 2 * 3 + 2
        segments_p = [line for line in lines if line[7] == "3" and line[13] == "P"]
        assert [line[40:57] for line in segments_p] == [
            db.session.get(Boleto, i).nosso_numero for i in ids
        ]
        assert remessa.file_number == 1 and remessa.file_name.startswith("remessa-104-000001")
        boleto = db.session.get(Boleto, ids[0])
        assert boleto.sent_in_remessa_at is not None and boleto.status == "emitido"
        assert "remessa" in boleto.events[-1].note
        with pytest.raises(DomainError, match="Não há boletos a enviar"):
            cnab.build_remessa_for_account(account_id, ACTOR)


BB = {"modalidade": "019"}  # the factory's account: BB, convênio 1234567, carteira 17
SICOOB = {"bank_code": "756", "agency": "4434", "agency_digit": "0", "account": "77426",
          "account_digit": "0", "carteira": "1", "convenio": "1199870", "modalidade": "01",
          "name": "Sicoob"}  # fmt: skip
BRADESCO = {"bank_code": "237", "agency": "1234", "agency_digit": "5", "account": "1234567",
            "account_digit": "8", "carteira": "09", "convenio": "", "name": "Bradesco"}  # fmt: skip
ITAU = {"bank_code": "341", "agency": "1234", "agency_digit": "", "account": "12345",
        "account_digit": "6", "carteira": "109", "convenio": "", "name": "Itaú"}  # fmt: skip
ACCOUNTS = {"001": BB, "237": BRADESCO, "341": ITAU, "756": SICOOB}


def _issue(app, make_client, make_order, boleto_method, account_id):
    order_id = make_order(
        make_client(document="52998224725").id,
        items=[ItemInput("SKU", "Camiseta", "1", "300.00")],
        payment_method_id=boleto_method["method"],
        payment_term_id=boleto_method["term"]["30,60,90"],
    )
    with app.app_context():
        ids = [b.id for b in issuing.issue_for_order(order_id, actor_label="Equipe").boletos]
        db.session.commit()
    return ids


def _t(bank, seq, movement, field, value=10000, fees=0, reasons=""):
    """A segment T of `bank` with its nosso número field (38-57) as the bank writes it."""
    return record(bank, 1, "3", (9, 13, seq), (14, 14, "T"), (16, 17, movement),
                  (38, 57, field), (59, 73, "P1"), (74, 81, "28122026"), (82, 96, value),
                  (199, 213, fees), (214, 223, reasons))  # fmt: skip


@pytest.mark.parametrize("bank", ["001", "237", "341", "756"])
def test_bb_bradesco_itau_sicoob_remessa_then_retorno(app, make_client, make_order, make_account,
                                            boleto_method, bank):  # fmt: skip
    account_id = make_account(**ACCOUNTS[bank])
    ids = _issue(app, make_client, make_order, boleto_method, account_id)
    with app.app_context():
        remessa = cnab.build_remessa_for_account(account_id, ACTOR)
        db.session.commit()
        lines = remessa.text.split("\r\n")[:-1]
        assert all(len(line) == 240 for line in lines) and len(lines) == 2 + 2 * 3 + 2
        assert lines[0][:3] == bank and lines[-2][17:29] == "000008000003"
        boletos = [db.session.get(Boleto, i) for i in ids]
        fields = [line[37:57] for line in lines if line[7] == "3" and line[13] == "P"]
        if bank == "001":  # 17 digits: convênio 1234567 + sequence of 10, no DV
            expected = [b.nosso_numero.ljust(20) for b in boletos]
        elif bank == "341":  # carteira 109, nosso número 8 + DAC, 8 blanks
            expected = [f"109{b.nosso_numero}{b.nosso_numero_dv}        " for b in boletos]
        elif bank == "237":  # carteira 009, 00000, nosso número 11 + DV
            expected = [f"00900000{b.nosso_numero}{b.nosso_numero_dv}" for b in boletos]
        else:  # 9 digits + DV, parcela 01, modalidade 01, formulário 4
            expected = [f"{b.nosso_numero:0>9}{b.nosso_numero_dv}01014     " for b in boletos]
        assert fields == expected
        first, second, third = fields
        data = "\r\n".join([
            header(bank),
            record(bank, 1, "1", (9, 9, "R")),
            _t(bank, 1, "02", first),
            u(bank, 2, "02"),
            _t(bank, 3, "06", second, fees=195),
            u(bank, 4, "06", paid=10200, interest=200, occurred="05012027", credited="06012027"),
            _t(bank, 5, "03", third, reasons="16"),
            u(bank, 6, "03"),
            *trailers(bank, 6),
        ]).encode("latin-1")  # fmt: skip
        report = cnab.import_retorno(account_id, data, ACTOR)
        db.session.commit()
        assert (report.changed, report.unchanged, report.problems) == (3, 0, 0)
        db.session.expire_all()
        first, second, third = (db.session.get(Boleto, i) for i in ids)
        assert first.status == "registrado"
        assert (second.status, second.paid_amount, second.fees, str(second.paid_on)) == (
            "pago", Decimal("102.00"), Decimal("1.95"), "2027-01-05")  # fmt: skip
        assert third.status == "rejeitado" and third.reject_reason.startswith("16")
        versions = [b.version for b in (first, second, third)]
        again = cnab.import_retorno(account_id, data, ACTOR)
        db.session.commit()
        assert (again.changed, again.unchanged, again.problems) == (0, 3, 0)
        db.session.expire_all()
        assert [db.session.get(Boleto, i).version for i in ids] == versions


def _retorno(seqs):
    """A Caixa return: first boleto registered, second paid, third rejected, one unknown,
    one line cut short."""
    first, second, third = (int(n[2:]) for n in seqs)
    lines = [
        header("104"),
        record("104", 1, "1", (9, 9, "T")),
        caixa_t(1, "02", first, 10000),
        u("104", 2, "02"),
        caixa_t(3, "06", second, 10000, fees=250),
        u("104", 4, "06", paid=10120, interest=120, occurred="10112026", credited="11112026"),
        caixa_t(5, "03", third, 10000, reasons="0848"),
        u("104", 6, "03"),
        caixa_t(7, "02", 999, 10000),
        u("104", 8, "02"),
        caixa_t(9, "06", first, 10000)[:200],
        u("104", 10, "06", paid=10000),
        *trailers("104", 10),
    ]
    return "\r\n".join(lines).encode("latin-1")


def test_retorno_marks_rows_and_a_second_import_changes_nothing(app, caixa_boletos):
    account_id, _order_id, ids = caixa_boletos
    with app.app_context():
        numbers = [db.session.get(Boleto, i).nosso_numero for i in ids]
        data = _retorno(numbers)
        report = cnab.import_retorno(account_id, data, ACTOR)
        db.session.commit()
        assert (report.changed, report.unchanged, report.problems) == (3, 0, 2)
        first, second, third = (db.session.get(Boleto, i) for i in ids)
        assert first.status == "registrado"
        assert (second.status, second.paid_amount, second.fees) == (
            "pago", Decimal("101.20"), Decimal("2.50"))  # fmt: skip
        assert str(second.paid_on) == "2026-11-10"
        assert third.status == "rejeitado" and third.reject_reason.startswith("08")
        messages = [line.message for line in report.lines if line.outcome == cnab.PROBLEM]
        assert any("14000000000000999" in m for m in messages)
        assert any("Line 11" in m or "11" in m for m in messages)
        versions = [b.version for b in (first, second, third)]
        again = cnab.import_retorno(account_id, data, ACTOR)
        db.session.commit()
        assert (again.changed, again.unchanged, again.problems) == (0, 3, 2)
        db.session.expire_all()
        assert [db.session.get(Boleto, i).version for i in ids] == versions


def test_garbage_is_reported_never_raised(app, caixa_boletos):
    account_id = caixa_boletos[0]
    with app.app_context():
        for data in (b"", b"\x00\xff" * 300, b"x" * 240, "é".encode() * 500):
            report = cnab.import_retorno(account_id, data, ACTOR)
            assert report.problems >= 1 and report.changed == 0
