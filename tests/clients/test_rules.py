"""The one rule set behind forms, API and imports: what passes, what is refused and why."""

import pytest

from portal.clients import rules
from portal.errors import DomainError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("529.982.247-25", "52998224725"),
        ("52998224725", "52998224725"),
        (" 529 982 247 25 ", "52998224725"),
        ("11.222.333/0001-81", "11222333000181"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35"),  # alphanumeric CNPJ (2026)
        ("12abc34501de35", "12ABC34501DE35"),
    ],
)
def test_valid_documents_are_stored_without_mask(typed, stored):
    assert rules.normalize_document(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("191", "você digitou 3"),  # validate-docbr would pad this into a "valid" CPF
        ("529.982.247-24", "CPF inválido"),
        ("111.111.111-11", "CPF inválido"),
        ("11.222.333/0001-82", "CNPJ inválido"),
        ("12.ABC.345/01DE-3A", "2 dígitos verificadores"),
        ("5299822472X", "só números"),
        ("1234567890123456", "você digitou 16"),
    ],
)
def test_invalid_documents_say_what_is_wrong(typed, message):
    with pytest.raises(DomainError) as error:
        rules.normalize_document(typed)
    assert message in error.value.message
    assert error.value.field == "document"


def test_empty_document_is_allowed_and_stored_as_none():
    assert rules.normalize_document("  ") is None


def test_document_must_match_person_kind():
    with pytest.raises(DomainError, match="Pessoa Física usa CPF"):
        rules.check_document_matches_kind("11222333000181", "PF")
    with pytest.raises(DomainError, match="Pessoa Jurídica usa CNPJ"):
        rules.check_document_matches_kind("52998224725", "PJ")


def test_documents_are_shown_with_the_brazilian_mask():
    assert rules.format_document("52998224725") == "529.982.247-25"
    assert rules.format_document("12ABC34501DE35") == "12.ABC.345/01DE-35"


@pytest.mark.parametrize("typed", ["", "   "])
def test_name_of_only_spaces_is_refused(typed):
    with pytest.raises(DomainError, match="Informe o Nome"):
        rules.clean_text(typed, "name", "o Nome/Razão social", 200, required=True)


def test_long_text_is_refused_with_the_limit_and_the_length():
    with pytest.raises(DomainError) as error:
        rules.clean_text("x" * 10_000, "name", "o nome", 200)
    assert "no máximo 200 caracteres (foram 10000)" in error.value.message


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "Loja <b>boa</b>", "<img src=x onerror=alert(1)>"]
)
def test_markup_is_refused(typed):
    with pytest.raises(DomainError, match="marcação HTML"):
        rules.clean_text(typed, "name", "o nome", 200)


def test_plain_text_with_symbols_is_kept():
    assert rules.clean_text("  Pão  &  Cia  <3 ", "name", "o nome", 200) == "Pão & Cia <3"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Fulano@Example.COM ", "fulano@example.com"), ("a.b+c@loja.com.br", "a.b+c@loja.com.br")],
)
def test_emails_are_normalised(typed, stored):
    assert rules.normalize_email(typed) == stored


@pytest.mark.parametrize("typed", ["fulano", "fulano@", "@loja.com", "a b@loja.com"])
def test_bad_emails_are_refused(typed):
    with pytest.raises(DomainError, match="E-mail inválido"):
        rules.normalize_email(typed)


def test_cep_and_uf():
    assert rules.normalize_cep("01310-100") == "01310100"
    assert rules.format_cep("01310100") == "01310-100"
    with pytest.raises(DomainError, match="8 dígitos"):
        rules.normalize_cep("1310-100")
    assert rules.normalize_uf(" sp ") == "SP"
    with pytest.raises(DomainError, match="UF inválida"):
        rules.normalize_uf("XX")


def test_phones_are_stored_in_e164_and_shown_nationally():
    assert rules.normalize_phone("(11) 98765-4321") == "+5511987654321"
    assert rules.format_phone("+5511987654321") == "(11) 98765-4321"
    with pytest.raises(DomainError, match="Telefone inválido"):
        rules.normalize_phone("12")


def test_state_registration_follows_its_indicator():
    assert rules.normalize_state_registration("110.042.490.114", "contribuinte") == "110042490114"
    assert rules.normalize_state_registration("110042490114", "isento") is None
    with pytest.raises(DomainError, match="precisa da Inscrição Estadual"):
        rules.normalize_state_registration("", "contribuinte")


def test_tags_are_split_trimmed_and_deduplicated():
    assert rules.parse_tags(" vip, Atacado ,VIP,, sp") == ["vip", "Atacado", "sp"]
