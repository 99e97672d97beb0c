"""What the benchmark scripts share (bench/run.py, bench/paging.py, bench/assistant.py): the
product's own Python, the environment of a production process on loopback, manage.py, a free
port. The scripts run as `python bench/<name>.py`, which puts this folder on the import path."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results"


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    """A port nobody listens on: other servers may run on this machine."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, **overrides):
    """The environment of a production process (DEBUG off, a fresh secret key, the desk's
    identity) serving plain HTTP on loopback: no redirect to HTTPS, cookies not marked secure.
    `overrides` add or replace variables; a None value removes one."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        NEWSROOM_DESK_NAME="核查台 bench",
        NEWSROOM_DESK_URL="https://desk.example.org/",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args, capture=False, quiet=False):
    """Run manage.py in `env`; its output returned (`capture`), dropped (`quiet`) or shown."""
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else (subprocess.DEVNULL if quiet else None),
        text=True,
    )
    return result.stdout if capture else None
