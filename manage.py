#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Settings that cannot be read (no DJANGO_SECRET_KEY in production, a bad DATABASE_URL)
    # stop every command with their own message, not a traceback through Django's internals.
    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting loads them all
    except ImproperlyConfigured as exc:
        sys.exit(f"{sys.argv[0]}: {exc}")
    # A command run before `migrate` (no tables yet, or tables older than the code) says so
    # and what to run, instead of a traceback ending in "no such table". `migrate` itself, if it
    # fails, shows its own error.
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as exc:
        if sys.argv[1:2] == ["migrate"]:
            raise
        from newsroom.db import not_migrated_message

        message = not_migrated_message(exc)
        if message is None:
            raise
        sys.exit(f"{sys.argv[0]}: {message}")


if __name__ == "__main__":
    main()
