"""Rendered documents kept by key: a bounded in-process LRU, and files on disk shared by the
server's workers (`<instance>/documents/<order id>/v<version>-<etag>.<format>`).

A key names everything a document shows (see `service.cache_key`), so an entry is never
stale: a changed order has a new version, hence a new key. Writing a new version of an
order's document removes that order's files of older versions.
"""

import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path


class MemoryCache:
    """Least recently used entries, at most `size` of them (0 keeps none)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value, size: int) -> None:
        if size <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _path(root: Path, order_id: int, version: int, etag: str, fmt: str) -> Path:
    return root / str(order_id) / f"v{version}-{etag}.{fmt}"


def disk_get(root: Path, order_id: int, version: int, etag: str, fmt: str) -> bytes | None:
    try:
        return _path(root, order_id, version, etag, fmt).read_bytes()
    except OSError:
        return None


def disk_put(root: Path, order_id: int, version: int, etag: str, fmt: str, body: bytes) -> None:
    """Write atomically (temp file + rename); a full or read-only disk only costs the cache."""
    target = _path(root, order_id, version, etag, fmt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(body)
        os.replace(tmp.name, target)
        current = f"v{version}-"
        for old in target.parent.iterdir():
            if not old.name.startswith(current) and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
    except OSError:
        return
