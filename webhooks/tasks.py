"""The delivery task (see sources/tasks.py for how tasks work here)."""

import logging

from newsroom.tasks import task
from webhooks import sending

logger = logging.getLogger(__name__)


@task()
def deliver(delivery_id: int) -> dict:
    """One attempt at Delivery `delivery_id` (webhooks.sending.attempt). A failed attempt
    with attempts left enqueues the next one, to run after the backoff."""
    outcome = sending.attempt(delivery_id)
    if outcome.status == "pending" and outcome.retry_at is not None:
        enqueue(delivery_id, run_after=outcome.retry_at)
    return outcome.as_dict()


def enqueue(delivery_id, run_after=None):
    """Enqueue an attempt. A backend that cannot defer (NEWSROOM_TASKS=immediate) would run a
    retry at once: the delivery then waits, pending with its next_attempt_at, for
    `manage.py send_webhooks` (run it from cron on such a machine)."""
    if run_after is None:
        return deliver.enqueue(delivery_id)
    if not deliver.get_backend().supports_defer:
        logger.info("Webhook delivery %s waits for send_webhooks (no deferred tasks)", delivery_id)
        return None
    return deliver.using(run_after=run_after).enqueue(delivery_id)
