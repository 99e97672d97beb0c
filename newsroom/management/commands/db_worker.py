"""`manage.py db_worker`: django_tasks_db's worker, which also outlives a database connection
that breaks in the middle of a poll for tasks.

The worker checks its connection before each poll (CONN_HEALTH_CHECKS), but a restart or a
failover can end it between that check and the poll's query. The query then fails inside the
poll's transaction, where Django cannot open a new connection, and django_tasks_db's worker
stopped. This one logs the error and polls again, on a new connection, as it does after a task
whose connection broke (newsroom.db.closes_a_broken_connection); while the database cannot be
reached, it tries again at each interval. Errors in the desk's code or schema (anything but
the database's operational errors) still stop it, and so does a database that is not migrated
(manage.py then says to run migrate).

INSTALLED_APPS lists `newsroom` before django_tasks_db, so that this command is the one
`manage.py db_worker` runs; it takes the same options.
"""

import logging
import os
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from newsroom.db import not_migrated_message

logger = logging.getLogger("django_tasks_db")


class Worker(db_worker.Worker):
    def run(self):
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                # SQLite's "no such table" is an operational error too: manage.py says to
                # migrate.
                if not self.running or not_migrated_message(exc) is not None:
                    raise
                logger.warning(
                    "The database connection broke while polling for tasks (%s); polling again "
                    "on a new connection.",
                    (str(exc).strip().splitlines() or [type(exc).__name__])[0],
                )
                self.startup_delay = False
                close_old_connections()  # a connection still broken is closed; checked again
                time.sleep(self.interval)


class Command(db_worker.Command):
    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        # django_tasks_db's own handle(), with this module's Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # the reloader's child only
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
