"""The cache on a real redis-server, configured as settings.py configures it with PODIUM_REDIS_URL: Django's
Redis cache while Redis answers; while it is killed or hangs, reads miss, writes are skipped, rate limits
let requests through and the organisation comes from the database, the outage logged once; Redis is tried
again after a pause, and what is not an outage is still raised."""

import logging
import signal
import threading

import pytest
import redis
from django.core.cache import cache, caches

from podium.core import cache as fail_open
from podium.core.ratelimit import rate_limit_exceeded
from podium.core.selectors import CACHE_KEY, organisation_get
from podium.settings import caches_on
from tests.support.processes import RedisServer

LOST = "Redis cannot be reached"
BACK = "Redis answers again"


@pytest.fixture
def redis_cache(tmp_path, settings, monkeypatch):
    """A redis-server, the site's cache on it (as settings.py makes it), and a fresh view of the outage
    that waits an hour before trying Redis again: only the test says when time has passed."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = caches_on(server.url, 0.5)
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    outage = fail_open.Outage(retry_seconds=3600)
    monkeypatch.setattr(fail_open, "outage", outage)
    server.outage = outage
    server.raw = redis.Redis.from_url(server.url, socket_timeout=5)
    yield server
    server.raw.close()
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGCONT)
        server.stop()


def messages(caplog, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "podium.cache" and text in r.getMessage()]


def test_while_redis_answers_it_is_django_s_redis_cache(redis_cache):
    assert isinstance(caches["default"], fail_open.FailOpenRedisCache)
    assert cache.add("a", "first") is True and cache.add("a", "second") is False
    assert cache.get("a") == "first" and cache.has_key("a")
    cache.set("n", 1)
    assert cache.incr("n", 2) == 3
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set_many({"x": 1, "y": 2})
    assert cache.get_many(["x", "y", "z"]) == {"x": 1, "y": 2}
    assert cache.touch("x", 100) is True
    cache.delete_many(["x", "y"])
    assert cache.delete("a") is True and cache.get("a", "gone") == "gone"
    assert len(redis_cache.raw.keys("*")) == 1  # n, in Redis itself
    assert cache.clear() is True and redis_cache.raw.keys("*") == []
    assert [rate_limit_exceeded(scope="t", key="k", limit=2, window=60) for _ in range(3)] == [False, False, True]
    assert not redis_cache.outage.down


@pytest.mark.django_db
def test_while_redis_is_killed_reads_miss_writes_are_skipped_and_limits_let_requests_through(
    redis_cache, organisation, caplog, django_assert_num_queries
):
    assert organisation_get() == organisation  # cached in Redis now
    assert redis_cache.raw.exists(f":1:{CACHE_KEY}")
    assert [rate_limit_exceeded(scope="t", key="k", limit=1, window=60) for _ in range(2)] == [False, True]
    redis_cache.stop()

    caplog.set_level(logging.WARNING, logger="podium.cache")
    for _ in range(3):
        with django_assert_num_queries(1):  # from the database, each time: nothing is cached
            assert organisation_get() == organisation
        # Over the limit already, and still let through: nothing can be counted.
        assert rate_limit_exceeded(scope="t", key="k", limit=1, window=60) is False
    assert cache.get("a", "miss") == "miss" and cache.get_many(["a"]) == {} and not cache.has_key("a")
    assert cache.add("a", 1) is False and cache.set("a", 1) is None and cache.touch("a") is False
    assert cache.set_many({"a": 1}) == [] and cache.delete_many(["a"]) is None
    assert cache.delete("a") is False and cache.clear() is False
    assert cache.get_or_set("a", "computed") == "computed"
    with pytest.raises(ValueError, match="cannot reach Redis"):
        cache.incr("a")
    assert redis_cache.outage.down
    assert len(messages(caplog, LOST)) == 1  # once for the outage, not once per call


def test_redis_is_tried_again_after_a_pause_and_its_return_is_logged_once(redis_cache, caplog):
    caplog.set_level(logging.WARNING, logger="podium.cache")
    redis_cache.stop()
    assert cache.get("k", "miss") == "miss"
    redis_cache.outage.retry_at = 0  # a try while Redis is still away fails quietly: still one message
    assert cache.get("k", "miss") == "miss" and redis_cache.outage.retry_at > 0
    redis_cache.start()
    redis_cache.raw.set(":1:k", 7)
    # Back, but within the pause every call still answers without it (and costs nothing).
    assert cache.get("k", "miss") == "miss" and redis_cache.outage.down
    redis_cache.outage.retry_at = 0  # the pause is over
    assert cache.get("k") == 7 and cache.get("k") == 7
    assert not redis_cache.outage.down
    assert len(messages(caplog, LOST)) == 1 and len(messages(caplog, BACK)) == 1

    redis_cache.stop()  # a second outage is a second message
    assert cache.get("k", "miss") == "miss"
    assert len(messages(caplog, LOST)) == 2


def test_a_redis_that_hangs_costs_one_call_its_timeout_and_the_next_calls_nothing(redis_cache):
    """SIGSTOP: the kernel accepts the connection, nothing answers. Without the socket timeouts the
    call would wait for ever; the deadline here is generous and only says that it returned."""
    redis_cache.process.send_signal(signal.SIGSTOP)
    answers: list = []

    def call():
        answers.append(cache.get("k", "miss"))
        answers.append(cache.get("k", "miss"))

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(60)
    assert answers == ["miss", "miss"]
    assert redis_cache.outage.down


def test_errors_that_are_not_an_outage_are_raised(redis_cache):
    cache.set("text", "not a number")
    with pytest.raises(redis.exceptions.ResponseError):
        cache.incr("text")
    assert not redis_cache.outage.down
