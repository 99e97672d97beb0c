"""The claim assistant: the same claim across sources and scripts, and figures that disagree.

Selectors only (they read, never write): `matches(claim)` finds the passages of other
articles that state what a claim states; `conflicts()` finds the quantities on which the
imported articles give different figures (claims/assistant_conflicts.py); `claim_conflicts`
narrows those to a claim; `claims_with_conflicting_figures` and
`claims_seen_in_several_sources` feed the review queue. All of it runs on script-folded text,
so a Traditional article finds its Simplified twins.
"""

from collections import defaultdict
from typing import NamedTuple

from claims.assistant import conflicts as assistant_conflicts
from claims.assistant.conflicts import TOLERANCE, subjects_of_texts
from claims.assistant.index import corpus_for
from claims.assistant.text import CONFLICT_UNITS, entities_in, entity_terms, is_hedged, terms_in
from claims.assistant.figures import parse_figures
from sources.models import Article, Source
from sources.text import fold_chars

# A match scores 0..1: key terms (IDF-weighted cosine, on the sentence or its best clause),
# named entities shared, figures shared. Kept: at least MIN_SCORE and RELATIVE_CUTOFF of the
# best match's score (a clear best match pushes out the also-rans).
W_TERMS, W_ENTITIES, W_FIGURES = 0.7, 0.2, 0.15
MIN_SCORE, RELATIVE_CUTOFF = 0.12, 0.5
SHORT_NORM_FLOOR = 0.5
SUBJECT_SHARE = 0.7
# The claim's own article says it again in passing; another outlet saying it counts more.
SAME_ARTICLE_WEIGHT = 0.6
_COMMON_ENTITIES = {"meta"}  # every seed article names it: sharing it says nothing


class Match(NamedTuple):
    article: Article
    start: int
    end: int
    quote: str
    score: float
    shared_figures: list


def _articles(articles=None):
    if articles is not None:
        return list(articles)
    return list(Article.objects.select_related("source").order_by("id"))


def _query(texts):
    folded = fold_chars("\n".join(t for t in texts if t))
    entities = entities_in(folded)
    return (folded, terms_in(folded) | entity_terms(entities), entities - _COMMON_ENTITIES,
            parse_figures(folded), subjects_of_texts(texts))


def _shared_figures(figures, sentence):
    shared = []
    for mine in figures:
        for theirs in sentence.figures:
            if theirs in shared:
                continue
            if mine.unit == theirs.unit == "date":
                # 2013年 and 2013年12月 are the same date said less precisely.
                if mine.iso[:1] != "-" and (mine.iso.startswith(theirs.iso)
                                            or theirs.iso.startswith(mine.iso)):
                    shared.append(theirs)
            elif mine.unit in CONFLICT_UNITS and mine.same_as(theirs, TOLERANCE):
                shared.append(theirs)
    return shared


def _cosine(terms, other, corpus, query_norm):
    shared = terms & other
    if not shared:
        return 0.0
    dot = sum(corpus.weight(t) ** 2 for t in shared)
    # A headline of four words shares little but scores high on length alone: floor the norm.
    return dot / (query_norm * max(corpus.norm(other), SHORT_NORM_FLOOR * query_norm))


def _score(query, sentence, corpus, query_norm):
    _, terms, entities, figures, subjects = query
    if not terms & sentence.terms or not query_norm:
        return 0.0, []
    cosine = max(_cosine(terms, window, corpus, query_norm)
                 for window in (sentence.terms, *sentence.windows))
    sentence_entities = sentence.entities - _COMMON_ENTITIES
    entity_share = len(entities & sentence_entities) / len(entities) if entities else 0.0
    shared = _shared_figures(figures, sentence)
    # A figure for the same quantity counts even when it differs: 143亿 and 148亿 are the same
    # claim told with different figures (that is a conflict, not a different claim).
    figure_share = 1.0 if shared else (SUBJECT_SHARE if subjects & sentence.subjects else 0.0)
    score = W_TERMS * cosine + W_ENTITIES * entity_share + W_FIGURES * figure_share
    return score, shared


def matches_for_text(texts, exclude=(), limit=10, min_score=None, articles=None):
    """Sentences of `articles` (default: all) that state what `texts` state, best first.
    `exclude` holds (article_id, start, end) spans not to return (the claim's own evidence)."""
    articles = _articles(articles)
    by_id = {a.pk: a for a in articles}
    min_score = MIN_SCORE if min_score is None else min_score
    corpus = corpus_for(articles)
    query = _query(texts)
    query_norm = sum(corpus.weight(t) ** 2 for t in query[1]) ** 0.5
    excluded = defaultdict(list)
    for article_id, start, end in exclude:
        excluded[article_id].append((start, end))
    found = []
    for sentence in corpus.candidates(query[1]):
        spans = excluded.get(sentence.article_id, ())
        if any(s < sentence.end and sentence.start < e for s, e in spans):
            continue
        score, shared = _score(query, sentence, corpus, query_norm)
        if sentence.article_id in excluded:
            score *= SAME_ARTICLE_WEIGHT
        if score >= min_score:
            found.append(Match(by_id[sentence.article_id], sentence.start, sentence.end,
                               sentence.text, round(score, 3), shared))
    found.sort(key=lambda m: (-m.score, m.article.pk, m.start))
    if found:
        found = [m for m in found if m.score >= RELATIVE_CUTOFF * found[0].score]
    return found[:limit]


