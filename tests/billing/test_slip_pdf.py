"""The boleto PDF as the payer and the cashier read it: its text and its barcode."""

from datetime import date
from decimal import Decimal

from portal.billing import pix
from portal.billing.banks import Account, issue
from portal.billing.slip import Slip, bank_code_dv, format_linha, render_boleto_pdf
from tests.billing.rendering import decode, pdf_images, pdf_text, rasterise

ACCOUNT = Account("341", agencia="1234", conta="56789", conta_dv="0", carteira="109")


def make_slip(number: int = 1, count: int = 1, **overrides) -> Slip:
    due = date(2027, 6, 18 + number)
    issued = issue(ACCOUNT, 223349 + number, due, Decimal("600.00"))
    values = dict(
        bank_code="341",
        barcode=issued.code.barcode,
        beneficiary_name="Loja Exemplo Ltda",
        beneficiary_document="11222333000181",
        beneficiary_address="Avenida Paulista, 1000, Bela Vista, São Paulo/SP, CEP 01310-100",
        agency_code="1234 / 56789-0",
        nosso_numero=issued.nosso_numero.formatted,
        document_number=f"000123/{number}",
        document_date=date(2027, 5, 1),
        processing_date=date(2027, 5, 2),
        due_date=due,
        amount=Decimal("600.00"),
        payer_name="Maria da Silva",
        payer_document="52998224725",
        payer_address="Rua das Flores, 10, Centro, Campinas/SP, CEP 13010-000",
        carteira="109",
        instructions=["Após o vencimento cobrar multa de 2,00%.", "Juros de 0,033% ao dia."],
        instalment=number,
        instalments=count,
    )
    values.update(overrides)
    return Slip(**values)


def test_bank_codes_carry_their_check_digit():
    assert [bank_code_dv(c) for c in ("001", "033", "104", "237", "341", "756")] == [
        "001-9",
        "033-7",
        "104-0",
        "237-2",
        "341-7",
        "756-0",
    ]


def test_the_pdf_holds_every_mandatory_field_in_portuguese(ctx):
    slip = make_slip()
    [page] = pdf_text(render_boleto_pdf([slip]))
    linha = format_linha(slip.linha_digitavel)
    assert linha == "34191.09008 22335.021238 45678.900007 7 18470000060000"
    assert page.count(linha) == 2  # recibo do pagador and ficha de compensação
    assert page.count("341-7") == 2
    for text in (
        "Recibo do pagador",
        "Ficha de Compensação",
        "Corte na linha pontilhada",
        "Local de pagamento",
        "Pagável em qualquer banco, mesmo após o vencimento",
        "Beneficiário",
        "Loja Exemplo Ltda · CNPJ 11.222.333/0001-81",
        "Avenida Paulista, 1000, Bela Vista, São Paulo/SP, CEP 01310-100",
        "Agência / Código do beneficiário",
        "1234 / 56789-0",
        "Nosso número",
        "109/00223350-2",
        "Nº do documento",
        "000123/1",
        "Data do documento",
        "01/05/2027",
        "Data do processamento",
        "02/05/2027",
        "Vencimento",
        "19/06/2027",
        "(=) Valor do documento",
        "600,00",
        "Espécie doc.",
        "DM",
        "Aceite",
        "Carteira",
        "R$",
        "Instruções",
        "Após o vencimento cobrar multa de 2,00%.",
        "Pagador",
        "Maria da Silva · CPF 529.982.247-25",
        "Rua das Flores, 10, Centro, Campinas/SP, CEP 13010-000",
        "Sacador/Avalista",
        "Autenticação mecânica",
        "(-) Desconto / Abatimento",
        "(+) Mora / Multa",
        "(=) Valor cobrado",
    ):
        assert text in page, text


def test_the_barcode_in_the_pdf_is_vector_and_decodes_to_the_44_digits(ctx):
    slip = make_slip()
    body = render_boleto_pdf([slip])
    assert pdf_images(body) == []
    found = decode(rasterise(body))
    assert [f.text for f in found] == [slip.barcode]


def test_one_page_per_instalment_each_with_its_own_code(ctx):
    slips = [make_slip(n, 3) for n in (1, 2, 3)]
    body = render_boleto_pdf(slips)
    pages = pdf_text(body)
    assert len(pages) == 3
    for number, (page, slip) in enumerate(zip(pages, slips, strict=True), start=1):
        assert f"Parcela {number} de 3" in page
        assert slip.formatted_linha in page
        assert [f.text for f in decode(rasterise(body, page=number, dpi=200))] == [slip.barcode]
    assert len({s.barcode for s in slips}) == 3


def test_the_pix_qr_code_beside_the_boleto_decodes_to_its_payload(ctx):
    import zxingcpp

    payload = pix.brcode(
        "fulano@example.com", "Loja Exemplo", "Sao Paulo", Decimal("600.00"), "PEDIDO123P1"
    )
    body = render_boleto_pdf([make_slip(pix_payload=payload)])
    [page] = pdf_text(body)
    assert "Pague com Pix" in page
    image = rasterise(body)
    assert [f.text for f in decode(image, zxingcpp.BarcodeFormat.QRCode)] == [payload]
    assert len(decode(image)) == 1  # the boleto's barcode is still there


def test_text_from_the_database_is_escaped(ctx):
    body = render_boleto_pdf([make_slip(payer_name="<b>Maria</b> & Cia")])
    assert "<b>Maria</b> & Cia" in pdf_text(body)[0]


def test_a_boleto_without_due_date_says_on_presentation(ctx):
    slip = make_slip(due_date=None)
    assert "Contra apresentação" in pdf_text(render_boleto_pdf([slip]))[0]
