from functools import lru_cache

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Answers 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@lru_cache(maxsize=64)
def _floor_body(size):
    return b"x" * size


def bench_floor(request, size):
    """Benchmark floor (only routed with NEWSROOM_BENCH=1): a precomputed body of `size` bytes
    through the same middleware as every page, so a page's figures can be read against it."""
    return HttpResponse(_floor_body(min(size, 10_000_000)), content_type="text/html; charset=utf-8")