def is_hedged_text(text):
    """Said as hearsay (据说, 爆料, 传言…), in either script."""
    return is_hedged(fold_chars(text))


def _evidence_spans(claim, evidence=None):
    """The claim's article evidence; `evidence` when the caller has loaded it already."""
    evidence = claim.evidence.all() if evidence is None else evidence
    return [e for e in evidence if e.article_id is not None]


def with_evidence(claims):
    """`claims` with their evidence and its articles loaded in two queries."""
    from django.db.models import Prefetch

    from claims.models import Evidence

    return claims.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("article__source")))


def matches(claim, limit=10, min_score=None, articles=None, evidence=None):
    """Passages in other articles (or elsewhere in its own) that state the same as `claim`."""
    spans = _evidence_spans(claim, evidence)
    texts = [claim.text] + [e.quote for e in spans]
    exclude = [(e.article_id, e.start, e.end) for e in spans]
    return matches_for_text(texts, exclude, limit, min_score, articles)


# --- figure conflicts ------------------------------------------------------------------------


def conflicts(articles=None):
    """Subjects on which the articles give different figures, each
    {"subject", "figures": [{"text", "value", "unit", "article", "quote", "start", "end",
    "hedged"}]}, sourced figures before hedged ones."""
    return assistant_conflicts.conflicts(_articles(articles))


def claim_conflicts(claim, all_conflicts=None, evidence=None):
    """The figure conflicts that bear on `claim`: a hint that its verdict may be `disputed`."""
    subjects = assistant_conflicts.claim_subjects(claim, _evidence_spans(claim, evidence))
    if not subjects:
        return []
    if all_conflicts is None:
        all_conflicts = conflicts()
    return [c for c in all_conflicts if c["subject"] in subjects]


# --- the review queue ------------------------------------------------------------------------


# The queue reads the latest claims only: matching is a scan of every sentence per claim.
QUEUE_CLAIMS = 100


def _claims(claims):
    from claims.models import Claim

    if claims is None:
        claims = Claim.objects.order_by("-id")[:QUEUE_CLAIMS]
    return list(with_evidence(claims))


def claims_with_conflicting_figures(claims=None, articles=None):
    """[(claim, [conflict, ...])] for the claims whose quantities the articles disagree on."""
    all_conflicts = conflicts(articles)
    result = []
    for claim in claims if isinstance(claims, list) else _claims(claims):
        found = claim_conflicts(claim, all_conflicts)
        if found:
            result.append((claim, found))
    return result


def _source_key(article):
    # Articles of an unknown publisher each count as their own source.
    if article.source.slug == Source.UNKNOWN_SLUG:
        return f"article-{article.pk}"
    return f"source-{article.source_id}"


# "Seen in several sources" is a claim about the claim: only confident matches count. (On the
# desk's review of the seeds, the best match in another outlet scores above 0.28 for most
# claims that several outlets make, and below it for most single-source claims.)
SEVERAL_SOURCES_MIN_SCORE = 0.28


def claims_seen_in_several_sources(claims=None, min_sources=2, articles=None):
    """[(claim, [article, ...], n)] for claims that `n` >= `min_sources` sources report: the
    sources of the claim's evidence and of its confident matches; the articles listed are
    the matches in sources its evidence does not cite yet."""
    articles = _articles(articles)
    result = []
    for claim in claims if isinstance(claims, list) else _claims(claims):
        own = {_source_key(e.article) for e in _evidence_spans(claim)}
        others = {}
        for match in matches(claim, limit=20, min_score=SEVERAL_SOURCES_MIN_SCORE,
                             articles=articles):
            key = _source_key(match.article)
            if key not in own:
                others.setdefault(key, match.article)
        if len(own) + len(others) >= min_sources:
            result.append((claim, list(others.values()), len(own) + len(others)))
    return result


# --- the review pages ------------------------------------------------------------------------


def workbench(claim, evidence=None):
    """What the claim workbench shows: the claim's matches and the conflicts on its figures.
    `evidence`: the claim's evidence with articles, if the page has loaded it (one query less)."""
    if evidence is None:
        evidence = list(claim.evidence.select_related("article__source"))
    articles = _articles()
    found = claim_conflicts(claim, conflicts(articles), evidence)
    return {
        "matches": [{"match": m, "hedged": is_hedged_text(m.quote)}
                    for m in matches(claim, articles=articles, evidence=evidence)],
        "conflicts": found,
        "suggest_disputed": bool(found),
    }


def queue():
    """The review queue's two assistant lists, from one read of the articles and claims."""
    articles = _articles()
    claims = _claims(None)
    return {
        "conflicting": claims_with_conflicting_figures(claims, articles),
        "several_sources": claims_seen_in_several_sources(claims, articles=articles),
    }
