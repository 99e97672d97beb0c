"""A background task whose database connection breaks under it (PostgreSQL restarted, a
failover) leaves that connection closed, so that the worker records the failure on a new one
and polls on (newsroom.db.closes_a_broken_connection, in every task of the desk through
newsroom.tasks.task); a task that fails on a working connection leaves it alone."""

import importlib
import importlib.util

import pytest
from django.apps import apps
from django.db import DatabaseError, connection
from django_tasks.base import Task

from newsroom.db import closes_a_broken_connection


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
    import psycopg

    pid = query("SELECT pg_backend_pid()")[0]
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
    with pytest.raises(DatabaseError):
        query("SELECT 1")
    assert connection.connection is None  # closed: the next use opens a new one
    assert query("SELECT 1") == (1,)


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
