"""What the desk announces and to whom: a Delivery per subscribed endpoint, then a task."""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from claims.api.catalog import DigestSerializer
from claims.jsonld import absolute
from claims.models import Digest
from webhooks.models import Delivery, Endpoint, Event

logger = logging.getLogger(__name__)


def digest_data(digest):
    """The digest as the public API shows it (GET /api/v1/digests/<id>/), built without a
    request: its URLs are absolute on the desk's public address (settings.DESK_URL)."""
    digest = Digest.objects.published().prefetch_related("entries").get(pk=digest.pk)
    data = DigestSerializer(digest, context={"request": None}).data
    data = {**data, "claims": [dict(claim) for claim in data["claims"]]}
    if data.get("url"):
        data["url"] = absolute(data["url"])
    data["claims_url"] = absolute(data["claims_url"])
    for claim in data["claims"]:
        claim["url"] = absolute(claim["url"])
    return data


def event_of(digest):
    return Event.CORRECTED if digest.corrects_id else Event.PUBLISHED


def payload(event, delivery_id, **data):
    return {
        "event": event,
        "delivery": str(delivery_id),
        "created": timezone.now().isoformat(),
        **data,
    }


def create_deliveries(event, endpoints, **data):
    """One pending Delivery per endpoint, and its delivery task (after the rows commit)."""
    with transaction.atomic():
        deliveries = []
        for endpoint in endpoints:
            delivery_id = uuid.uuid4()
            deliveries.append(
                Delivery.objects.create(
                    endpoint=endpoint,
                    event=event,
                    delivery_id=delivery_id,
                    payload=payload(event, delivery_id, **data),
                    next_attempt_at=timezone.now(),
                )
            )
        transaction.on_commit(lambda: enqueue_all(deliveries))
    return deliveries


def enqueue_all(deliveries):
    from webhooks.tasks import enqueue

    for delivery in deliveries:
        try:
            enqueue(delivery.pk)
        except Exception:  # a queue that refuses leaves it pending: `send_webhooks` sends it
            logger.exception("Could not enqueue webhook delivery %s", delivery.pk)


def digest_published(sender, digest, **kwargs):
    """claims.signals.digest_published: the publication has committed."""
    event = event_of(digest)
    endpoints = [e for e in Endpoint.objects.filter(active=True) if e.hears(event)]
    if not endpoints:
        return []
    return create_deliveries(event, endpoints, digest=digest_data(digest))


def ping(endpoint):
    """A test delivery to one endpoint (the admin's "send a test ping")."""
    return create_deliveries(Event.PING, [endpoint], endpoint={"id": endpoint.pk})[0]
