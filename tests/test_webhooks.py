"""Webhooks (webhooks/, docs/webhooks.md): a publication or a correction is POSTed, signed, to
each subscribed endpoint once it commits; failures are retried with backoff, then failed;
private addresses are refused; the admin is the superuser's. A real receiver on 127.0.0.1."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from claims import services
from tests.conftest import make_user
from webhooks import sending
from webhooks.models import Delivery, Endpoint, Event
from webhooks.tasks import deliver

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
ROOT = Path(__file__).resolve().parent.parent


class Receiver:
    """A CMS's receiver: records every request, answers `status`."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.status_for = {}  # path → status, for some paths
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.status_for.get(self.path, receiver.status)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver is down")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/newsroom?x=1"
        # A short poll: shutdown() waits for it (the default half second, at every test).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def allow_private(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def endpoint(db, receiver, allow_private):
    return Endpoint.objects.create(url=receiver.url, description="CMS")


@pytest.fixture
def draft(rumour_claim, reviewer2):
    """A draft digest whose claim has an approved verdict, ready to publish."""
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer2, claim_version=rumour_claim.version
    )
    return services.create_digest(
        actor=reviewer2, title="Meta AI 裁员", claims=[rumour_claim], intro="第一次核查。"
    )


def publish(capture, digest, actor):
    with capture(execute=True):
        return services.publish_digest(digest, actor=actor)


def verified(request, secret):
    """What a receiver does (docs/webhooks.md): check the signature, then read the body."""
    timestamp = request["headers"]["X-Newsroom-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-Newsroom-Signature"], f"sha256={expected}")
    return json.loads(request["body"].decode("utf-8"))


# --- publication -----------------------------------------------------------------------------


def test_publishing_a_digest_delivers_one_signed_post_carrying_the_digest(
    client, receiver, endpoint, immediate, draft, reviewer2, django_capture_on_commit_callbacks
):
    digest = publish(django_capture_on_commit_callbacks, draft, reviewer2)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = request["headers"]
    assert request["path"] == "/hooks/newsroom?x=1"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Newsroom-Event"] == "digest.published"
    assert headers["User-Agent"].startswith("NewsroomReviewDesk")
    body = verified(request, endpoint.secret)
    # UTF-8 as written, not \u escapes.
    assert "Meta AI 裁员".encode() in request["body"]

    delivery = Delivery.objects.get()
    assert headers["X-Newsroom-Delivery"] == str(delivery.delivery_id) == body["delivery"]
    assert body["event"] == "digest.published" and body["created"]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    # The digest exactly as the public API shows it, URLs absolute on the desk's address.
    shown = client.get(f"/api/v1/digests/{digest.pk}/").json()
    assert body["digest"] == shown
    assert body["digest"]["id"] == digest.pk and body["digest"]["published"] is True
    assert body["digest"]["url"].startswith("http://testserver/digests/")
    assert body["digest"]["claims"][0]["url"].startswith("http://testserver/claims/")


def test_a_correction_delivers_digest_corrected(
    receiver, endpoint, immediate, published_digest, reviewer, django_capture_on_commit_callbacks
):
    assert receiver.requests == []  # published outside a commit: nothing was announced
    correction = services.start_correction(published_digest, actor=reviewer, note="更正了标题")
    publish(django_capture_on_commit_callbacks, correction, reviewer)

    [request] = receiver.requests
    assert request["headers"]["X-Newsroom-Event"] == "digest.corrected"
    body = verified(request, endpoint.secret)
    assert body["event"] == "digest.corrected"
    assert body["digest"]["id"] == correction.pk
    assert body["digest"]["corrects"] == published_digest.pk
    assert body["digest"]["version"] == 2
    assert body["digest"]["correction_note"] == "更正了标题"


