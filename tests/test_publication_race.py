"""Two reviewers publish digests holding the same claim at the same moment: the claim must
point at the entry of the digest published last, on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import close_old_connections, connection

from claims import services
from claims.models import Claim, Digest
from tests.conftest import RUMOUR_QUOTE

ROUNDS = 8


def publish_together(digests, reviewer):
    barrier = threading.Barrier(len(digests))
    errors = []

    def publish(digest):
        try:
            barrier.wait(timeout=10)
            services.publish_digest(digest, actor=reviewer)
        except Exception as exc:  # reported below, with the round that failed
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=publish, args=(d,)) for d in digests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.usefixtures("desk_groups")
def test_a_claim_points_at_its_newest_publication_when_two_publish_at_once(
    seed_articles, editor, reviewer, reviewer2
):
    claim = services.create_claim(
        actor=editor,
        text="约80%的成员已经辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    verdict = services.propose_verdict(claim, actor=editor, rating="rumour", rationale="仅有转述")
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    for round_ in range(ROUNDS):
        digests = [
            services.create_digest(actor=reviewer, title=f"第{round_}轮 {n}", claims=[claim])
            for n in range(2)
        ]
        errors = publish_together(digests, reviewer)
        assert not errors, f"round {round_}: {errors!r}"
        newest = Digest.objects.published().order_by("-published_at", "-id").first()
        assert Claim.objects.get(pk=claim.pk).published_entry.digest_id == newest.pk, round_
