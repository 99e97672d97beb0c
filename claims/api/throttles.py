"""Anonymous reads are throttled; the rate is settings.NEWSROOM_ANON_THROTTLE ("600/minute")."""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonReadThrottle(AnonRateThrottle):
    def get_rate(self):
        # Read at request time (not import time) so that settings overrides apply.
        return getattr(settings, "NEWSROOM_ANON_THROTTLE", None) or api_settings.DEFAULT_THROTTLE_RATES["anon"]
