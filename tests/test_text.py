"""Typed text shared by every form: names, free text, e-mail addresses, list positions."""

import pytest

from portal.errors import DomainError
from portal.text import clean_text, list_position, normalize_email

pytestmark = pytest.mark.usefixtures("babel_pt_br")


@pytest.mark.parametrize("typed", ["", "   "])
def test_name_of_only_spaces_is_refused(typed):
    with pytest.raises(DomainError, match="Informe o Nome"):
        clean_text(typed, "name", "o Nome/Razão social", 200, required=True)


def test_long_text_is_refused_with_the_limit_and_the_length():
    with pytest.raises(DomainError) as error:
        clean_text("x" * 10_000, "name", "o nome", 200)
    assert "no máximo 200 caracteres (foram 10000)" in error.value.message


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "Loja <b>boa</b>", "<img src=x onerror=alert(1)>"]
)
def test_markup_is_refused(typed):
    with pytest.raises(DomainError, match="marcação HTML"):
        clean_text(typed, "name", "o nome", 200)


def test_plain_text_with_symbols_is_kept():
    assert clean_text("  Pão  &  Cia  <3 ", "name", "o nome", 200) == "Pão & Cia <3"


def test_multiline_text_keeps_its_lines():
    assert clean_text(" a\r\n  b ", "notes", "as notas", 50, multiline=True) == "a\n  b"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Fulano@Example.COM ", "fulano@example.com"), ("a.b+c@loja.com.br", "a.b+c@loja.com.br")],
)
def test_emails_are_normalised(typed, stored):
    assert normalize_email(typed) == stored


@pytest.mark.parametrize("typed", ["fulano", "fulano@", "@loja.com", "a b@loja.com"])
def test_bad_emails_are_refused(typed):
    with pytest.raises(DomainError, match="E-mail inválido"):
        normalize_email(typed)


def test_email_may_be_required():
    assert normalize_email("  ") is None
    with pytest.raises(DomainError, match="Informe o e-mail"):
        normalize_email("", required=True)


@pytest.mark.parametrize(
    ("typed", "position"),
    [
        (None, 0),
        ("", 0),
        (" 3 ", 3),
        ("-2", -2),
        (7, 7),
        ("x", None),
        (True, None),
        ("99999", None),
    ],
)
def test_list_position(typed, position):
    assert list_position(typed) == position
