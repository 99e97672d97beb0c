"""For the tests of the desk's languages: which Chinese on a page is the desk's own words, not
its data (claims, quotes, rationales, article titles and bodies, source names)."""

import re

from claims.models import Claim
from sources.models import Article, Source

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def data_text():
    """Every text the desk stores that a page may show, joined (what is data, not UI)."""
    texts = []
    for claim in Claim.objects.all():
        texts += [claim.text, claim.gloss]
        texts += [e.quote for e in claim.evidence.all()]
        texts += [v.rationale for v in claim.verdicts.all()]
    for article in Article.objects.all():
        texts += [article.title, article.display_title, article.body, article.boilerplate]
    texts += list(Source.objects.values_list("name", flat=True))
    return "\n".join(t for t in texts if t)


def chinese_runs_not_data(html):
    """Runs of Chinese characters in `html` that are not the desk's data, sorted."""
    data = data_text()
    return sorted({run for run in HAN.findall(html) if run not in data})
