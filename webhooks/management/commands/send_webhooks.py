"""Enqueue every pending webhook delivery that is due (for backends without deferred tasks,
or deliveries whose task was lost)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.models import Delivery
from webhooks.tasks import enqueue


class Command(BaseCommand):
    help = "Enqueue the webhook deliveries that are pending and due."

    def handle(self, *args, **options):
        due = Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
        count = 0
        for pk in due:
            enqueue(pk)
            count += 1
        self.stdout.write(f"{count} due webhook deliveries enqueued.")
