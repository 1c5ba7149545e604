"""The pt_BR catalogue translates every msgid the code uses, and its .mo says the same."""

from babel.messages.mofile import read_mo

from portal.translations import catalog


def test_every_msgid_has_a_portuguese_translation():
    used = catalog.extract()
    assert len(used) > 100  # the extraction really found the templates' strings
    missing = catalog.untranslated(catalog.read(catalog.po_path()), used)
    assert missing == [], f"msgids without a pt_BR translation (run `make i18n`): {missing}"


def test_compiled_catalogue_matches_the_po_file():
    po = catalog.read(catalog.po_path())
    with catalog.mo_path().open("rb") as fileobj:
        shipped = catalog.translations_of(read_mo(fileobj))
    assert shipped == catalog.translations_of(po), "messages.mo is stale: run `make i18n`"


def test_a_fragment_fills_missing_translations_and_reports_the_rest(tmp_path):
    po = catalog.read(catalog.po_path())
    po["Clients"].string = ""
    fragment = tmp_path / "h_someone.po"
    fragment.write_text(
        'msgid "Clients"\nmsgstr "Clientes"\n\n'
        'msgid "Sign in"\nmsgstr "Logar"\n\n'
        'msgid "A string nobody uses"\nmsgstr "Ninguém"\n',
        encoding="utf-8",
    )
    notes = catalog.merge_fragments(po, [fragment])
    assert po["Clients"].string == "Clientes"
    assert po["Sign in"].string == "Entrar"  # an existing translation is kept...
    assert any("'Sign in'" in note and "Logar" in note for note in notes)  # ...and reported
    assert any("not used by the code: 'A string nobody uses'" in note for note in notes)
    assert "A string nobody uses" not in po
