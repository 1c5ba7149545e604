"""With REDIS_URL: page views go to a Redis stream (real Redis, db 7) and the visits-worker
writes them; a dead consumer's pending entries are claimed by the next one."""

import time
import uuid

import pytest
import redis as redis_lib

from portal.visits.consumer import GROUP, Consumer

REDIS_URL = "redis://127.0.0.1:6379/7"
STREAM = f"clientela:visits:test:{uuid.uuid4().hex[:8]}"


def _redis():
    connection = redis_lib.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis_lib.ConnectionError:
        pytest.skip("Redis not running on 127.0.0.1:6379")
    return connection


pytestmark = pytest.mark.config(
    REDIS_URL=REDIS_URL, CLIENTELA_VISITS_STREAM=STREAM, CLIENTELA_VISITS_CLAIM_IDLE_SECONDS=1
)


@pytest.fixture
def redis():
    connection = _redis()
    connection.delete(STREAM)
    yield connection
    connection.delete(STREAM)


def test_page_view_goes_to_the_stream_then_the_worker_writes_it(
    app, redis, browser, page_views, visits
):
    assert browser.get("/conta/entrar").status_code == 200
    assert redis.xlen(STREAM) == 1
    assert page_views() == []  # the request did not write
    consumer = Consumer(app, block_ms=100)
    consumer.run(once=True)
    [view] = page_views()
    assert view.path == "/conta/entrar" and len(visits()) == 1
    assert redis.xlen(STREAM) == 0  # acknowledged and deleted after the commit
    assert redis.xpending(STREAM, GROUP)["pending"] == 0


def test_pending_entries_of_a_dead_consumer_are_claimed(app, redis, browser, page_views):
    for path in ("/conta/entrar", "/conta/criar-conta", "/conta/esqueci-minha-senha"):
        browser.get(path)
    Consumer(app).ensure_group()
    # a consumer reads the batch and dies before writing it (kill -9): no XACK
    taken = redis.xreadgroup(GROUP, "morto", {STREAM: ">"}, count=10)
    assert len(taken[0][1]) == 3
    assert redis.xpending(STREAM, GROUP)["pending"] == 3
    survivor = Consumer(app, name="vivo", block_ms=100)
    assert survivor.claim() == 0  # not idle long enough yet: "morto" may still be working
    time.sleep(1.2)
    assert survivor.claim() == 3
    assert sorted(v.path for v in page_views()) == [
        "/conta/criar-conta",
        "/conta/entrar",
        "/conta/esqueci-minha-senha",
    ]
    assert redis.xpending(STREAM, GROUP)["pending"] == 0


def test_a_batch_written_but_not_acknowledged_is_not_written_twice(app, redis, browser,
                                                                   page_views):  # fmt: skip
    import json

    from portal.visits.sink import write_records

    for path in ("/conta/entrar", "/conta/criar-conta"):
        browser.get(path)
    Consumer(app).ensure_group()
    taken = redis.xreadgroup(GROUP, "morto", {STREAM: ">"}, count=10)[0][1]
    write_records(app, [json.loads(fields[b"r"]) for _id, fields in taken])  # then kill -9
    assert len(page_views()) == 2
    time.sleep(1.2)
    assert Consumer(app, name="vivo").claim() == 2
    assert len(page_views()) == 2
    assert redis.xpending(STREAM, GROUP)["pending"] == 0


def test_redis_down_falls_back_to_the_process_buffer(app, browser, flush, page_views):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/7"  # nothing listens there
    assert browser.get("/conta/entrar").status_code == 200
    assert flush() == 1
    assert len(page_views()) == 1
