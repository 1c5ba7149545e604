"""The rules that belong to clients alone (Brazilian ones: tests/brazil; typed text: test_text)."""

import pytest

from portal.clients import rules
from portal.errors import DomainError

pytestmark = pytest.mark.usefixtures("babel_pt_br")


def test_tags_are_split_trimmed_and_deduplicated():
    assert rules.parse_tags(" vip, Atacado ,VIP,, sp") == ["vip", "Atacado", "sp"]
    assert rules.parse_tags(["a", " A ", "b"]) == ["a", "b"]
    assert rules.parse_tags(None) == []


def test_at_most_30_tags():
    with pytest.raises(DomainError, match="no máximo 30 etiquetas") as error:
        rules.parse_tags(",".join(f"t{i}" for i in range(31)))
    assert error.value.field == "tags"


def test_tag_with_markup_is_refused():
    with pytest.raises(DomainError, match="marcação HTML"):
        rules.parse_tags("vip, <b>x</b>")
