"""Where the cache and background tasks live, by environment (newsroom/settings.py): Redis
with REDIS_URL, each process's memory without; tasks in the database for `db_worker`, or run
at once with NEWSROOM_TASKS=immediate."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.CACHES['default'], settings.TASKS['default']['BACKEND'], "
    "'django_tasks_db' in settings.INSTALLED_APPS]))"
)


def settings_with(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "NEWSROOM_CACHE", "NEWSROOM_TASKS", "NEWSROOM_CACHE_PREFIX")
    }
    base.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_SECRET_KEY="x", **env)
    out = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=base,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_without_redis_each_process_keeps_its_own_cache_and_tasks_wait_for_the_worker():
    cache, tasks, installed = settings_with()
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert tasks == "django_tasks_db.DatabaseBackend" and installed


def test_redis_url_puts_the_cache_and_throttle_counts_in_redis():
    cache, _, _ = settings_with(REDIS_URL="redis://127.0.0.1:6379/2", NEWSROOM_CACHE_PREFIX="desk2")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2" and cache["KEY_PREFIX"] == "desk2"


@pytest.mark.parametrize(
    "env, backend",
    [
        ({"NEWSROOM_CACHE": "none"}, "django.core.cache.backends.dummy.DummyCache"),
        (
            {"NEWSROOM_CACHE": "none", "REDIS_URL": "redis://127.0.0.1:6379/0"},
            "django.core.cache.backends.dummy.DummyCache",
        ),
    ],
)
def test_the_bench_can_turn_the_cache_off(env, backend):
    assert settings_with(**env)[0]["BACKEND"] == backend


def test_tasks_can_run_at_once_without_a_worker():
    assert (
        settings_with(NEWSROOM_TASKS="immediate")[1]
        == "django_tasks.backends.immediate.ImmediateBackend"
    )
