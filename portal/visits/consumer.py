"""`flask clientela visits-worker`: the Redis stream's consumer.

One consumer group (`clientela-visits`); each worker is a consumer named after its host and
process. A worker reads a batch (XREADGROUP), writes it in one transaction, and only after
the commit acknowledges and deletes the entries (XACK + XDEL). If it dies in between, the
entries stay pending under its name; every worker regularly runs XAUTOCLAIM for entries
idle longer than CLIENTELA_VISITS_CLAIM_IDLE_SECONDS and writes them, so what Redis
acknowledged to the web process is written exactly once: entries delivered again (claimed,
or this consumer's own unacknowledged ones after an error) skip the page views the database
already holds (same visitor, same instant), so a crash between the commit and the XACK
writes nothing twice.
"""

import json
import logging
import os
import signal
import socket
import time

from flask import Flask

from portal.config import setting
from portal.errors import DomainError
from portal.i18n import _
from portal.visits.sink import write_records

logger = logging.getLogger(__name__)
GROUP = "clientela-visits"


class Consumer:
    def __init__(self, app: Flask, name: str | None = None, block_ms: int = 1000):
        import redis

        url = setting("REDIS_URL", app)
        if not url:
            raise DomainError(_("Set REDIS_URL: the visits worker reads page views from Redis."))
        self.app = app
        self.redis = redis.Redis.from_url(url)
        self.stream = setting("CLIENTELA_VISITS_STREAM", app)
        self.batch = setting("CLIENTELA_VISITS_BATCH", app)
        self.idle_ms = setting("CLIENTELA_VISITS_CLAIM_IDLE_SECONDS", app) * 1000
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.block_ms = block_ms
        self.stopping = False
        self.last_claim = 0.0
        self.written = 0

    def ensure_group(self) -> None:
        import redis

        try:
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _handle(self, entries, redelivered: bool = False) -> int:
        """Write the entries, then acknowledge them. Returns how many were handled."""
        if not entries:
            return 0
        ids, records = [], []
        for entry_id, fields in entries:
            ids.append(entry_id)
            if not fields:  # deleted meanwhile (claimed twice): nothing to write
                continue
            raw = fields.get(b"r") or fields.get("r")
            try:
                records.append(json.loads(raw))
            except (TypeError, ValueError):
                logger.warning("visits: unreadable stream entry %s dropped", entry_id)
        if records:
            self.written += write_records(self.app, records, redelivered=redelivered)
        pipe = self.redis.pipeline()
        pipe.xack(self.stream, GROUP, *ids)
        pipe.xdel(self.stream, *ids)
        pipe.execute()
        return len(ids)

    def claim(self) -> int:
        """Take over entries a dead consumer left pending (idle past the limit)."""
        handled, start = 0, "0-0"
        while True:
            reply = self.redis.xautoclaim(
                self.stream, GROUP, self.name, self.idle_ms, start_id=start, count=self.batch
            )
            start, entries = reply[0], reply[1]
            handled += self._handle(entries, redelivered=True)
            if start in (b"0-0", "0-0") or not entries:
                break
        self.last_claim = time.monotonic()
        return handled

    def own_pending(self) -> int:
        """Entries delivered to this consumer name and not yet acknowledged (a retry)."""
        handled = 0
        while True:
            reply = self.redis.xreadgroup(GROUP, self.name, {self.stream: "0"}, count=self.batch)
            entries = reply[0][1] if reply else []
            if not entries:
                return handled
            handled += self._handle(entries, redelivered=True)

    def step(self) -> int:
        """Read and write one batch of new entries (waiting up to block_ms)."""
        if time.monotonic() - self.last_claim > max(self.idle_ms / 2000, 1):
            self.claim()
        reply = self.redis.xreadgroup(
            GROUP, self.name, {self.stream: ">"}, count=self.batch, block=self.block_ms
        )
        return self._handle(reply[0][1] if reply else [])

    def run(self, once: bool = False) -> None:
        self.ensure_group()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("visits-worker %s reading %s", self.name, self.stream)
        retry = True
        while not self.stopping:
            try:
                if retry:
                    self.own_pending()
                    self.claim()
                    retry = False
                handled = self.step()
                if once and not handled:
                    break
            except Exception:
                logger.exception("visits-worker: batch failed; retrying")
                retry = True
                time.sleep(1)

    def _stop(self, *_args) -> None:
        self.stopping = True
