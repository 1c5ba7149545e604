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

from functools import cache
from types import SimpleNamespace
from weakref import WeakKeyDictionary

from babel import support
from flask import Flask, current_app, request
from flask.globals import _cv_app
from flask_babel import Domain, get_domain, get_locale, get_translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from wtforms.i18n import messages_path

from portal.resources import PACKAGE_DIR

TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
TEMPLATE_PREFIX = "clientela/"


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel's per-context namespace (locale, domain), read without going through
    `g`'s proxy: a list page translates some hundred strings, and each proxy hop and
    locale lookup cost more than the catalogue lookup itself."""
    app_ctx = _cv_app.get(None)
    return None if app_ctx is None else app_ctx.g.__dict__.get("_flask_babel")


class _Domain(Domain):
    """Flask-Babel's Domain, with the catalogue found once per context and locale."""

    def get_translations(self) -> support.NullTranslations:
        state = _babel_state()
        locale = getattr(state, "babel_locale", None)
        memo = getattr(state, "clientela_catalogue", None)
        if locale is not None and memo is not None and memo[0] is locale:
            return memo[1]
        translations = super().get_translations()
        state = _babel_state()
        locale = getattr(state, "babel_locale", None)
        if locale is not None:
            state.clientela_catalogue = (locale, translations)
        return translations


domain = _Domain(translation_directories=[str(TRANSLATIONS_DIR)], domain="messages")

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
    state = _babel_state()
    memo = getattr(state, "clientela_both", None)
    if (
        memo is not None
        and memo[0] is getattr(state, "babel_locale", None)
        and memo[1] is getattr(state, "babel_domain", None)
    ):
        return memo[2], memo[3]
    if _cv_app.get(None) is None:
        return domain.get_translations(), get_translations()
    locale, host_domain = get_locale(), get_domain()
    both = (domain.get_translations(), get_translations())
    _babel_state().clientela_both = (locale, host_domain, *both)
    return both


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


_TEXTS: dict = {}  # (first, second catalogue, msgid) -> the translation, as template HTML


@pass_context
def _template_gettext(context: Context, message: str, /, **variables) -> str:
    """Jinja's "newstyle" gettext (the text is a %-format, its variables escaped) in one call:
    Jinja's own wraps ours in two more context calls, and a page has some sixty texts."""
    first, second = _in_order(context)
    key = (first, second, message)
    text = _TEXTS.get(key)
    if text is None:
        text = _TEXTS[key] = Markup(_pick(context, message).ugettext(message))
    if not context.eval_ctx.autoescape:
        text = str(text)
    return text % variables if variables or "%" in text else text


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


@cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def share_wtforms_catalogue() -> None:
    """Before a request of ours: WTForms' own messages, in the request's locale, from a
    catalogue loaded once per process. Flask-WTF reads that file again on every request that
    builds a form (a list page spent a twentieth of its time parsing it)."""
    if current_app.config.get("WTF_I18N_ENABLED", True) and "babel" in current_app.extensions:
        request.wtforms_translations = _wtforms_catalogue(str(get_locale()))


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
    # `_template_gettext` already behaves as the newstyle wrapper would: installed bare, as
    # `_` too (Jinja's `_` otherwise looks `gettext` up and calls it through the context).
    env.globals.update(gettext=_template_gettext, _=_template_gettext)
    env.globals["clientela_html_lang"] = html_lang
    _installed[env] = env.globals["gettext"]


def install_jinja(app: Flask) -> None:
    """Route template `_()` through our catalogue for our templates.

    Re-checked before each request: a host that sets its own Babel up after mounting us
    replaces the Jinja callables, and ours must come back on top of them."""
    _install(app.jinja_env)
    app.before_request(lambda: _install(app.jinja_env))
