"""One attempt at a delivery: sign, POST, record; and the address rules.

The POST is made with http.client (what urllib.request uses underneath) on a connection
pinned to the address that was checked, so a name that resolves to a public address when
checked cannot reach a private one when connecting (DNS rebinding); redirects are not
followed (a 3xx is a failed attempt), so a receiver cannot send the desk elsewhere either.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.models import Delivery

# After the first attempt fails, the next ones wait this long: 1 min, 5, 25, 2 h, 10 h. After
# the last (MAX_ATTEMPTS in all) the delivery is failed; the admin can retry it.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=25),
    timedelta(hours=2),
    timedelta(hours=10),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 10  # seconds, for connecting and for each read
USER_AGENT = "NewsroomReviewDesk-Webhooks/1.0"
ERROR_CHARS = 1000


class Refused(Exception):
    """The URL may not be delivered to; the message says why."""


def allow_private():
    return bool(getattr(settings, "NEWSROOM_WEBHOOKS_ALLOW_PRIVATE", False))


def _public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url):
    """Refuse what the desk never posts to: not http(s), plain http outside DEBUG, or (unless
    NEWSROOM_WEBHOOKS_ALLOW_PRIVATE) a host on a loopback, private or link-local address.
    Returns (parts, addresses) with the host's addresses, the checked ones first."""
    parts = urlsplit(url or "")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Only http and https URLs can receive webhooks."))
    if scheme == "http" and not (settings.DEBUG or allow_private()):
        raise Refused(_("Webhook URLs must use https."))
    if parts.username or parts.password:
        raise Refused(_("Put no user name or password in the URL; the signature authenticates."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused(_("The URL's port is not a number from 1 to 65535.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(
            _("The host %(host)s could not be found.") % {"host": parts.hostname}
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private():
        private = [a for a in addresses if not _public(a)]
        if private:
            raise Refused(
                _(
                    "The host %(host)s is on a loopback, private or link-local address "
                    "(%(address)s); webhooks are only sent to public addresses."
                )
                % {"host": parts.hostname, "address": private[0]}
            )
    return parts, port, addresses


def signature(secret, timestamp, body):
    """X-Newsroom-Signature's hex digest: HMAC-SHA256(secret, f"{timestamp}.{body}")."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def body_of(payload):
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def headers_for(delivery, body, timestamp):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Newsroom-Event": delivery.event,
        "X-Newsroom-Delivery": str(delivery.delivery_id),
        "X-Newsroom-Timestamp": str(timestamp),
        "X-Newsroom-Signature": "sha256=" + signature(delivery.endpoint.secret, timestamp, body),
    }


def post(url, body, headers, timeout=TIMEOUT):
    """POST `body` to `url`, connecting only to an address check_url accepted. Returns
    (status code, the start of the answer's body)."""
    parts, port, addresses = check_url(url)
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def pinned(address, *args, **kwargs):  # the checked address, not a second lookup
        return socket.create_connection((addresses[0], address[1]), *args, **kwargs)

    conn._create_connection = pinned
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", target, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read(ERROR_CHARS).decode("utf-8", "replace")
        return response.status, text
    finally:
        conn.close()


@dataclass
class Outcome:
    delivery: int
    status: str  # delivered, pending (retry at `retry_at`), failed, or skipped
    retry_at: datetime | None = None
    status_code: int | None = None

    def as_dict(self):
        return {
            "delivery": self.delivery,
            "status": self.status,
            "retry_at": self.retry_at.isoformat() if self.retry_at else None,
            "status_code": self.status_code,
        }


def attempt(delivery_id):
    """Make the next attempt of a pending delivery that is due, and record what happened.

    Skipped when the delivery is no longer pending or not yet due (a task left from before a
    "retry now"), or when another worker took this attempt first (the attempt count is the
    claim: only one worker moves it from n to n + 1)."""
    now = timezone.now()
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return Outcome(delivery_id, "skipped")
    if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
        return Outcome(delivery_id, "skipped", retry_at=delivery.next_attempt_at)
    taken = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1)
    if not taken:
        return Outcome(delivery_id, "skipped")
    delivery.attempts += 1

    code, error = None, ""
    if not delivery.endpoint.active:
        error = _("The endpoint is switched off.")
    else:
        body = body_of(delivery.payload)
        headers = headers_for(delivery, body, int(time.time()))
        try:
            code, text = post(delivery.endpoint.url, body, headers)
        except Refused as exc:
            error = str(exc)
        except (OSError, http.client.HTTPException) as exc:  # timeouts, refusals, TLS
            error = f"{type(exc).__name__}: {exc}"
        else:
            if not 200 <= code < 300:
                error = _("The receiver answered HTTP %(code)s: %(text)s") % {
                    "code": code,
                    "text": text.strip()[:500],
                }
    return _record(delivery, code, error[:ERROR_CHARS])


def _record(delivery, code, error):
    now = timezone.now()
    delivery.last_status_code, delivery.last_error = code, error
    retry_at = None
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Delivery.Status.DELIVERED,
            now,
            None,
        )
    elif delivery.attempts >= MAX_ATTEMPTS or not delivery.endpoint.active:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        retry_at = now + BACKOFF[delivery.attempts - 1]
        delivery.next_attempt_at = retry_at
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    return Outcome(delivery.pk, delivery.status, retry_at=retry_at, status_code=code)


def retry_now(queryset):
    """Put failed (or waiting) deliveries back in the queue at once; returns their ids."""
    ids = list(queryset.exclude(status=Delivery.Status.DELIVERED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    return ids
