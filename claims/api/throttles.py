"""Anonymous reads are throttled; the rate is settings.NEWSROOM_ANON_THROTTLE ("600/minute").

Clients are told apart by newsroom.clients.client_ip, the same address the login lockouts
use: X-Forwarded-For counts only as far as NEWSROOM_TRUSTED_PROXIES says.
"""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from newsroom.clients import client_ip


class ClientAddressMixin:
    """For any DRF throttle: identify the client as newsroom.clients.client_ip does."""

    def get_ident(self, request):
        return client_ip(request) or ""


class AtomicWindowMixin:
    """For any DRF rate throttle: count each client's requests with the cache's atomic
    increment (Redis INCR across servers; a lock within one process). DRF's own throttle reads
    a list of request times and writes it back, so concurrent requests (two workers, two
    servers) can each see room for one more and together pass the limit; a counter cannot.

    A client's window opens with its first request and lasts the rate's duration (the
    counter expires then; an increment keeps its expiry); the next request opens a new one."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        counter, opened = f"{key}:n", f"{key}:since"
        if self.cache.add(counter, 0, self.duration):
            self.cache.set(opened, now, self.duration)
        try:
            count = self.cache.incr(counter)
        except ValueError:  # expired between add and incr, or no cache at all
            self.cache.set(counter, 1, self.duration)
            self.cache.set(opened, now, self.duration)
            count = 1
        if count <= self.num_requests:
            return True
        since = self.cache.get(opened)
        self._retry_after = self.duration - (now - since) if since is not None else self.duration
        return False

    def wait(self):
        return max(getattr(self, "_retry_after", self.duration), 1)


class AnonReadThrottle(AtomicWindowMixin, ClientAddressMixin, AnonRateThrottle):
    def get_rate(self):
        # Read at request time (not import time) so that settings overrides apply.
        return (
            getattr(settings, "NEWSROOM_ANON_THROTTLE", None)
            or api_settings.DEFAULT_THROTTLE_RATES["anon"]
        )
