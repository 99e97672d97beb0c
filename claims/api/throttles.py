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


class AnonReadThrottle(ClientAddressMixin, AnonRateThrottle):
    def get_rate(self):
        # Read at request time (not import time) so that settings overrides apply.
        return (
            getattr(settings, "NEWSROOM_ANON_THROTTLE", None)
            or api_settings.DEFAULT_THROTTLE_RATES["anon"]
        )
