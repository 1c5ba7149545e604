"""Password hashing: argon2id for new hashes; old bcrypt hashes still verify and get upgraded."""

from passlib.context import CryptContext

MAX_PASSWORD_LENGTH = 128
MIN_PASSWORD_LENGTH = 8

_context = CryptContext(schemes=["argon2", "bcrypt"], deprecated="auto")
# Verified against when the account does not exist, so both answers take the same time.
_DUMMY_HASH = _context.hash("clientela-dummy-password")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """(matches, new_hash_or_None). Never raises on odd input: a login form must not answer 500."""
    if not password or len(password) > MAX_PASSWORD_LENGTH:
        _context.verify("x", _DUMMY_HASH)
        return False, None
    if not password_hash:
        _context.verify(password, _DUMMY_HASH)
        return False, None
    try:
        return _context.verify_and_update(password, password_hash)
    except ValueError:
        return False, None
