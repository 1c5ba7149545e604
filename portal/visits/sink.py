"""Where the request hands a page-view record, without waiting for the database.

- `RedisSink` (REDIS_URL set): one XADD to the stream `CLIENTELA_VISITS_STREAM`; the
  `visits-worker` consumer group writes it. Acknowledged by Redis means never lost: a
  consumer that dies keeps its entries pending until another claims them.
- `BufferSink` (no Redis, the embedded default): an in-process deque; one background
  thread per process writes it in batches every CLIENTELA_VISITS_FLUSH_SECONDS (or as soon
  as a batch is full), and `atexit` writes what is left when the worker exits (graceful
  gunicorn stop, restart or HUP). A `kill -9` of the process loses what sat in its buffer:
  at most the last flush interval's page views (README).

If Redis refuses an XADD, the record goes to the buffer instead (logged), so a Redis outage
costs no page view as long as the process ends gracefully.
"""

import atexit
import json
import logging
import os
import threading
import time
import weakref
from collections import deque

from flask import Flask
from sqlalchemy.exc import IntegrityError

from portal.config import setting
from portal.visits import rules
from portal.visits.writer import forget_partitions, write_batch

logger = logging.getLogger(__name__)
EXTENSION = "clientela_visits"


def write_records(app: Flask, records: list[dict], *, redelivered: bool = False) -> int:
    """One batch, one transaction (the caller acknowledges only after this returns)."""
    secrets = rules.secret_names(setting("CLIENTELA_VISITS_SECRET_PARAMS", app))
    for attempt in (1, 2):
        with app.extensions["clientela"].sessionmaker() as session:
            try:
                written = write_batch(session, records, secrets, redelivered=redelivered)
                session.commit()
                return written
            except IntegrityError as exc:
                # A month's partition dropped by purge-visits in another process: forget
                # what this process knew about partitions, make them again, retry once.
                session.rollback()
                if attempt == 2 or "no partition" not in str(exc.orig):
                    raise
                forget_partitions()
    return 0


class BufferSink:
    def __init__(self, app: Flask):
        self.app = app
        self.buffer: deque[dict] = deque()
        self.batch = setting("CLIENTELA_VISITS_BATCH", app)
        self.limit = setting("CLIENTELA_VISITS_BUFFER_MAX", app)
        self.dropped = 0
        self.lock = threading.Lock()  # one flush at a time per process
        self.flushed_at = time.monotonic()

    def add(self, record: dict) -> None:
        if len(self.buffer) >= self.limit:
            self.buffer.popleft()
            self.dropped += 1
            if self.dropped % 1000 == 1:
                logger.error("visits buffer full: %s page views dropped so far", self.dropped)
        self.buffer.append(record)
        _Flusher.get().watch(self)
        if len(self.buffer) >= self.batch:
            _Flusher.get().wake()

    def due(self) -> bool:
        if not self.buffer:
            return False
        if len(self.buffer) >= self.batch:
            return True
        interval = setting("CLIENTELA_VISITS_FLUSH_SECONDS", self.app)
        return time.monotonic() - self.flushed_at >= interval

    def discard(self) -> None:
        """Forget what is buffered (tests: an app that goes away with its database)."""
        self.buffer.clear()

    def flush(self) -> int:
        """Write everything buffered now (tests, exit); returns page views written."""
        written = 0
        self.flushed_at = time.monotonic()
        with self.lock:
            while self.buffer:
                taken = []
                while self.buffer and len(taken) < self.batch:
                    taken.append(self.buffer.popleft())
                try:
                    written += write_records(self.app, taken)
                except Exception:
                    logger.exception("visits: writing %s page views failed; kept", len(taken))
                    self.buffer.extendleft(reversed(taken))
                    break
        return written


class RedisSink:
    def __init__(self, app: Flask, url: str):
        import redis

        self.app = app
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.stream = setting("CLIENTELA_VISITS_STREAM", app)
        self.fallback = BufferSink(app)
        self.down_until = 0.0  # after a failure, pages skip Redis for a few seconds

    def add(self, record: dict) -> None:
        if time.monotonic() >= self.down_until:
            try:
                self.redis.xadd(self.stream, {"r": json.dumps(record, separators=(",", ":"))})
                return
            except Exception:
                self.down_until = time.monotonic() + 5
                logger.exception("visits: XADD failed; page views go to the process buffer")
        self.fallback.add(record)

    def flush(self) -> int:
        return self.fallback.flush()

    def discard(self) -> None:
        self.fallback.discard()


def sink_for(app: Flask):
    """The app's sink for this process (made on first use, again after a fork)."""
    state = app.extensions.get(EXTENSION)
    if state is None or state[0] != os.getpid():
        mode = setting("CLIENTELA_VISITS_SINK", app)
        url = setting("REDIS_URL", app)
        use_redis = mode == "redis" or (mode == "auto" and bool(url))
        sink = RedisSink(app, url) if use_redis else BufferSink(app)
        state = (os.getpid(), sink)
        app.extensions[EXTENSION] = state
    return state[1]


def record(app: Flask, values: dict) -> None:
    sink_for(app).add(values)


def flush(app: Flask) -> int:
    """Write the process's buffered page views now (tests; the exit hook)."""
    state = app.extensions.get(EXTENSION)
    return state[1].flush() if state and state[0] == os.getpid() else 0


def discard(app: Flask) -> None:
    """Drop the app's buffered page views unwritten (tests tearing an app down)."""
    state = app.extensions.pop(EXTENSION, None)
    if state and state[0] == os.getpid():
        state[1].discard()


class _Flusher:
    """One thread per process flushing every BufferSink it has seen (weakly held: an app
    that goes away, as in tests, takes its sink with it)."""

    _instance: "_Flusher | None" = None
    _pid = None
    _guard = threading.Lock()

    def __init__(self):
        self.sinks: weakref.WeakSet[BufferSink] = weakref.WeakSet()
        self.event = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="clientela-visits", daemon=True)
        self.thread.start()
        atexit.register(self.stop)

    @classmethod
    def get(cls) -> "_Flusher":
        if cls._instance is None or cls._pid != os.getpid():
            with cls._guard:
                if cls._instance is None or cls._pid != os.getpid():
                    cls._instance, cls._pid = cls(), os.getpid()
        return cls._instance

    def watch(self, sink: BufferSink) -> None:
        if sink not in self.sinks:
            self.sinks.add(sink)

    def wake(self) -> None:
        self.event.set()

    def _interval(self) -> float:
        values = [setting("CLIENTELA_VISITS_FLUSH_SECONDS", s.app) for s in list(self.sinks)]
        return max(0.01, min([1.0, *values]))  # a changed setting applies within a second

    def _run(self) -> None:
        while not self.stopping:
            self.event.wait(self._interval())
            self.event.clear()
            for sink in list(self.sinks):
                if sink.due():
                    try:
                        sink.flush()
                    except Exception:  # never let the thread die
                        logger.exception("visits: flush failed")
                        time.sleep(1)

    def stop(self) -> None:
        """At exit: stop the thread, then write what is left (graceful stop or restart)."""
        self.stopping = True
        self.event.set()
        self.thread.join(timeout=5)
        for sink in list(self.sinks):
            sink.flush()
