"""Request body caps that hold for chunked bodies too (413, never a silent cut).

Werkzeug refuses a declared `Content-Length` over `max_content_length`, but a chunked body
(no `Content-Length`) is only *cut* there: `request.get_data()` and form parsing stop at the
limit and the rest is dropped without an error. `cap_body` wraps the WSGI input instead, so
whoever reads it (form parsing, CSRF, `get_data`) gets a 413 on the first byte past the
limit. Works on the WSGI environ alone; `portal.plugin` calls it for our blueprints only.

Before answering 413 the rest of the body is read and discarded, up to `DRAIN_MAX_BYTES`:
a client still sending when the server closes the connection sees "connection reset", not
the answer (gunicorn closes without reading on). Past that much the connection is dropped.
"""

from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_content_length

DRAIN_MAX_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024


def _drain(stream: Any, limit: int | None) -> None:
    """Reads and drops what is left of the body (at most `limit` bytes; None: to the end)."""
    budget = DRAIN_MAX_BYTES if limit is None else min(limit, DRAIN_MAX_BYTES)
    try:
        while budget > 0:
            data = stream.read(min(_CHUNK, budget))
            if not data:
                return
            budget -= len(data)
    except (OSError, ValueError):
        return


class CappedInput:
    """A WSGI input that raises 413 once more than `limit` bytes have been read from it."""

    def __init__(self, stream: Any, limit: int) -> None:
        self._stream = stream
        self.limit = limit
        self.read_so_far = 0

    def _account(self, data: bytes) -> bytes:
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            _drain(self._stream, None)
            raise RequestEntityTooLarge()
        return data

    def read(self, size: int | None = -1) -> bytes:
        # Never ask for more than one byte past the limit: that byte is enough to know.
        room = self.limit - self.read_so_far + 1
        if size is not None and size >= 0:
            return self._account(self._stream.read(min(size, room)))
        parts = []
        while True:
            data = self._account(self._stream.read(min(_CHUNK, room)))
            if not data:
                return b"".join(parts)
            parts.append(data)
            room = self.limit - self.read_so_far + 1

    def readline(self, size: int | None = -1) -> bytes:
        room = self.limit - self.read_so_far + 1
        size = room if size is None or size < 0 else min(size, room)
        return self._account(self._stream.readline(size))

    def __iter__(self):
        while line := self.readline():
            yield line

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def cap_body(environ: dict, limit: int) -> int:
    """Applies `limit` to this request's body: a declared `Content-Length` over it is refused
    at once (413); a streamed body is wrapped to be refused when the reading passes it.

    Returns what `request.max_content_length` must be set to for Werkzeug's own wrapper to
    let the byte past the limit through to ours (a cut at exactly `limit` would be silent).
    """
    declared = get_content_length(environ)
    if declared is not None:
        if declared > limit:
            _drain(environ["wsgi.input"], declared)
            raise RequestEntityTooLarge()
    elif "wsgi.input_terminated" in environ:  # chunked: the server ends the stream
        environ["wsgi.input"] = CappedInput(environ["wsgi.input"], limit)
    return limit + 1
