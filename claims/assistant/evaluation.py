"""Measure the claim assistant against a hand-written corpus (claims/assistant/corpus.yaml).

Matches: every passage of a group is used as a query (its own span excluded); the top
`limit` results are read. Recall = share of (query, twin in another article) pairs whose twin
is among the results; precision = share of results that overlap a passage of the query's group.
Conflicts: a known conflict is found when one reported conflict holds all its figures (same
file, unit and value within 1%); precision = share of reported conflicts that hold at least
two figures of one known conflict.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claims import assistant
from sources.models import Article
from sources.text import fold_chars

DEFAULT_CORPUS = Path(__file__).resolve().parent / "corpus.yaml"
SEEDS_REVIEW = Path(__file__).resolve().parents[2] / "seeds" / "review.yaml"


class CorpusError(Exception):
    pass


@dataclass
class Score:
    found: int = 0
    expected: int = 0
    correct: int = 0
    reported: int = 0
    queries: int = 0
    top_right: int = 0  # queries whose best match is a known twin
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    @property
    def recall(self):
        return self.found / self.expected if self.expected else 1.0

    @property
    def top_precision(self):
        return self.top_right / self.queries if self.queries else 1.0

    @property
    def precision(self):
        return self.correct / self.reported if self.reported else 1.0


def load_corpus(path=None):
    try:
        with open(path or DEFAULT_CORPUS, encoding="utf-8") as handle:
            corpus = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CorpusError(f"Cannot read the corpus {path or DEFAULT_CORPUS}: {error}") from error
    if not isinstance(corpus, dict):
        raise CorpusError("The corpus is a mapping with `matches` and `conflicts` lists.")
    return corpus


def articles_by_file():
    return {a.filename[:3]: a for a in Article.objects.select_related("source")
            if a.filename}


def locate(article, quote):
    """(start, end) of `quote` in the article body, across scripts."""
    start = fold_chars(article.body).find(fold_chars(quote))
    if start < 0:
        raise CorpusError(f"Quote not found in {article.filename}: {quote[:40]}")
    return start, start + len(quote)


def _overlaps(match, span):
    article, start, end = span
    return match.article.pk == article.pk and match.start < end and start < match.end


def evaluate_matches(corpus, articles, limit=5):
    score = Score()
    all_articles = list(articles.values())
    for group in corpus.get("matches", []):
        spans = []
        for passage in group["passages"]:
            article = articles.get(str(passage["file"]))
            if article is None:
                raise CorpusError(f"No imported article for file {passage['file']}")
            spans.append((article, *locate(article, passage["quote"])))
        for i, (article, start, end) in enumerate(spans):
            query = article.body[start:end]
            results = assistant.matches_for_text(
                [query], exclude=[(article.pk, start, end)], limit=limit, articles=all_articles)
            others = [s for j, s in enumerate(spans) if j != i]
            score.queries += 1
            if results and any(_overlaps(results[0], s) for s in others):
                score.top_right += 1
            for result in results:
                score.reported += 1
                if any(_overlaps(result, s) for s in others):
                    score.correct += 1
                else:
                    score.false_alarms.append((group["claim"], article.filename[:3],
                                               result.article.filename[:3], result.quote[:50]))
            for twin in others:
                if twin[0].pk == article.pk:
                    continue
                score.expected += 1
                if any(_overlaps(r, twin) for r in results):
                    score.found += 1
                else:
                    score.misses.append((group["claim"], article.filename[:3],
                                         twin[0].filename[:3]))
    return score


def _holds(conflict, figure):
    for entry in conflict["figures"]:
        if (entry["article"].filename[:3] == str(figure["file"]) and entry["unit"] == figure["unit"]
                and abs(entry["value"] - figure["value"]) <= 0.01 * abs(figure["value"])
                and entry.get("hedged", False) == figure.get("hedged", entry.get("hedged", False))):
            return True
    return False


def evaluate_conflicts(corpus, articles):
    score = Score()
    found = assistant.conflicts(list(articles.values()))
    known = corpus.get("conflicts", [])
    for conflict in known:
        score.expected += 1
        if any(all(_holds(c, f) for f in conflict["figures"]) for c in found):
            score.found += 1
        else:
            score.misses.append(conflict["subject"])
    for c in found:
        score.reported += 1
        if any(sum(_holds(c, f) for f in k["figures"]) >= 2 for k in known):
            score.correct += 1
        else:
            score.false_alarms.append(c["subject"])
    return score


def evaluate_review(path, articles, limit=10):
    """A second opinion: the desk's own review (seeds/review.yaml). For each claim whose
    evidence spans two or more articles, the claim's text and its first quote are matched;
    recall = share of the other articles whose quoted evidence is among the matches."""
    with open(path, encoding="utf-8") as handle:
        review = yaml.safe_load(handle) or {}
    score = Score()
    all_articles = list(articles.values())
    for claim in review.get("claims", []):
        spans = []
        for item in claim.get("evidence", []):
            article = articles.get(str(item.get("file", ""))[:3])
            if article is not None:
                try:
                    spans.append((article, *locate(article, item["quote"])))
                except CorpusError:
                    continue
        if len({s[0].pk for s in spans}) < 2:
            continue
        first = spans[0]
        results = assistant.matches_for_text(
            [claim["text"], first[0].body[first[1]:first[2]]], exclude=[(first[0].pk, *first[1:])],
            limit=limit, articles=all_articles)
        score.queries += 1
        if results and any(_overlaps(results[0], s) for s in spans):
            score.top_right += 1
        for result in results:
            score.reported += 1
            score.correct += any(_overlaps(result, s) for s in spans)
        for article_id in {s[0].pk for s in spans} - {first[0].pk}:
            score.expected += 1
            twins = [s for s in spans if s[0].pk == article_id]
            if any(_overlaps(r, s) for r in results for s in twins):
                score.found += 1
            else:
                score.misses.append((claim.get("key"), first[0].filename[:3], twins[0][0].filename[:3]))
    return score


def evaluate(path=None, limit=5):
    corpus = load_corpus(path)
    articles = articles_by_file()
    return evaluate_matches(corpus, articles, limit), evaluate_conflicts(corpus, articles)
