"""The list page's faster rendering helpers write exactly what the stock ones wrote."""

from datetime import UTC, date, datetime, timedelta

import phonenumbers
import pytest
from flask_babel import format_date
from werkzeug.datastructures import MultiDict
from wtforms.widgets import Select

from portal.brazil.phones import format_phone
from portal.clients.forms import BulkActionForm, ClientListForm
from portal.formatting import date_br

pytestmark = pytest.mark.usefixtures("ctx")


def test_list_selects_render_the_same_html_as_wtforms_select(app):
    with app.test_request_context("/admin/clientes?situacao=2&tipo=PF&etiqueta=3&ordem=created"):
        form = ClientListForm(MultiDict({"situacao": "2", "tipo": "PF", "ordem": "created"}))
        form.situacao.choices = [(None, "Todas"), (1, "Ativo & <b>"), (2, 'Ina"tivo')]
        form.perfil.choices = [(None, "Todos")]
        form.vendedor.choices = [(None, "Todos"), (4, "Zé")]
        form.etiqueta.choices = [(None, "Todas"), (3, "vip")]
        bulk = BulkActionForm(formdata=None)
        bulk.status_id.choices = form.situacao.choices[1:]
        bulk.seller_id.choices = form.vendedor.choices
        selects = [f for f in (*form, *bulk) if f.type == "SelectField"]
        assert len(selects) == 12
        for field in selects:
            attrs = {"class_": "form-select", "data_bulk_action": "", "aria-label": "Ordem"}
            assert str(field(**attrs)) == str(Select()(field, **attrs))
        html = str(form.situacao())
        assert "Ativo &amp; &lt;b&gt;" in html and "Ina&#34;tivo" in html
        assert '<option selected value="2">' in html


def test_dates_read_as_babel_wrote_them_in_sao_paulo_time(app):
    with app.test_request_context():
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for minutes in range(-600_000, 600_000, 7_919):
            moment = start + timedelta(minutes=minutes)
            for value in (moment, moment.replace(tzinfo=None), moment.date()):
                assert date_br(value) == format_date(value, "dd/MM/yyyy")
        assert date_br(datetime(2026, 1, 1, 1, 0, tzinfo=UTC)) == "31/12/2025"  # 22h in SP
        assert date_br(date(2026, 3, 9)) == "09/03/2026" and date_br(None) == ""


def test_phone_format_is_remembered_but_unchanged():
    for number in ("+5511987654321", "+551133334444", "+12125550100", "+5508001234567", "x"):
        try:
            parsed = phonenumbers.parse(number, "BR")
        except phonenumbers.NumberParseException:
            assert format_phone(number) == number
            continue
        style = phonenumbers.PhoneNumberFormat
        expected = phonenumbers.format_number(
            parsed, style.NATIONAL if parsed.country_code == 55 else style.INTERNATIONAL
        )
        assert format_phone(number) == format_phone(number) == expected
    assert format_phone("+5511987654321") == "(11) 98765-4321"
