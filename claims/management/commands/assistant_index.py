"""Read the articles that the claim assistant has not read yet (imported before it existed, with
NEWSROOM_ASSISTANT_ON_IMPORT=0, or by bulk tools such as `synth`), or all of them again."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.assistant import arrival
from claims.assistant import index as assistant_index
from claims.assistant.models import Passage
from sources.models import Article


class Command(BaseCommand):
    help = (
        "Read articles into the claim assistant's passages (those not read yet; --all: every one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Read every article again.")
        parser.add_argument("--batch", type=int, default=200)
        parser.add_argument(
            "--check-known-claims",
            action="store_true",
            help="Also check each article against the desk's claims (KnownClaim rows).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        articles = Article.objects.order_by("id")
        if not options["all"]:
            articles = articles.exclude(pk__in=Passage.objects.values("article_id"))
        ids = list(articles.values_list("id", flat=True))
        done = 0
        for start in range(0, len(ids), options["batch"]):
            batch = list(
                Article.objects.filter(pk__in=ids[start : start + options["batch"]]).only(
                    "id", "body"
                )
            )
            with transaction.atomic():
                Passage.objects.filter(article_id__in=[a.pk for a in batch]).delete()
                rows = []
                for article in batch:
                    rows.extend(arrival.read_passages(article))
                Passage.objects.bulk_create(rows, batch_size=1000)
            if options["check_known_claims"]:
                assistant_index.reset()
                for article in batch:
                    passages = list(Passage.objects.filter(article_id=article.pk))
                    arrival.check_known_claims(article, passages)
            done += len(batch)
            self.stdout.write(f"{done}/{len(ids)} articles read", ending="\r")
        assistant_index.reset()
        self.stdout.write(f"{done} articles read in {time.perf_counter() - started:.1f} s.")
