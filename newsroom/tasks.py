"""`task()`: Django's tasks framework's decorator (django-tasks backport) as every app of the
desk uses it, with the function's database connection closed when it broke under the task
(newsroom.db.closes_a_broken_connection), so that `manage.py db_worker` records the failure on
a new connection and polls on instead of stopping."""

from django_tasks import task as _task

from newsroom.db import closes_a_broken_connection


def task(**options):
    def decorate(func):
        return _task(**options)(closes_a_broken_connection(func))

    return decorate
