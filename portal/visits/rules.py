"""Pure rules of visit tracking: what a page view keeps, and what it never keeps.

- secrets: query parameters named like a secret (`token`, `senha`, `password`, ... plus the
  shop's own list) are dropped; path segments that look like a signed token (a reset or
  confirmation link) are replaced by `[token]`;
- IP addresses are anonymised: IPv4 keeps 24 bits (last octet zeroed), IPv6 keeps 48 bits
  (last 80 bits zeroed);
- bots: crawlerdetect's maintained list, plus an empty user agent;
- user agents parsed (ua-parser) into browser, OS and a device class;
- a visit is a run of page views less than VISIT_GAP apart.
"""

import ipaddress
import re
from datetime import timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

VISIT_GAP = timedelta(minutes=30)

SECRET_PARAMS = frozenset(
    {
        "token",
        "senha",
        "password",
        "pass",
        "passwd",
        "pwd",
        "secret",
        "segredo",
        "key",
        "chave",
        "api_key",
        "apikey",
        "access_token",
        "refresh_token",
        "id_token",
        "auth",
        "authorization",
        "code",
        "codigo",
        "signature",
        "sig",
        "hash",
        "otp",
        "session",
        "sessionid",
        "reset",
        "cpf",
        "cnpj",
        "email",
        "e-mail",
        "csrf_token",
    }
)
REMOVED = "[token]"
# A path segment that is a signed token: long, URL-safe, mixing upper case, lower case and
# digits (a product slug is lower case with dashes, so it stays).
_TOKEN_SEGMENT = re.compile(r"^[A-Za-z0-9_\-.~=]{24,}$")
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign")


def secret_names(extra: str | None) -> frozenset[str]:
    """The built-in names plus a comma-separated list from the settings."""
    names = {n.strip().lower() for n in (extra or "").split(",") if n.strip()}
    return SECRET_PARAMS | names


def _is_secret(name: str, secrets: frozenset[str]) -> bool:
    lowered = name.strip().lower()
    return lowered in secrets or any(
        lowered.endswith(suffix) for suffix in ("_token", "token", "password", "senha", "secret")
    )


def strip_query(query: str | None, secrets: frozenset[str] = SECRET_PARAMS) -> str:
    """The query string without secret parameters (order kept, re-encoded)."""
    if not query:
        return ""
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not _is_secret(name, secrets)
    ]
    return urlencode(kept)


def _looks_like_token(segment: str) -> bool:
    return (
        bool(_TOKEN_SEGMENT.match(segment))
        and any(c.isdigit() for c in segment)
        and any(c.isupper() for c in segment)
        and any(c.islower() for c in segment)
    )


def strip_path(path: str, secret_values: tuple[str, ...] = ()) -> str:
    """The path with token-like segments (and the given values, e.g. a route's `<token>`)
    replaced by `[token]`."""
    segments = path.split("/")
    cleaned = [
        REMOVED if segment and (segment in secret_values or _looks_like_token(segment)) else segment
        for segment in segments
    ]
    return "/".join(cleaned)


def strip_url(url: str | None, secrets: frozenset[str] = SECRET_PARAMS) -> str | None:
    """A referrer or page URL with its secrets stripped (path tokens and query)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    query = strip_query(parts.query, secrets)
    cleaned = parts._replace(
        path=strip_path(parts.path), query=query, fragment="", netloc=parts.hostname or ""
    )
    return cleaned.geturl()


def utm(query: str | None) -> dict[str, str | None]:
    values = dict.fromkeys(UTM_FIELDS)
    for name, value in parse_qsl(query or "", keep_blank_values=False):
        key = name.lower()
        if key in values and values[key] is None:
            values[key] = value.strip()[:200] or None
    return values


@lru_cache(maxsize=4096)
def anonymise_ip(address: str | None) -> str | None:
    """IPv4: last octet zeroed (a /24); IPv6: last 80 bits zeroed (a /48). None if not an IP."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip().split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ipaddress.IPv4Address(int(ip) & 0xFFFF_FF00))
    return str(ipaddress.IPv6Address(int(ip) & ~((1 << 80) - 1)))


_crawler_detect = None


@lru_cache(maxsize=4096)
def is_bot(user_agent: str | None) -> bool:
    """A crawler (crawlerdetect's list) or no user agent at all."""
    global _crawler_detect
    if not user_agent or not user_agent.strip():
        return True
    if _crawler_detect is None:
        from crawlerdetect import CrawlerDetect

        _crawler_detect = CrawlerDetect()
    return bool(_crawler_detect.isCrawler(user_agent))


@lru_cache(maxsize=4096)
def parse_user_agent(user_agent: str | None) -> tuple[str | None, str | None, str]:
    """(browser, OS, device class: 'mobile' | 'tablet' | 'desktop')."""
    if not user_agent:
        return None, None, "desktop"
    from ua_parser import parse

    result = parse(user_agent[:1000])
    browser = os_name = None
    if result.user_agent is not None and result.user_agent.family != "Other":
        browser = " ".join(filter(None, (result.user_agent.family, result.user_agent.major)))
    if result.os is not None and result.os.family != "Other":
        os_name = " ".join(filter(None, (result.os.family, result.os.major)))
    device_family = (result.device.family if result.device else "") or ""
    lowered = user_agent.lower()
    if "ipad" in lowered or "tablet" in lowered or "tablet" in device_family.lower():
        device = "tablet"
    elif "mobi" in lowered or (os_name or "").startswith(("iOS", "Android")):
        device = "mobile"
    else:
        device = "desktop"
    return (browser or None) and browser[:60], (os_name or None) and os_name[:60], device


def source_of(
    referrer: str | None, utm_values: dict[str, str | None], own_host: str | None
) -> str | None:
    """Where a visit came from: the UTM campaign (or source), else the referrer's host when
    it is another site; None for a direct visit."""
    if utm_values.get("utm_campaign"):
        return utm_values["utm_campaign"]
    if utm_values.get("utm_source"):
        return utm_values["utm_source"]
    if referrer:
        try:
            host = urlsplit(referrer).hostname
        except ValueError:
            host = None
        if host and host != (own_host or "").split(":")[0].lower():
            return host[:200]
    return None
