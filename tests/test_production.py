"""Production serving: the settings a deployment runs with, checked in fresh processes (the
test process itself runs with the relaxed test environment of newsroom/pytest_env.py)."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks

from newsroom.logging import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    """The environment of a production process: no test or development relaxations."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NEWSROOM_")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
        NEWSROOM_DESK_NAME="核查台",
        NEWSROOM_DESK_URL="https://example.org/",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/newsroom-never-opened.sqlite3"),
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_deployment_checklist_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_the_product_refuses_to_start():
    result = manage("check", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr  # the message alone, as for any setting
    # gunicorn loads the same settings through the WSGI module: it refuses the same way.
    wsgi = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"],
        cwd=ROOT,
        env=production_env(DJANGO_SECRET_KEY=None, DJANGO_SETTINGS_MODULE="newsroom.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wsgi.returncode != 0 and "DJANGO_SECRET_KEY is not set" in wsgi.stderr


def test_a_database_url_that_cannot_be_read_stops_commands_with_its_reason():
    result = manage("migrate", DATABASE_URL="postgress://newsroom@db/newsroom")
    assert result.returncode == 1
    assert "DATABASE_URL cannot be read: Scheme 'postgress://' is unknown" in result.stderr
    assert "Traceback" not in result.stderr
    result = manage("migrate", DJANGO_CONN_MAX_AGE="sixty")
    assert result.returncode == 1
    assert "DJANGO_CONN_MAX_AGE must be a whole number, not 'sixty'." in result.stderr
    assert "Traceback" not in result.stderr


def test_without_the_desks_public_address_production_commands_stop():
    result = manage("check", "--deploy", NEWSROOM_DESK_URL=None)
    assert result.returncode != 0
    assert "newsroom.E002" in result.stderr and "NEWSROOM_DESK_URL is not set" in result.stderr
    assert "Set NEWSROOM_DESK_URL to the public address" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "desk_url, problem",
    [
        ("", "NEWSROOM_DESK_URL is not set"),
        ("http://127.0.0.1:8000/", "points at this machine (loopback)"),
        ("http://localhost/", "points at this machine (loopback)"),
        ("https://[::1]/", "points at this machine (loopback)"),
        ("http://desk.localhost/", "points at this machine (loopback)"),
        ("factcheck.example.org", "is not an http(s) address"),
        ("ftp://factcheck.example.org/", "is not an http(s) address"),
        ("https://factcheck.example.org/?x=1", "carries a query or a fragment"),
    ],
)
def test_an_address_that_is_not_the_public_site_is_refused_with_a_reason(
    settings, desk_url, problem
):
    """The same system check as above, run in this process for each kind of bad address."""
    settings.DEBUG, settings.DESK_URL = False, desk_url
    errors = [e for e in run_checks() if e.id == "newsroom.E002"]
    assert len(errors) == 1 and problem in errors[0].msg
    assert "Set NEWSROOM_DESK_URL to the public address" in errors[0].hint


@pytest.mark.parametrize(
    "desk_url", ["https://factcheck.example.org/", "http://203.0.113.7:8080/news/"]
)
def test_a_public_address_passes(settings, desk_url):
    settings.DEBUG, settings.DESK_URL = False, desk_url
    assert not [e for e in run_checks() if e.id.startswith("newsroom.")]


def test_without_the_desks_name_production_commands_stop():
    result = manage("migrate", "--check", NEWSROOM_DESK_NAME=None)
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr and "NEWSROOM_DESK_NAME is not set" in result.stderr


@pytest.mark.slow
def test_collected_static_files_are_hashed_compressed_and_served(tmp_path):
    static_root = tmp_path / "static"
    result = manage("collectstatic", "--noinput", "-v0", DJANGO_STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    assert (static_root / "staticfiles.json").exists()
    assert list(static_root.rglob("*.css.gz")), "whitenoise compresses what it collects"
    probe = (
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "url = static('base.css')\n"
        "answer = Client(HTTP_HOST='example.org').get(url, HTTP_ACCEPT_ENCODING='gzip', secure=True)\n"
        "print(url, answer.status_code, answer.headers.get('Content-Encoding'), "
        "answer.headers.get('Cache-Control'))\n"
    )
    result = manage("shell", "-c", probe, DJANGO_STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    url, status, encoding, cache = result.stdout.strip().splitlines()[-1].split(" ", 3)
    assert url.startswith("/static/base.") and url.endswith(".css") and url != "/static/base.css"
    assert status == "200" and encoding == "gzip"
    assert "immutable" in cache or "max-age=315360000" in cache


def test_healthz_answers_ok_when_the_database_answers(client, db):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "no-cache" in answer.headers["Cache-Control"]


@pytest.fixture(scope="module")
def database_down(tmp_path_factory):
    """What a production process answers while its database cannot be reached (a real failure,
    not a mock: the database file's folder does not exist): /healthz, and the pages readers,
    integrators and editors ask for. One process for all of them: (its output, its log)."""
    missing = tmp_path_factory.mktemp("down") / "no-such-folder" / "db.sqlite3"
    probe = (
        "from django.test import Client\n"
        "answer = Client(HTTP_HOST='example.org').get('/healthz', secure=True)\n"
        "print('HEALTHZ', answer.status_code, answer.content.decode())\n"
        "reader = Client(HTTP_HOST='example.org', raise_request_exception=False)\n"
        "editor = Client(HTTP_HOST='example.org', raise_request_exception=False)\n"
        "editor.cookies['sessionid'] = 'a' * 32  # signed in: the session is read from the database\n"
        "for client, path in ((reader, '/'), (reader, '/?script=hant'),"
        " (reader, '/api/v1/claims/'), (editor, '/review/')):\n"
        "    answer = client.get(path, secure=True)\n"
        "    print('PAGE', answer.status_code, answer.headers.get('Retry-After'),"
        " answer.headers.get('Content-Language'), answer.content.decode().replace('\\n', ' '))\n"
    )
    result = manage("shell", "-c", probe, DATABASE_URL=f"sqlite:///{missing}")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(), result.stderr


def test_healthz_answers_503_when_the_database_is_unreachable(database_down):
    lines, log = database_down
    assert [line for line in lines if line.startswith("HEALTHZ")] == [
        'HEALTHZ 503 {"status": "unavailable"}'
    ]
    # The reason is logged for the operators, not shown to whoever asks.
    assert "healthz: the database does not answer" in log
    assert "unable to open database file" in log


def test_readers_meet_a_page_in_their_reading_when_the_database_is_down(database_down):
    lines, _ = database_down
    home, traditional, api, desk = [
        line.split(" ", 4)[1:] for line in lines if line.startswith("PAGE")
    ]
    # Unavailable for now (503, and when to try again), in the reader's reading.
    assert home[:3] == ["503", "30", "zh"]
    assert "页面暂时无法显示" in home[3] and 'lang="zh-Hans"' in home[3]
    assert traditional[:3] == ["503", "30", "zh-Hant-TW"]
    assert "頁面暫時無法顯示" in traditional[3] and "Server Error" not in traditional[3]
    # The API says so in JSON, as it did.
    assert api[:2] == ["503", "30"] and '"detail"' in api[3]
    # The desk's pages lead back to the work queue, the public ones to the latest digest.
    assert desk[:2] == ["503", "30"] and 'href="/review/"' in desk[3]
    assert 'href="/"' in home[3] and 'href="/review/"' not in home[3]


def test_logs_are_one_json_object_per_line():
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    record = logging.LogRecord(
        "sources.importer", logging.WARNING, __file__, 1, "refused %s", ("稿件.txt",), None
    )
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "sources.importer"
    assert entry["message"] == "refused 稿件.txt" and "\n" not in line


def test_the_benchmark_floor_is_not_routed_in_production(client):
    assert client.get("/_bench/floor/100/").status_code == 404


def test_the_benchmark_floor_returns_a_body_of_the_size_asked(tmp_path):
    probe = (
        "from django.test import Client\n"
        "answer = Client(HTTP_HOST='example.org').get('/_bench/floor/1234/', secure=True)\n"
        "print(answer.status_code, len(answer.content))\n"
    )
    result = manage("shell", "-c", probe, NEWSROOM_BENCH="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200 1234"
