"""Test environment, loaded as a pytest plugin before Django starts (see pytest.ini):
production settings, with what a test machine needs."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("NEWSROOM_ANON_THROTTLE", "100000/minute")
