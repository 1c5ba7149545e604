"""`make i18n`: pybabel's extract -> update -> compile, plus the fragments of parallel branches.

    python -m portal.translations.catalog          # extract, update, merge fragments, compile
    python -m portal.translations.catalog --check  # 1 if a msgid lacks pt_BR or the .mo is stale

Extraction reads `babel.cfg` at the repository root (Python of portal/ and admin/, the
Jinja templates) with the keywords below. The catalogue is written sorted by msgid, with
file locations but no line numbers, so that unrelated edits do not churn it.
Runs from a checkout only (the installed wheel has no templates/ folder at this path).
"""

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MAPPING = ROOT / "babel.cfg"
SOURCES = ("portal", "admin", "templates")
FRAGMENTS = HERE / "fragments"
LOCALES = ("pt_BR",)
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}


def po_path(locale: str = "pt_BR") -> Path:
    return HERE / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale: str = "pt_BR") -> Path:
    return po_path(locale).with_suffix(".mo")


def _descend(path: str) -> bool:
    relative = Path(path).resolve().relative_to(ROOT)
    name = relative.name
    return (
        bool(relative.parts)
        and relative.parts[0] in SOURCES
        and not name.startswith((".", "_"))
        and name not in {"static", "translations"}
    )


def extract() -> Catalog:
    """Every msgid the code and templates use (what `pybabel extract -F babel.cfg` finds)."""
    with MAPPING.open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(MAPPING))
    template = Catalog(project="clientela", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
        directory_filter=_descend,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(path: Path) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(
        buffer, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False
    )
    path.write_bytes(buffer.getvalue())


def compile_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def translations_of(catalog: Catalog) -> dict:
    """msgid (or (singular, plural)) -> translation, as the compiled catalogue serves them."""
    return {
        (m.context, _frozen(m.id)): _frozen(m.string)
        for m in catalog
        if m.id and m.string and not m.fuzzy and _translated(m)
    }


def _frozen(value):
    """Plural ids and strings come as lists from a .mo and tuples from a .po: compare alike."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def untranslated(catalog: Catalog, template: Catalog) -> list[str]:
    """msgids of `template` that `catalog` does not translate (missing, empty or fuzzy)."""
    missing = []
    for wanted in template:
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, wanted.context)
        if found is None or found.fuzzy:
            strings: tuple = ()
        else:
            strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if not strings or not all(strings):
            missing.append(wanted.id if isinstance(wanted.id, str) else wanted.id[0])
    return missing


def _translated(message) -> bool:
    """A plural entry counts as translated only when every form is filled."""
    forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return all(forms)


def merge_fragments(catalog: Catalog, fragments: list[Path]) -> list[str]:
    """Copy the fragments' translations into `catalog`; return what could not be merged.

    An entry fills a msgid the code uses when the catalogue lacks it (empty or fuzzy); a
    different existing translation is kept and reported, as is a msgid the code does not use.
    """
    notes = []
    for path in fragments:
        for entry in read(path):
            if not entry.id or not entry.string:
                continue
            current = catalog.get(entry.id, entry.context)
            shown = entry.id if isinstance(entry.id, str) else entry.id[0]
            if current is None:
                notes.append(f"{path.name}: not used by the code: {shown!r}")
            elif _translated(current) and not current.fuzzy and current.string != entry.string:
                notes.append(
                    f"{path.name}: kept {current.string!r} for {shown!r}"
                    f" (the fragment says {entry.string!r})"
                )
            else:
                current.string = entry.string
                current.flags.discard("fuzzy")
    return notes


def update() -> int:
    template = extract()
    fragments = sorted(FRAGMENTS.glob("*.po"))
    for locale in LOCALES:
        path = po_path(locale)
        catalog = read(path) if path.exists() else Catalog(locale=locale, project="clientela")
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        for note in merge_fragments(catalog, fragments):
            print(note)
        write(catalog, path)
        catalog = read(path)
        mo_path(locale).write_bytes(compile_mo(catalog))
        missing = untranslated(catalog, template)
        print(f"{locale}: {len(template)} msgids, {len(missing)} without a translation")
        for msgid in missing:
            print(f"  missing: {msgid!r}")
    if fragments:
        print("merged fragments (delete them once committed):", *(p.name for p in fragments))
    return 0


def check() -> int:
    template = extract()
    status = 0
    for locale in LOCALES:
        catalog = read(po_path(locale))
        for msgid in untranslated(catalog, template):
            print(f"{locale}: no translation for {msgid!r}")
            status = 1
        with mo_path(locale).open("rb") as fileobj:
            if translations_of(read_mo(fileobj)) != translations_of(catalog):
                print(f"{locale}: messages.mo is stale, run `make i18n`")
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv[1:] else update())
