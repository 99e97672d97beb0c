"""Webhooks: where to tell a newsroom's CMS that the desk published, and what was sent."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_urlsafe(32)


def default_events():
    return list(Event.SUBSCRIBABLE)


class Event:
    PUBLISHED = "digest.published"
    CORRECTED = "digest.corrected"
    PING = "ping"  # the admin's "send a test ping"; nobody subscribes to it
    SUBSCRIBABLE = (PUBLISHED, CORRECTED)
    CHOICES = [
        (PUBLISHED, _("Digest published")),
        (CORRECTED, _("Correction published")),
        (PING, _("Test ping")),
    ]


class Endpoint(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    # HMAC key of X-Newsroom-Signature; the receiver keeps a copy (shown in the admin).
    secret = models.CharField(
        max_length=100, default=new_secret, editable=False, verbose_name=_("secret")
    )
    # Which of Event.SUBSCRIBABLE this endpoint hears (a list of event names).
    events = models.JSONField(default=default_events, verbose_name=_("events"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    description = models.CharField(max_length=200, blank=True, verbose_name=_("description"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.description or self.url

    def hears(self, event):
        return self.active and event in (self.events or [])


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(max_length=40, choices=Event.CHOICES, verbose_name=_("event"))
    payload = models.JSONField(verbose_name=_("payload"))
    # X-Newsroom-Delivery: the same on every attempt, so that receivers can drop repeats.
    delivery_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("delivery id")
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, verbose_name=_("status")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    last_status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("last status code")
    )
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"
