"""Settings come from the environment, and production refuses to start without a secret."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, tmp_path, **env):
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_fails_with_a_clear_message(tmp_path):
    result = manage("check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_traditional_other_than_taiwans_or_hong_kongs_is_refused_with_a_clear_message(
    tmp_path,
):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="1", NEWSROOM_TRADITIONAL="mo")
    assert result.returncode != 0
    assert "NEWSROOM_TRADITIONAL must be tw (Taiwan) or hk (Hong Kong), not 'mo'." in result.stderr


def test_development_runs_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def migrated(tmp_path, django_db_setup, django_db_blocker):
    """tmp_path/db.sqlite3, migrated: a copy of the tests' database when it is SQLite (made
    by migrate at the start of the session; a migrate in a fresh process takes seconds), else
    made by `migrate`. Copied outside any test's transaction: no test data goes with it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with django_db_blocker.unblock(), closing(sqlite3.connect(tmp_path / "db.sqlite3")) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
    else:
        assert manage("migrate", "-v0", tmp_path=tmp_path, DJANGO_DEBUG="1").returncode == 0


def test_a_refused_import_exits_non_zero_without_a_traceback(migrated, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = manage(
        "import_articles", str(tmp_path / "empty.txt"), tmp_path=tmp_path, DJANGO_DEBUG="1"
    )
    assert result.returncode == 1
    assert f"{tmp_path / 'empty.txt'}: refused: is empty (0 bytes)" in result.stderr
    assert "Traceback" not in result.stderr
    assert "0 imported, 0 unchanged, 1 refused" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["import_articles", "seeds/"],
        # The worker polls on after the database's operational errors, but not after this one.
        ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
    ],
)
def test_a_command_run_before_migrate_says_to_migrate_and_stores_nothing(tmp_path, command):
    result = manage(*command, tmp_path=tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 1
    assert "no such table" in result.stderr
    assert "not applied" in result.stderr and "python manage.py migrate" in result.stderr
    assert "Traceback" not in result.stderr
    # and the database is as it was: not one table made
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as database:
        tables = database.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        assert tables.fetchone() == (0,)


def test_debug_is_off_and_every_reading_is_an_offered_language_with_its_catalogue():
    from django.utils.translation import check_for_language

    from newsroom.script import READINGS

    assert settings.DEBUG is False
    offered = {code for code, _ in settings.LANGUAGES}
    assert {reading.language for reading in READINGS.values()} <= offered
    assert all(check_for_language(code) for code in offered)
    assert settings.IMPORT_MAX_BYTES == 5 * 1024 * 1024
