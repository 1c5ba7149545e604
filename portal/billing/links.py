"""The second-copy link ("segunda via"): a signed, expiring token naming one boleto.

    token = second_copy_token(boleto)        # for /conta/boleto/<token>
    boleto_id = read_second_copy_token(token)  # or LinkExpired / LinkInvalid

The token is itsdangerous' URL-safe timed signature (HMAC with the app's SECRET_KEY and a
salt of its own, so no other link of the app is accepted here and this one nowhere else) over
the boleto's id and the digits of its barcode: a boleto re-issued with another code (or
another boleto with the same id in another database) does not open with an old link. It works
`CLIENTELA_BOLETO_LINK_DAYS` days (30 by default) and names that one boleto only.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.config import setting

SALT = "clientela-boleto-second-copy"


class LinkInvalid(Exception):
    """The token was altered, is not one of ours, or names no boleto."""


class LinkExpired(LinkInvalid):
    """A genuine token past its life."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(setting("SECRET_KEY"), salt=SALT)


def link_days() -> int:
    return int(setting("CLIENTELA_BOLETO_LINK_DAYS"))


def second_copy_token(boleto) -> str:
    return _serializer().dumps([boleto.id, boleto.barcode[-8:]])


def read_second_copy_token(token: str) -> tuple[int, str]:
    """(boleto id, barcode tail) of a genuine, unexpired token; LinkExpired / LinkInvalid."""
    try:
        boleto_id, tail = _serializer().loads(token, max_age=link_days() * 86400)
    except SignatureExpired as exc:
        raise LinkExpired() from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid() from exc
    if not isinstance(boleto_id, int) or not isinstance(tail, str):
        raise LinkInvalid()
    return boleto_id, tail


def boleto_for_token(session, token: str):
    """The boleto a token names (LinkExpired / LinkInvalid otherwise)."""
    from portal.billing.models import Boleto

    boleto_id, tail = read_second_copy_token(token)
    boleto = session.get(Boleto, boleto_id) if 0 < boleto_id < 2**31 else None
    if boleto is None or boleto.barcode[-8:] != tail:
        raise LinkInvalid()
    return boleto
