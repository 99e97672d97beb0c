"""PostgreSQL drops the connections the desk's processes keep (a restart, a failover, an idle
timeout on the way): the app servers and the background worker carry on with new ones
(CONN_MAX_AGE with connection health checks, newsroom/settings.py)."""

import subprocess
import sys
import time

import pytest

from tests.multiserver.conftest import ROOT, call

pytestmark = pytest.mark.multiserver


def drop_every_connection(database_url):
    """Terminate every backend of the desk's database but this one; how many there were."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def test_connections_that_postgresql_dropped_cost_no_failed_request(desk):
    for port in (desk.a, desk.b):
        for _ in range(6):  # both workers of each server hold a connection
            assert call(port, "GET", "/healthz")[0] == 200
    assert drop_every_connection(desk.env["DATABASE_URL"]) >= 2
    for port in (desk.a, desk.b):
        for _ in range(6):
            status, _, body = call(port, "GET", "/healthz")
            assert status == 200, body


def test_the_background_worker_runs_imports_after_postgresql_dropped_its_connection(desk):
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env={**desk.env, "DJANGO_LOG_LEVEL": "WARNING"},
    )
    try:
        time.sleep(3)  # the worker is polling for tasks, its connection open
        assert worker.poll() is None
        assert drop_every_connection(desk.env["DATABASE_URL"]) >= 1
        time.sleep(2)  # a poll or two on the dropped connection
        assert worker.poll() is None, "the worker stopped when its connection was dropped"
        out = desk.manage(
            "shell",
            "-c",
            (
                "import time\n"
                "from sources import jobs\n"
                f"job = jobs.start_path_import([{str(ROOT / 'seeds')!r}])\n"
                "for _ in range(120):\n"
                "    job.refresh_from_db()\n"
                "    if job.finished_at: break\n"
                "    time.sleep(0.25)\n"
                "print(job.status, job.done, job.total)\n"
            ),
        )
        status, done, total = out.split()[-3:]
        assert status == "done" and done == total, out
    finally:
        worker.terminate()
        worker.wait(timeout=15)
