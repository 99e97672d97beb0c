"""Articles' titles in published snapshots: never a file name.

Snapshots frozen before every article had a title (see `manage.py retitle`) hold "" as the
title of an article they cite. Readers of those digests, their pages and their ClaimReview, get
the title the article's text gives instead; the snapshot itself stays as it was published.
"""

from sources import titles
from sources.models import Article


def with_article_titles(snapshot):
    """The snapshot, with a title for every article it cites (a copy, only when one lacks it)."""
    evidence = snapshot.get("evidence", [])
    missing = {
        e["article"]["id"] for e in evidence if e.get("article") and not e["article"].get("title")
    }
    if not missing:
        return snapshot
    stored = {
        article.pk: article.display_title for article in Article.objects.filter(pk__in=missing)
    }
    filled = []
    for item in evidence:
        article = item.get("article")
        if article and not article.get("title"):
            title = stored.get(article["id"]) or titles.make_title(item.get("quote") or "")
            item = dict(item, article=dict(article, title=title))
        filled.append(item)
    return dict(snapshot, evidence=filled)
