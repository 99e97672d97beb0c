"""`manage.py refold`: fold every stored search text again (and the articles' fingerprints).

Search, dedupe and matching compare texts folded by sources.text.fold; the folded forms are
stored (search_text, on PostgreSQL under the gram index, which follows the rows by itself).
When folding changes (a new OpenCC, sources/regional_terms.txt, the glossary's aliases given
to sources.text.set_aliases), run this so that stored texts and queries fold alike again.
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.models import Claim, DigestEntry
from sources.models import Article, fingerprint_of_folded
from sources.text import fold

BATCH = 500


def _refold(queryset, folded_of, fields=("search_text",)):
    """Update the rows whose folded fields changed; returns how many did."""
    changed, batch = 0, []
    for row in queryset.iterator(chunk_size=BATCH):
        new = folded_of(row)
        if all(getattr(row, f) == v for f, v in zip(fields, new)):
            continue
        for field, value in zip(fields, new):
            setattr(row, field, value)
        batch.append(row)
        if len(batch) >= BATCH:
            queryset.model.objects.bulk_update(batch, fields)
            changed, batch = changed + len(batch), []
    if batch:
        queryset.model.objects.bulk_update(batch, fields)
    return changed + len(batch)


def refold_articles():
    """(articles changed, fingerprints kept because another article has the new one)."""
    taken = set(Article.objects.values_list("fingerprint", flat=True))
    kept = []

    def folded(article):
        body = fold(article.body)
        search_text = " ".join(part for part in (fold(article.title), body) if part)
        fingerprint = fingerprint_of_folded(body)
        if fingerprint != article.fingerprint:
            if fingerprint in taken:  # now the same text as another article: say so, keep it
                kept.append(article.pk)
                fingerprint = article.fingerprint
            else:
                taken.discard(article.fingerprint)
                taken.add(fingerprint)
        return search_text, fingerprint

    changed = _refold(
        Article.objects.only("id", "title", "body", "search_text", "fingerprint").order_by("id"),
        folded,
        ("search_text", "fingerprint"),
    )
    return changed, kept


class Command(BaseCommand):
    help = "Fold the stored search texts and article fingerprints again after folding changed."

    @transaction.atomic
    def handle(self, *args, **options):
        articles, kept = refold_articles()
        claims = _refold(Claim.objects.only("id", "text", "search_text"), lambda c: (fold(c.text),))
        entries = _refold(
            DigestEntry.objects.only("id", "text", "search_text"), lambda e: (fold(e.text),)
        )
        self.stdout.write(
            f"{articles} articles, {claims} claims, {entries} digest entries folded again"
        )
        for pk in kept:
            self.stdout.write(
                f"article #{pk} now folds like another article; its fingerprint is kept"
            )
