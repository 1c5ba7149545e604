"""Redirect targets taken from a request (`?next=`, a form's "back" address).

The check runs on the Location value that is actually sent, not on what was typed: browsers
drop tabs and line breaks anywhere in a URL and read a backslash as a slash
(`/\\t/evil.example` and `/\\evil.example` both go to `//evil.example`), so a target passes
only when it is already in the one shape nobody can bend: printable ASCII without spaces, a
single leading slash, no scheme, no host, no dot segments, under the given path prefix.
Anything else falls back to a known page, so a bad `next` never becomes an error page.
"""

import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

from werkzeug.urls import iri_to_uri

MAX_TARGET_LENGTH = 2000
# What may be sent: "/" then printable ASCII without space; never "//" or "/\" at the start.
_SENDABLE = re.compile(r"/(?![/\\])[\x21-\x7e]*\Z")
# Unicode categories a URL must not carry: controls (tab, CR, LF, NUL...), invisible format
# characters (bidi overrides, zero-width), line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
# Characters a query string keeps as they are (RFC 3986 query characters, "%" included).
_QUERY_SAFE = "!$&'()*+,;=:@/?%-._~"


def local_target(target: str | None, *, within: str = "/") -> str | None:
    """The Location to send for `target` (percent-encoded, ASCII), or None when `target`
    could lead anywhere but a page of this site under the path `within`."""
    if not isinstance(target, str) or not target or len(target) > MAX_TARGET_LENGTH:
        return None
    if "\\" in target or any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in target):
        return None
    try:
        sent = iri_to_uri(target)
    except ValueError:
        return None
    if not _SENDABLE.match(sent):
        return None
    parts = urlsplit(sent)
    if parts.scheme or parts.netloc:
        return None
    segments = [unquote(segment) for segment in parts.path.split("/")]
    if any(segment in {".", ".."} for segment in segments):
        return None
    prefix = within.rstrip("/")
    if prefix and parts.path != prefix and not parts.path.startswith(prefix + "/"):
        return None
    return sent


def safe_redirect_target(target: str | None, *, default: str, within: str = "/") -> str:
    """`local_target(target)`, or `default` when the target is refused."""
    return local_target(target, within=within) or default


def request_path(script_root: str, path: str, query_string: bytes) -> str:
    """A relative URL for the current request (no scheme, no Host header in it): the path
    as an ASCII URI, the query's bytes as sent, any that are not URL-safe percent-encoded
    (a raw non-UTF-8 byte in the query must not crash the page that builds the link)."""
    query = quote(query_string, safe=_QUERY_SAFE)
    return iri_to_uri(script_root + path) + (f"?{query}" if query else "")
