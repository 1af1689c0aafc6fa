"""The Django cache on Redis, failing open: while Redis cannot be reached the cache holds nothing and keeps nothing.

Podium keeps nothing in the cache that it cannot do without: the organisation row is read again from the
database, and a rate limit that cannot count lets the request through. So while Redis is away every
read misses, every write is skipped, and `incr` raises ValueError as it does for a key that does not
exist (`core.ratelimit` then lets the hit through). Errors other than "cannot reach Redis" (a value that
is not a number, a full Redis) are not an outage and are raised as Django's RedisCache raises them.

What an outage costs a request is bounded: sockets give up after PODIUM_REDIS_TIMEOUT, and once one
call has failed the process leaves Redis alone for RETRY_SECONDS (every cache call answers at once
meanwhile); then one call tries again for everyone. The outage is logged when it starts and when it ends,
not once per request.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("podium.cache")

RETRY_SECONDS = 5.0  # after a failure, how long every cache call skips Redis before one tries it again
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)  # refused, reset, timed out, still loading its data

T = TypeVar("T")


class Outage:
    """What this process knows of Redis: shared by the cache objects of all its threads (Django makes
    one per thread), so that an outage is noticed, waited out and logged once."""

    def __init__(self, retry_seconds: float = RETRY_SECONDS):
        self.retry_seconds = retry_seconds
        self.since: float | None = None  # time.monotonic() when the outage was noticed; None while Redis answers
        self.retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self.since is not None

    def skips(self) -> bool:
        """True while Redis is away and it is not yet time to try again. The one call let through
        tries for everyone: the others carry on skipping until it has an answer."""
        if self.since is None:
            return False
        with self._lock:
            now = time.monotonic()
            if now < self.retry_at:
                return True
            self.retry_at = now + self.retry_seconds
            return False

    def failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + self.retry_seconds
            if self.since is not None:
                return
            self.since = now
        logger.warning(
            "Cache: Redis cannot be reached (%s). Until it answers, pages read from the database, "
            "nothing is cached and rate limits are not counted; trying again every %g s.",
            error,
            self.retry_seconds,
        )

    def answered(self) -> None:
        if self.since is None:
            return
        with self._lock:
            since, self.since = self.since, None
        if since is not None:  # else another thread has just said so
            logger.warning(
                "Cache: Redis answers again after %.0f s; caching and counting again.", time.monotonic() - since
            )


outage = Outage()


class FailOpenRedisCacheClient(RedisCacheClient):
    """Django's client, each call answered without Redis when Redis cannot be reached."""

    def _try(self, call: Callable[[], T], fallback: T) -> T:
        if outage.skips():
            return fallback
        try:
            result = call()
        except UNREACHABLE as error:
            outage.failed(error)
            return fallback
        outage.answered()
        return result

    def add(self, key, value, timeout):
        return self._try(functools.partial(super().add, key, value, timeout), False)

    def get(self, key, default):
        return self._try(functools.partial(super().get, key, default), default)

    def set(self, key, value, timeout):
        self._try(functools.partial(super().set, key, value, timeout), None)

    def touch(self, key, timeout):
        return self._try(functools.partial(super().touch, key, timeout), False)

    def delete(self, key):
        return self._try(functools.partial(super().delete, key), False)

    def get_many(self, keys):
        empty: dict[Any, Any] = {}
        return self._try(functools.partial(super().get_many, keys), empty)

    def has_key(self, key):
        return self._try(functools.partial(super().has_key, key), False)

    def incr(self, key, delta):
        count = self._try(functools.partial(super().incr, key, delta), None)
        if count is None:
            raise ValueError(f"Key '{key}' not counted: the cache cannot reach Redis.")
        return count

    def set_many(self, data, timeout):
        self._try(functools.partial(super().set_many, data, timeout), None)

    def delete_many(self, keys):
        self._try(functools.partial(super().delete_many, keys), None)

    def clear(self):
        return self._try(super().clear, False)


class FailOpenRedisCache(RedisCache):
    """settings.CACHES["default"] with PODIUM_REDIS_URL: Django's RedisCache, failing open."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient
