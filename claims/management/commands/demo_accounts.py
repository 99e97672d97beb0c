import os
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from claims.services import EDITORS_GROUP, REVIEWERS_GROUP

ACCOUNTS = [("editor", EDITORS_GROUP), ("reviewer", REVIEWERS_GROUP)]


class Command(BaseCommand):
    help = "Create the demo accounts editor and reviewer (development machines only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only (DJANGO_DEBUG=1).")
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
        for username, group in ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            # example.org never receives mail: the notices show on `make run`'s console.
            user.email = user.email or f"{username}@example.org"
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
        shown = "from DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else password
        self.stdout.write(f"Demo accounts: editor, reviewer — password: {shown}")
