"""Per-account login throttling on the same storage as flask-limiter (memory or Redis).

Only failures count, so a person who types the right password is never slowed down, while
guessing one account's password from many addresses is.
"""

from flask import current_app
from limits import parse

from portal.extensions import limiter


class AccountThrottle:
    def __init__(self, namespace: str, setting: str) -> None:
        self.namespace = namespace
        self.setting = setting

    def _limit(self):
        return parse(current_app.config[self.setting])

    def is_blocked(self, account: str) -> bool:
        return not limiter.limiter.test(self._limit(), self.namespace, account)

    def record_failure(self, account: str) -> None:
        limiter.limiter.hit(self._limit(), self.namespace, account)