def test_endpoints_not_subscribed_or_switched_off_get_nothing(
    receiver, allow_private, immediate, draft, reviewer2, django_capture_on_commit_callbacks
):
    Endpoint.objects.create(url=receiver.url, events=[Event.CORRECTED])
    Endpoint.objects.create(url=receiver.url, active=False)
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_rolled_back_publication_sends_nothing(
    receiver, endpoint, immediate, draft, reviewer2, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.publish_digest(draft, actor=reviewer2)
            raise RuntimeError("something after the publication failed")
    assert callbacks == []
    assert receiver.requests == [] and not Delivery.objects.exists()
    draft.refresh_from_db()
    assert not draft.is_published


def test_with_the_database_queue_the_worker_delivers_after_the_commit(
    transactional_db, settings, receiver, allow_private, draft, reviewer2
):
    """Production's path: a real commit, the task queued in the database, `db_worker` runs it;
    a failed attempt queues the next one to run after the backoff."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    endpoint = Endpoint.objects.create(url=receiver.url)
    failing = Endpoint.objects.create(url=receiver.url.replace("/hooks/", "/down/"))
    receiver.status_for = {"/down/newsroom?x=1": 502}
    deliveries = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")
    services.publish_digest(draft, actor=reviewer2)  # commits: the signal is sent
    assert receiver.requests == [] and deliveries.count() == 2
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    ok, down = Delivery.objects.get(endpoint=endpoint), Delivery.objects.get(endpoint=failing)
    assert ok.status == "delivered" and ok.attempts == 1
    assert verified(receiver.requests[0], endpoint.secret)["digest"]["id"] == draft.pk
    assert (down.status, down.attempts, down.last_status_code) == ("pending", 1, 502)
    retry = deliveries.get(status="READY")
    assert retry.run_after == down.next_attempt_at and retry.args_kwargs["args"] == [down.pk]


def test_the_documented_signature_check_accepts_a_delivery_and_refuses_a_forgery(
    receiver, endpoint, immediate, draft, reviewer2, django_capture_on_commit_callbacks
):
    """The Python of docs/webhooks.md, run as a receiver would."""
    doc = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(code, namespace)
    verify = namespace["verify"]
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert verify(endpoint.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert not verify(endpoint.secret, headers, body.replace(b"rumour", b"false"))
    old = {**headers, "X-Newsroom-Timestamp": str(int(headers["X-Newsroom-Timestamp"]) - 3600)}
    assert not verify(endpoint.secret, old, body)


# --- failures and retries --------------------------------------------------------------------


def worker_runs(backend, delivery):
    """What the worker does when a queued attempt is due: run the task (the clock moved on)."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    return deliver.call(delivery.pk)


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(
    settings, receiver, endpoint, draft, reviewer2, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    backend = deliver.get_backend()
    receiver.status = 500
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    delivery = Delivery.objects.get()
    [queued] = backend.results  # enqueued once the publication committed
    assert queued.args == [delivery.pk] or queued.args == (delivery.pk,)
    assert queued.task.run_after is None

    before = timezone.now()
    assert deliver.call(delivery.pk)["status"] == "pending"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert "500" in delivery.last_error and "receiver is down" in delivery.last_error
    assert (
        before + timedelta(seconds=59)
        < delivery.next_attempt_at
        <= timezone.now() + timedelta(minutes=1)
    )
    # The next attempt is enqueued to run after the backoff.
    retry = backend.results[-1]
    assert len(backend.results) == 2 and retry.task.run_after == delivery.next_attempt_at

    # A task run early (left over, say) does nothing.
    assert deliver.call(delivery.pk)["status"] == "skipped"
    assert len(receiver.requests) == 1

    receiver.status = 204
    worker_runs(backend, delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 204)
    assert delivery.last_error == "" and delivery.next_attempt_at is None
    first, second = receiver.requests
    # The same delivery id each time; a fresh timestamp and signature.
    assert first["headers"]["X-Newsroom-Delivery"] == second["headers"]["X-Newsroom-Delivery"]
    assert verified(second, endpoint.secret)["delivery"] == str(delivery.delivery_id)
    assert len(backend.results) == 2  # nothing more to do


def test_after_the_last_attempt_the_delivery_is_failed(
    settings, receiver, endpoint, draft, reviewer2, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    backend = deliver.get_backend()
    receiver.status = 503
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    delivery = Delivery.objects.get()
    waits = []
    for _ in range(sending.MAX_ATTEMPTS):
        started = timezone.now()
        worker_runs(backend, delivery)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - started)
    assert delivery.status == "failed" and delivery.attempts == sending.MAX_ATTEMPTS == 6
    assert delivery.next_attempt_at is None and delivery.last_status_code == 503
    assert len(receiver.requests) == 6
    expected = [timedelta(minutes=m) for m in (1, 5, 25, 120, 600)]
    assert all(abs(w - e) < timedelta(seconds=5) for w, e in zip(waits, expected, strict=True))
    # One task at publication and one per retry; none after the last attempt.
    assert len(backend.results) == 1 + 5
    assert deliver.call(delivery.pk)["status"] == "skipped"


def test_an_unreachable_receiver_is_an_error_recorded_and_retried(
    receiver, endpoint, immediate, draft, reviewer2, django_capture_on_commit_callbacks
):
    receiver.close()  # nothing listens on that port any more
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at > timezone.now()


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_url_is_refused_without_allow_private(
    settings, receiver, immediate, draft, reviewer2, django_capture_on_commit_callbacks, host
):
    settings.DEBUG = True  # plain http is allowed; the address is what is refused
    assert settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE is False
    Endpoint.objects.create(url=receiver.url.replace("127.0.0.1", host))
    publish(django_capture_on_commit_callbacks, draft, reviewer2)
    delivery = Delivery.objects.get()
    assert receiver.requests == []  # no request made
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code is None
    # Recorded in the desk's language (the default reading: Simplified).
    assert "环回、私有或链路本地地址" in delivery.last_error


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/x", "Only http and https"),
        ("http://example.org/hook", "must use https"),
        ("https://10.1.2.3/hook", "private"),
        ("https://169.254.169.254/latest", "link-local"),
        ("https://[::1]/hook", "loopback"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://user:pw@203.0.113.9/hook", "user name or password"),
    ],
)
def test_urls_the_desk_never_posts_to(settings, url, message):
    settings.DEBUG = False
    with translation.override("en"), pytest.raises(sending.Refused, match=message):
        sending.check_url(url)


def test_a_public_https_address_passes():
    parts, port, addresses = sending.check_url("https://8.8.8.8/hook")
    assert (parts.hostname, port, addresses) == ("8.8.8.8", 443, ["8.8.8.8"])


# --- the admin -------------------------------------------------------------------------------


def staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def superuser(db):
    user = make_user("boss")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def admin_urls(delivery):
    return [
        reverse("admin:webhooks_endpoint_changelist"),
        reverse("admin:webhooks_endpoint_add"),
        reverse("admin:webhooks_endpoint_change", args=[delivery.endpoint_id]),
        reverse("admin:webhooks_delivery_changelist"),
        reverse("admin:webhooks_delivery_change", args=[delivery.pk]),
    ]


@pytest.fixture
def failed(endpoint):
    return Delivery.objects.create(
        endpoint=endpoint,
        event=Event.PUBLISHED,
        payload={"event": Event.PUBLISHED, "digest": {"id": 1, "title": "旧的"}},
        status=Delivery.Status.FAILED,
        attempts=sending.MAX_ATTEMPTS,
        last_status_code=500,
        last_error="The receiver answered HTTP 500",
    )


def test_the_superuser_sees_the_delivery_log_and_the_secret(client, superuser, failed):
    client.force_login(superuser)
    page = client.get(reverse("admin:webhooks_delivery_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "digest.published" in text and "CMS" in text and "500" in text
    change = client.get(reverse("admin:webhooks_endpoint_change", args=[failed.endpoint_id]))
    assert failed.endpoint.secret in change.content.decode()
    detail = client.get(reverse("admin:webhooks_delivery_change", args=[failed.pk]))
    assert detail.status_code == 200 and "旧的" in detail.content.decode()


def test_editors_and_reviewers_get_403_on_the_webhooks_admin(client, editor, reviewer, failed):
    for user in (staff(editor), staff(reviewer)):
        client.force_login(user)
        for url in admin_urls(failed):
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"url": "https://203.0.113.9/"}).status_code == 403, url
        index = client.get(reverse("admin:index")).content.decode()
        assert "webhooks" not in index.lower()
    assert Endpoint.objects.count() == 1


def test_a_staff_member_with_webhook_permissions_is_still_refused(client, failed):
    """Only superusers: a user (or group) permission on the webhooks models opens nothing."""
    from django.contrib.auth.models import Permission

    user = staff(make_user("viewer"))
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="webhooks"))
    client.force_login(user)
    for url in admin_urls(failed):
        assert client.get(url).status_code == 403, url
    delete = reverse("admin:webhooks_endpoint_delete", args=[failed.endpoint_id])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Endpoint.objects.filter(pk=failed.endpoint_id).exists()


