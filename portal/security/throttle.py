"""Per-account login throttling on the same storage as flask-limiter (memory or Redis).

Only failures count, so a person who types the right password is never slowed down, while
guessing one account's password from many addresses is.

When Redis is down, nobody is locked out: flask-limiter falls back to in-memory limits
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`, on by default here) and so does this throttle, with
a logged warning; the limits then hold per worker process until Redis answers again.
"""

import logging
import time

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from portal.extensions import limiter

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30  # how long the fallback is used before Redis is tried again


class AccountThrottle:
    def __init__(self, namespace: str, setting: str) -> None:
        self.namespace = namespace
        self.setting = setting
        # Per storage URI (apps in one process may use different ones): when it went down.
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._down_until: dict[str, float] = {}

    def _limit(self):
        return parse(current_app.config[self.setting])

    def _call(self, method: str, account: str):
        limit = self._limit()
        storage = str(current_app.config.get("RATELIMIT_STORAGE_URI"))
        if time.monotonic() >= self._down_until.get(storage, 0.0):
            try:
                return getattr(limiter.limiter, method)(limit, self.namespace, account)
            except Exception as exc:  # the storage's own errors (redis.ConnectionError, ...)
                if not current_app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"):
                    raise
                logger.warning(
                    "login throttle: rate-limit storage unreachable (%s); using in-memory "
                    "limits for %s s",
                    type(exc).__name__,
                    RETRY_SECONDS,
                )
                self._down_until[storage] = time.monotonic() + RETRY_SECONDS
        return getattr(self._fallback, method)(limit, self.namespace, account)

    def is_blocked(self, account: str) -> bool:
        return not self._call("test", account)

    def record_failure(self, account: str) -> None:
        self._call("hit", account)
