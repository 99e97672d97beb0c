"""The shared cache of a desk on several app servers: Django's RedisCache, which the site can do
without for a while.

Everything the desk keeps in the cache can be computed again from the database: published
pages and API answers, the publication stamp, the anonymous API's counters. So when Redis
stops answering, the site keeps answering from the database instead of failing every request:

- a read misses (`get` gives the default, `get_many` nothing), a write is dropped;
- the anonymous API's limit is not counted (the throttle sees no counter): readers are served;
- Redis is then left alone for `RETRY_AFTER` seconds (5 by default; the `RETRY_AFTER` key of
  the cache's settings), so that requests do not each wait for the socket's timeout;
- a deletion that could not be made (a publication clears the publication stamp) is made when
  Redis answers again, so that no server keeps showing the pages of before the publication;
- the outage is logged once when it begins (ERROR) and once when it ends (WARNING), not at
  every request.

The state is the process's, shared by its threads.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0
# Deletions kept for when Redis answers again; beyond this many, the oldest are dropped (the
# keys they name expire on their own).
MAX_PENDING = 1000


class _Outage:
    """Whether the Redis servers of one cache answer, for every thread of the process."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.began = None  # monotonic time of the first failure, None while Redis answers
        self.retry_at = 0.0
        self.pending = {}  # keys to delete once Redis answers (a dict keeps their order)
        self.made = 0  # deletions held back and made since the outage began

    def failed(self, error, operation):
        with self.lock:
            now = time.monotonic()
            first = self.began is None
            if first:
                self.began = now
            self.retry_at = now + self.retry_after
        if first:
            log.error(
                "The cache (Redis) does not answer (%s in %s): pages and the API are served "
                "from the database without it; Redis is tried again every %g s",
                type(error).__name__,
                operation,
                self.retry_after,
            )

    def forget_later(self, keys):
        with self.lock:
            for key in keys:
                self.pending.pop(key, None)
                self.pending[key] = None
            while len(self.pending) > MAX_PENDING:
                self.pending.pop(next(iter(self.pending)))

    def may_try(self, client):
        """Whether an operation may go to Redis now. During an outage, once `retry_after`
        has passed, the deletions held back are made first: an operation that reads after
        them never sees what they were to remove."""
        if self.began is None:
            return True
        if time.monotonic() < self.retry_at:
            return False
        with self.lock:
            keys, self.pending = list(self.pending), {}
        if keys:
            try:
                RedisCacheClient.delete_many(client, keys)
            except RedisError as exc:
                self.forget_later(keys)
                self.failed(exc, "delete_many")
                return False
            self.made += len(keys)
        return True

    def answered(self):
        """Redis has just answered an operation: the outage, if any, is over."""
        if self.began is None:
            return
        with self.lock:
            if self.began is None:
                return
            began, self.began = self.began, None
            made, self.made = self.made, 0
        log.warning(
            "The cache (Redis) answers again after %.0f s; %d deletion(s) held back were made",
            time.monotonic() - began,
            made,
        )


_outages = {}
_outages_lock = threading.Lock()


def _outage_of(servers, retry_after):
    with _outages_lock:
        key = (tuple(servers), retry_after)
        if key not in _outages:
            _outages[key] = _Outage(retry_after)
        return _outages[key]


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, outage, **options):
        super().__init__(servers, **options)
        self._outage = outage

    def _run(self, operation, fallback, *args):
        outage = self._outage
        if not outage.may_try(self):
            return fallback
        try:
            result = getattr(super(), operation)(*args)
        except RedisError as exc:
            outage.failed(exc, operation)
            return fallback
        outage.answered()
        return result

    def add(self, key, value, timeout):
        return self._run("add", False, key, value, timeout)

    def get(self, key, default):
        return self._run("get", default, key, default)

    def set(self, key, value, timeout):
        self._run("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._run("touch", False, key, timeout)

    def delete(self, key):
        deleted = self._run("delete", None, key)
        if deleted is None:
            self._outage.forget_later([key])
            return False
        return deleted

    def get_many(self, keys):
        return self._run("get_many", {}, keys)

    def has_key(self, key):
        return self._run("has_key", False, key)

    def incr(self, key, delta):
        # As for a key that is not there: callers (the throttle) handle ValueError.
        result = self._run("incr", None, key, delta)
        if result is None:
            raise ValueError("the cache does not answer")
        return result

    def set_many(self, data, timeout):
        self._run("set_many", None, data, timeout)

    def delete_many(self, keys):
        if self._run("delete_many", False, keys) is False:
            self._outage.forget_later(keys)

    def clear(self):
        return self._run("clear", False)


class ResilientRedisCache(RedisCache):
    """RedisCache (Django's own backend) that serves as an empty cache while Redis does not
    answer: see the module's docstring."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_after = float(params.get("RETRY_AFTER", RETRY_AFTER))

    @cached_property
    def _cache(self):
        outage = _outage_of(self._servers, self._retry_after)
        return ResilientRedisCacheClient(self._servers, outage=outage, **self._options)