def test_deliveries_cannot_be_added_changed_or_deleted(client, superuser, failed):
    client.force_login(superuser)
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    assert client.post(reverse("admin:webhooks_delivery_add"), {}).status_code == 403
    change = reverse("admin:webhooks_delivery_change", args=[failed.pk])
    assert client.post(change, {"status": "delivered"}).status_code == 403
    delete = reverse("admin:webhooks_delivery_delete", args=[failed.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "delete_selected", "_selected_action": [failed.pk], "post": "yes"},
    )
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_retry_now_sends_a_failed_delivery_again(client, superuser, failed, receiver, immediate):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "delivered" and failed.last_status_code == 200
    assert verified(receiver.requests[0], failed.endpoint.secret)["digest"]["title"] == "旧的"


def test_admin_posts_need_the_csrf_token(superuser, failed):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(superuser)
    response = browser.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_the_admin_refuses_a_private_url_with_a_clear_message(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "https://192.168.1.10/hook", "events": [Event.PUBLISHED], "active": "on"},
    )
    assert response.status_code == 200
    assert "Webhook 只会发送到公网地址" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_superuser_adds_an_endpoint_and_pings_it(
    client, superuser, receiver, allow_private, immediate, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "url": receiver.url,
            "description": "报社 CMS",
            "events": [Event.CORRECTED],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.events == [Event.CORRECTED] and len(endpoint.secret) >= 40
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:webhooks_endpoint_changelist"),
            {"action": "send_test_ping", "_selected_action": [endpoint.pk]},
        )
    [request] = receiver.requests
    assert request["headers"]["X-Newsroom-Event"] == "ping"
    assert verified(request, endpoint.secret)["endpoint"] == {"id": endpoint.pk}


# --- layering --------------------------------------------------------------------------------


def test_claims_and_sources_never_import_webhooks():
    for app in ("claims", "sources"):
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import webhooks" not in text and "from webhooks" not in text, path
