"""More than one app server: what one server does, the other shows at once, and a client's
API limit is one limit across both (issue 15), and both (and the background worker) carry on
when PostgreSQL drops their connections. Servers A and B share PostgreSQL and Redis; see
conftest.py for how they are started."""

import re
import secrets
import subprocess
import sys
import time

import pytest

from tests.multiserver.conftest import ANON_RATE, PASSWORD, ROOT, Browser, call, call_json

pytestmark = pytest.mark.multiserver

RUMOUR_QUOTE = "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"
TITLE = "两台服务器上的摘要"


def test_a_publication_through_one_server_shows_on_the_other_at_once(desk):
    reader = "127.0.0.3"  # an anonymous reader of its own (its own API limit)
    # B has nothing published, and keeps that answer in the shared cache.
    for _ in range(2):
        status, _, page = call(desk.b, "GET", "/")
        assert status == 200 and TITLE not in page
    status, _, archive = call(desk.b, "GET", "/digests/")
    assert status == 200 and TITLE not in archive
    status, data = call_json(desk.b, "GET", "/api/v1/claims/", source=reader)
    assert status == 200 and data["count"] == 0
    assert desk.redis_keys("public-page:"), "B's page is not in Redis"
    assert desk.redis_keys("api-read:"), "B's API answer is not in Redis"

    # Through A: a token each, a claim, its verdict and the approval (API) …
    tokens = {}
    for name in ("editor", "reviewer"):
        status, data = call_json(
            desk.a, "POST", "/api/v1/auth/token/", {"username": name, "password": PASSWORD}
        )
        assert status == 200, data
        tokens[name] = data["token"]
    status, articles = call_json(
        desk.a, "GET", "/api/v1/articles/?page_size=50", token=tokens["editor"]
    )
    assert status == 200, articles
    article = next(a for a in articles["results"] if a["filename"].startswith("004_"))
    status, claim = call_json(
        desk.a,
        "POST",
        "/api/v1/claims/",
        {
            "text": "Meta的Llama 4团队约80%的成员已经辞职",
            "evidence": [{"article": article["id"], "quote": RUMOUR_QUOTE}],
        },
        token=tokens["editor"],
    )
    assert status == 201, claim
    status, verdict = call_json(
        desk.a,
        "POST",
        f"/api/v1/claims/{claim['id']}/verdicts/",
        {
            "rating": "rumour",
            "rationale": "Only a second-hand post; denied by staff.",
        },
        token=tokens["editor"],
    )
    assert status == 201, verdict
    status, read = call_json(
        desk.a, "GET", f"/api/v1/claims/{claim['id']}/", token=tokens["reviewer"]
    )
    status, approved = call_json(
        desk.a,
        "POST",
        f"/api/v1/verdicts/{verdict['id']}/approve/",
        {"claim_version": read["version"]},
        token=tokens["reviewer"],
    )
    assert status == 200 and approved["status"] == "approved", approved

    # … and the digest, composed and published on A's review pages by the reviewer.
    reviewer = Browser(desk.a)
    reviewer.log_in("reviewer", PASSWORD)
    status, headers, _ = reviewer.post(
        "/review/digests/new/",
        {
            "title": TITLE,
            "intro": "发布于服务器 A。",
            "claims": [claim["id"]],
        },
    )
    assert status == 302, status
    digest_id = re.search(r"/review/digests/(\d+)/", headers["Location"]).group(1)
    status, _, _ = reviewer.post(f"/review/digests/{digest_id}/publish/", {"confirm": "yes"})
    assert status == 302, status

    # B shows it at once: its cached pages and API answers were kept under the old stamp.
    status, _, page = call(desk.b, "GET", "/")
    assert status == 200 and TITLE in page
    status, _, archive = call(desk.b, "GET", "/digests/")
    assert status == 200 and TITLE in archive
    status, data = call_json(desk.b, "GET", "/api/v1/claims/", source=reader)
    assert status == 200 and [c["id"] for c in data["results"]] == [claim["id"]]
    assert data["results"][0]["verdict"]["rating"] == "rumour"
    status, _, claim_page = call(desk.b, "GET", f"/claims/{claim['id']}/")
    assert status == 200 and TITLE in claim_page
    # And so does A, which cached nothing of it either.
    assert TITLE in call(desk.a, "GET", "/")[2]


