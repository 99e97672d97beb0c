"""Where the cache and background tasks live, by environment (newsroom/settings.py): Redis
with REDIS_URL, each process's memory without; tasks in the database for `db_worker`, or run
at once with NEWSROOM_TASKS=immediate."""

import pytest

from tests.settings_probe import settings_in_a_process

SHOW = (
    "[settings.CACHES['default'], settings.TASKS['default']['BACKEND'], "
    "'newsroom.library_apps.TasksConfig' in settings.INSTALLED_APPS]"
)  # django_tasks_db's config, named in the editor's language
CACHE_VARIABLES = ("REDIS_URL", "NEWSROOM_CACHE", "NEWSROOM_TASKS", "NEWSROOM_CACHE_PREFIX")


def settings_with(**env):
    return settings_in_a_process(SHOW, unset=CACHE_VARIABLES, **env)


def test_without_redis_each_process_keeps_its_own_cache_and_tasks_wait_for_the_worker():
    cache, tasks, installed = settings_with()
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert tasks == "django_tasks_db.DatabaseBackend" and installed


def test_redis_url_puts_the_cache_and_throttle_counts_in_redis():
    cache, _, _ = settings_with(REDIS_URL="redis://127.0.0.1:6379/2", NEWSROOM_CACHE_PREFIX="desk2")
    assert cache["BACKEND"] == "newsroom.cache.ResilientRedisCache"  # Django's RedisCache
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
