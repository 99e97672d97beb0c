import logging
from functools import lru_cache

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """`{"status": "ok"}` (200) when the database answers, `{"status": "unavailable"}` (503)
    when it does not. The reason goes to the log, never to the caller: a database's error
    text names hosts, users and paths."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        logger.exception("healthz: the database does not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """handler500: the API's callers get JSON, people get Django's page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error: the desk has logged it."}, status=500)
    return defaults.server_error(request)


@lru_cache(maxsize=64)
def _floor_body(size):
    return b"x" * size


def bench_floor(request, size):
    """Benchmark floor (only routed with NEWSROOM_BENCH=1): a precomputed body of `size` bytes
    through the same middleware as every page, so a page's figures can be read against it."""
    return HttpResponse(_floor_body(min(size, 10_000_000)), content_type="text/html; charset=utf-8")
