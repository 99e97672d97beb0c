"""Two app servers (gunicorn, production settings) on loopback, sharing one PostgreSQL and one
Redis, as a desk behind a load balancer would run.

The services come from the environment when it names them (CI's "two servers" stage sets
DATABASE_URL to a PostgreSQL and REDIS_URL), else this starts its own throwaway ones when
Debian's postgresql and redis-server are installed (scripts/pg.sh, scripts/redis.sh), else the
tests are skipped with the reason (and in CI a skip is a failure). The servers get a database
of their own, created and dropped here, and a cache key prefix of their own, so a run never
touches another's data.
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.throwaway import free_port, redis_sh, start_redis

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
ANON_RATE = 8  # anonymous API requests per minute, per client, for these servers


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "multiserver: two gunicorn servers sharing PostgreSQL and Redis (CI's 'two servers' stage)",
    )


def _postgres_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1] if found else None


@pytest.fixture(scope="module")
def shared_services():
    """(postgres_admin_url, redis_url): given by the environment or started here."""
    stack = []
    folder = Path(tempfile.mkdtemp(prefix="multiserver-"))
    folder.chmod(0o711)  # PostgreSQL runs as its own user (pg.sh) and must reach its folder
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://")):
            if _postgres_bin() is None:
                pytest.skip(
                    "needs PostgreSQL: set DATABASE_URL=postgres://… or apt-get install -y postgresql"
                )
            pgdir = folder / "pg"
            database_url = subprocess.run(
                ["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(pgdir), str(free_port())],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout.strip()
            stack.append(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(pgdir)])
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            if shutil.which("redis-server") is None:
                pytest.skip(
                    "needs Redis: set REDIS_URL=redis://… or apt-get install -y redis-server"
                )
            redis_dir = folder / "redis"
            redis_url = start_redis(redis_dir)
            stack.append(redis_sh("stop", redis_dir))
        yield database_url, redis_url
    finally:
        for command in reversed(stack):
            subprocess.run(command, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def own_database(shared_services):
    """A fresh PostgreSQL database for the servers, dropped afterwards."""
    import psycopg

    admin_url, _ = shared_services
    name = f"multiserver_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Desk:
    """The two servers and what the tests need of them."""

    def __init__(self, env, ports, redis_url, prefix):
        self.env = env
        self.a, self.b = ports
        self.redis_url = redis_url
        self.prefix = prefix

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout

    def redis_keys(self, pattern):
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            return [key.decode() for key in client.scan_iter(f"{self.prefix}:*{pattern}*")]
        finally:
            client.close()


def call(port, method, path, *, headers=None, body=None, source="127.0.0.1"):
    """One HTTP request from the loopback address `source` (a client of its own: the servers
    see it as REMOTE_ADDR). Returns (status, headers, text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.headers, answer.read().decode("utf-8", "replace")
    finally:
        conn.close()


def call_json(port, method, path, data=None, token=None, source="127.0.0.1"):
    headers = {"Accept": "application/json"}
    body = None
    if data is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(data).encode()
    if token:
        headers["Authorization"] = f"Token {token}"
    status, _, text = call(port, method, path, headers=headers, body=body, source=source)
    return status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)


class Browser:
    """A signed-in person on one server: cookies and the CSRF token, as a browser keeps them."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _send(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", "replace")
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return answer.status, answer.headers, text
        finally:
            conn.close()

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, form):
        return self._send("POST", path, form)

    def log_in(self, username, password):
        self.get("/accounts/login/")
        status, headers, _ = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 302, f"login as {username} answered {status}"


@pytest.fixture(scope="module")
def desk(shared_services, own_database):
    """Servers A and B (two sync workers each) on one database and one Redis, with the seed
    articles imported and two people: `editor` and `reviewer` (password PASSWORD)."""
    _, redis_url = shared_services
    folder = Path(tempfile.mkdtemp(prefix="multiserver-static-"))
    prefix = f"ms-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DATABASE_URL": own_database,
        "REDIS_URL": redis_url,
        "NEWSROOM_CACHE_PREFIX": prefix,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "NEWSROOM_ANON_THROTTLE": f"{ANON_RATE}/minute",
        "NEWSROOM_TRUSTED_PROXIES": "0",
        "GUNICORN_WORKERS": "2",
        # The app is loaded once in each master, before it forks its workers (preload_app), as
        # a desk past a few thousand articles runs it.
        "NEWSROOM_WARM_ASSISTANT": "1",
    }
    desk = Desk(env, (free_port(), free_port()), redis_url, prefix)
    # One process prepares the database and the static files (a manage.py start each would
    # cost a second apiece).
    desk.manage(
        "shell",
        "-c",
        (
            "from django.contrib.auth.models import Group, User\n"
            "from django.core.management import call_command\n"
            "from claims.services import EDITORS_GROUP, REVIEWERS_GROUP\n"
            "call_command('migrate', interactive=False, verbosity=0)\n"
            "call_command('collectstatic', interactive=False, verbosity=0)\n"
            f"call_command('import_articles', {str(ROOT / 'seeds')!r})\n"
            "for name, group in (('editor', EDITORS_GROUP), ('reviewer', REVIEWERS_GROUP)):\n"
            f"    User.objects.create_user(name, password={PASSWORD!r}).groups.add(Group.objects.get(name=group))\n"
        ),
    )
    servers = []
    try:
        for port in (desk.a, desk.b):
            servers.append(
                subprocess.Popen(
                    [
                        str(GUNICORN),
                        "-c",
                        str(ROOT / "bench" / "gunicorn.conf.py"),
                        "--bind",
                        f"127.0.0.1:{port}",
                        "newsroom.wsgi:application",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        for port, server in zip((desk.a, desk.b), servers):
            _wait_for(port, server)
        yield desk
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (TERM waits for workers)
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)


PASSWORD = "two-servers-test-password"


def _wait_for(port, server, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited ({server.returncode}); see its log")
        try:
            if call(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within {seconds} s")
