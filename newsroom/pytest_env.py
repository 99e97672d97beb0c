"""Test environment, loaded as a pytest plugin before Django starts (see pytest.ini):
production settings, with what a test machine needs."""

import os

import pytest

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("NEWSROOM_ANON_THROTTLE", "100000/minute")
# The desk's identity (required outside DEBUG): the test server's own address.
os.environ.setdefault("NEWSROOM_DESK_NAME", "核查台 Newsroom Review Desk")
os.environ.setdefault("NEWSROOM_DESK_URL", "http://testserver/")


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    """Passwords hashed the fast way: production's hasher (PBKDF2, a million rounds) is slow on
    purpose, and tests make users and log in by the hundred. Tests that need a real hasher set
    their own (`settings.PASSWORD_HASHERS`)."""
    from django.conf import settings

    if settings.configured:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# In CI nothing is skipped: a test that would skip there (no chromium, no PostgreSQL) is a
# failure, so that a green CI run means every test ran.
_SKIPS_FAIL = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _fail_skip(report, when):
    if _SKIPS_FAIL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI ({when}), which counts as a failure: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _fail_skip((yield), call.when)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return _fail_skip((yield), "collection")
