"""A background task whose database connection breaks under it (PostgreSQL restarted, a
failover) leaves that connection closed, so that the worker records the failure on a new one
and polls on (newsroom.db.closes_a_broken_connection, in every task of the desk through
newsroom.tasks.task); a task that fails on a working connection leaves it alone. A connection
that breaks in the worker's own poll for tasks does not stop it either
(newsroom/management/commands/db_worker.py)."""

import importlib
import importlib.util
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection
from django_tasks.base import Task

from newsroom.db import closes_a_broken_connection
from sources import jobs
from sources.models import ImportJob


@closes_a_broken_connection
def query(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def test_a_task_that_fails_on_a_working_connection_leaves_it_open(transactional_db):
    query("SELECT 1")
    with pytest.raises(DatabaseError):
        query("SELECT * FROM no_such_table")
    assert connection.connection is not None
    assert query("SELECT 1") == (1,)


def test_a_connection_the_database_dropped_under_a_task_is_closed(transactional_db):
    if connection.vendor != "postgresql":
        return  # SQLite is a file: no server drops its connections (CI runs this on PostgreSQL)
    drop(query("SELECT pg_backend_pid()")[0])
    with pytest.raises(DatabaseError):
        query("SELECT 1")
    assert connection.connection is None  # closed: the next use opens a new one
    assert query("SELECT 1") == (1,)


def drop(pid):
    """PostgreSQL ends the backend `pid` (as a restart or a failover would), and it is gone
    when this returns."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(500):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} still runs")


def test_the_worker_polls_on_when_the_database_drops_its_connection_in_a_poll(
    transactional_db, settings
):
    """The connection is checked before each poll, but it can break between the check and the
    poll's query (a restart, a failover): the worker then polls again on a new connection and
    runs the task waiting, instead of stopping."""
    if connection.vendor != "postgresql":
        return  # SQLite is a file: no server drops its connections (CI runs this on PostgreSQL)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = jobs.start_upload_import([("good.txt", "标题\n正文一句。\n".encode())])
    dropped = []

    def drop_in_the_first_poll(execute, sql, params, many, context):
        if "SKIP LOCKED" in sql and not dropped:
            dropped.append(context["connection"].connection.info.backend_pid)
            drop(dropped[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_in_the_first_poll):
        call_command(
            "db_worker", batch=True, interval=0.1, reload=False, startup_delay=False, verbosity=0
        )
    assert dropped
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.imported == 1


def test_every_task_of_the_desk_closes_a_broken_connection():
    """Each app's tasks module (a task added later too) goes through newsroom.tasks.task."""
    wrapper = closes_a_broken_connection(lambda: None).__code__
    found = []
    ours = [app for app in apps.get_app_configs() if "site-packages" not in app.path]
    for app in ours:
        if importlib.util.find_spec(f"{app.name}.tasks") is not None:
            module = importlib.import_module(f"{app.name}.tasks")
            found += [t for t in vars(module).values() if isinstance(t, Task)]
    assert len(found) >= 4, found  # imports, refolding, e-mail notices, webhook deliveries
    assert [t.name for t in found if t.func.__code__ is not wrapper] == []
