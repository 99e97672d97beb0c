"""Folding stored texts again: every search text (articles, claims, digest entries) and the
articles' fingerprints, after folding changed (a new OpenCC, sources/regional_terms.txt, the
glossary's aliases given to sources.text.set_aliases).

`manage.py refold` runs it by hand; a change to the glossary enqueues it (claims.tasks.refold).
Running it twice changes nothing the second time.
"""

from django.db import transaction

from claims.models import Claim, DigestEntry
from sources.models import Article, fingerprint_of_folded
from sources.text import fold, refresh_aliases

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


@transaction.atomic
def refold_all():
    """Fold every stored text again with the aliases in force now. Returns the counts and the
    ids of articles whose fingerprint was kept (another article now has theirs)."""
    refresh_aliases()
    articles, kept = refold_articles()
    claims = _refold(Claim.objects.only("id", "text", "search_text"), lambda c: (fold(c.text),))
    entries = _refold(
        DigestEntry.objects.only("id", "text", "search_text"), lambda e: (fold(e.text),)
    )
    return {"articles": articles, "claims": claims, "entries": entries, "kept": kept}
