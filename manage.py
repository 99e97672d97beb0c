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
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