def test_an_anonymous_clients_api_limit_is_shared_by_both_servers(desk):
    client = "127.0.0.2"
    statuses = [
        call(port, "GET", "/api/v1/sources/", source=client)[0]
        for port in (desk.a, desk.b) * ANON_RATE  # twice the limit, alternating servers
    ]
    assert statuses.count(200) == ANON_RATE, statuses
    assert statuses.count(429) == ANON_RATE, statuses
    assert statuses[:ANON_RATE] == [200] * ANON_RATE  # the first ones pass, whichever server

    # A forged X-Forwarded-For does not make the same client look new (no trusted proxies).
    for port in (desk.a, desk.b):
        for _ in range(3):
            forged = (
                f"203.0.113.{secrets.randbelow(250) + 1}, 198.51.100.{secrets.randbelow(250) + 1}"
            )
            status, headers, _ = call(
                port, "GET", "/api/v1/sources/", source=client, headers={"X-Forwarded-For": forged}
            )
            assert status == 429, (port, forged, status)
            assert int(headers["Retry-After"]) > 0

    # Another client is counted apart: the limit is per client, not one for everybody.
    assert call(desk.b, "GET", "/api/v1/sources/", source="127.0.0.4")[0] == 200
    assert desk.redis_keys("throttle_anon_127.0.0.2"), "the throttle count is not in Redis"


def test_a_burst_at_both_servers_at_once_passes_only_the_limit(desk):
    """Three times the limit from one client, sent at the same moment to both servers (four
    workers): the shared count lets exactly the limit through, never more."""
    from concurrent.futures import ThreadPoolExecutor

    client = "127.0.0.6"
    ports = [desk.a, desk.b] * (3 * ANON_RATE // 2)
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(
            pool.map(lambda port: call(port, "GET", "/api/v1/sources/", source=client)[0], ports)
        )
    assert statuses.count(200) == ANON_RATE, statuses
    assert statuses.count(429) == len(ports) - ANON_RATE, statuses


# PostgreSQL drops the connections the desk's processes keep (a restart, a failover, an idle
# timeout on the way): the servers and the background worker carry on with new ones (CONN_MAX_AGE
# with connection health checks, newsroom/settings.py). In this file, so that one worker of
# `make test` starts the servers once (test files are handed out whole).


def scalar(database_url, sql, params=()):
    """The one value `sql` gives, asked on a connection of its own (not the desk's)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchone()[0]


# Clients' connections only: PostgreSQL's own autovacuum workers also show in pg_stat_activity
# under the database they clean, and one that starts during the test is no client of ours.
CLIENTS = "datname = current_database() AND backend_type = 'client backend'"


def drop_every_connection(database_url):
    """Terminate every client's connection to the desk's database but this one; how many there
    were."""
    return scalar(
        database_url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        f"WHERE {CLIENTS} AND pid <> pg_backend_pid()",
    )


def test_connections_that_postgresql_dropped_cost_no_failed_request(desk):
    for port in (desk.a, desk.b):
        for _ in range(6):  # both workers of each server hold a connection
            assert call(port, "GET", "/healthz")[0] == 200
    assert drop_every_connection(desk.env["DATABASE_URL"]) >= 2
    for port in (desk.a, desk.b):
        for _ in range(6):
            status, _, body = call(port, "GET", "/healthz")
            assert status == 200, body


def connections_since(database_url, moment):
    """The clients' connections to the desk database opened after `moment` (PostgreSQL's
    clock)."""
    return scalar(
        database_url,
        f"SELECT count(*) FROM pg_stat_activity WHERE {CLIENTS} "
        "AND pid <> pg_backend_pid() AND backend_start > %s",
        [moment],
    )


def tasks_waiting(database_url):
    """Background tasks queued or running (django_tasks_db's table)."""
    return scalar(
        database_url,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING')",
    )


def test_the_background_worker_runs_imports_after_postgresql_dropped_its_connection(desk):
    url = desk.env["DATABASE_URL"]
    started = scalar(url, "SELECT now()")
    worker = subprocess.Popen(
        # Polling every 0.2 s (production's worker polls every second): the test waits for
        # polls on the dropped connection, and a few take 0.6 s, not 2.
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env={**desk.env, "DJANGO_LOG_LEVEL": "WARNING"},
    )
    try:
        # The worker is polling for tasks, its connection open (nothing else connects now:
        # the servers get no request meanwhile), the tasks of the tests before (e-mail
        # notices) done: the connection is dropped while it waits.
        deadline = time.monotonic() + 30
        while (
            not connections_since(url, started) or tasks_waiting(url)
        ) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.poll() is None and connections_since(url, started) == 1
        assert not tasks_waiting(url)
        assert drop_every_connection(url) >= 1
        time.sleep(0.6)  # a few polls on the dropped connection
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
