"""Clientela's own message catalogue, apart from a host shop's.

Python code translates through this module, never through `flask_babel.gettext` (which
reads the host's default domain when a shop mounts us)::

    from portal.i18n import _, _l, ngettext

    flash(_("Client saved."))
    label = _l("Name")                       # module level, WTForms labels: lazy
    ngettext("%(num)s client", "%(num)s clients", total)

msgids are English; `translations/pt_BR/LC_MESSAGES/messages.po` holds the Portuguese
(`make i18n` extracts, updates and compiles it). The locale is Flask-Babel's: our
`BABEL_DEFAULT_LOCALE` (pt_BR) when we set Babel up, else the host's default and locale
selector.

Templates keep writing `{{ _('...') }}`: `install_jinja` makes `_`/`gettext`/`ngettext`
look in our catalogue first for templates named `clientela/...` and in the host's first
for the host's own templates, each falling back to the other for a msgid it lacks.
"""

from weakref import WeakKeyDictionary

from flask import Flask, g
from flask_babel import Domain, get_domain, get_locale, get_translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from portal.resources import PACKAGE_DIR

TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
TEMPLATE_PREFIX = "clientela/"

domain = Domain(translation_directories=[str(TRANSLATIONS_DIR)], domain="messages")

gettext = domain.gettext
_ = gettext
ngettext = domain.ngettext
pgettext = domain.pgettext
lazy_gettext = domain.lazy_gettext
_l = lazy_gettext
lazy_ngettext = domain.lazy_ngettext
lazy_pgettext = domain.lazy_pgettext
npgettext = domain.npgettext

__all__ = [
    "_",
    "_l",
    "gettext",
    "lazy_gettext",
    "lazy_ngettext",
    "lazy_pgettext",
    "ngettext",
    "npgettext",
    "pgettext",
]


def _both() -> tuple:
    """(ours, host) catalogues of the request's locale, looked up once per request and
    locale: a list page asks for some sixty template strings, and finding the catalogues
    (context, locale identifier, cache key) cost more than the lookups themselves."""
    if not g:
        return domain.get_translations(), get_translations()
    locale, host_domain = get_locale(), get_domain()
    memo = g.get("_clientela_translations")
    if memo is None or memo[0] is not locale or memo[1] is not host_domain:
        memo = (locale, host_domain, domain.get_translations(), get_translations())
        g._clientela_translations = memo
    return memo[2], memo[3]


def _in_order(context: Context):
    """(first, second) translations for the template being rendered."""
    ours, host = _both()
    if (context.name or "").startswith(TEMPLATE_PREFIX):
        return ours, host
    return host, ours


_PICKS: dict = {}  # (first, second catalogue, msgid) -> the catalogue that answers it


def _pick(context: Context, key):
    first, second = _in_order(context)
    memo_key = (first, second, key)  # catalogues are kept per locale by Flask-Babel
    found = _PICKS.get(memo_key)
    if found is None:
        catalog = getattr(second, "_catalog", {})
        found = second if key in catalog and key not in getattr(first, "_catalog", {}) else first
        _PICKS[memo_key] = found
    return found


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    return _pick(context, message).ugettext(message)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _pick(context, (singular, 0)).ungettext(singular, plural, n)


@pass_context
def _template_pgettext(context: Context, msgctxt: str, message: str) -> str:
    return _pick(context, f"{msgctxt}\x04{message}").upgettext(msgctxt, message)


@pass_context
def _template_npgettext(context: Context, msgctxt: str, singular: str, plural: str, n: int) -> str:
    key = (f"{msgctxt}\x04{singular}", 0)
    return _pick(context, key).unpgettext(msgctxt, singular, plural, n)


def html_lang() -> str:
    """The page's `<html lang>`: the request's locale as a BCP 47 tag (pt-BR, en)."""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else "pt-BR"


_installed: "WeakKeyDictionary[Environment, object]" = WeakKeyDictionary()


def _install(env: Environment) -> None:
    if env.globals.get("gettext") is _installed.get(env):
        return
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
        newstyle=True,
    )
    env.globals["clientela_html_lang"] = html_lang
    _installed[env] = env.globals["gettext"]


def install_jinja(app: Flask) -> None:
    """Route template `_()` through our catalogue for our templates.

    Re-checked before each request: a host that sets its own Babel up after mounting us
    replaces the Jinja callables, and ours must come back on top of them."""
    _install(app.jinja_env)
    app.before_request(lambda: _install(app.jinja_env))
