"""The claim assistant: the same claim across sources and scripts, figures that disagree, and
the desk's claims that arriving articles repeat.

Selectors (they read, never write): `matches(claim)` finds the passages of other articles that
state what a claim states; `conflicts()` the quantities on which articles give different
figures; `claim_conflicts` narrows those to a claim; `known_claims(article)` the desk's claims
an article repeats; `similar_claims(text)` claims like a text; `queue()` and `workbench()`
feed the review pages. All of it reads the in-memory index (claims/assistant/index.py), which
follows the database; words come from segmentation on script-folded text
(claims/assistant/text.py), so a Traditional article finds its Simplified twins.
"""

from typing import NamedTuple

from claims.assistant import conflicts as _conflicts
from claims.assistant import index as _index
from claims.assistant import matching
from claims.assistant.text import is_hedged, words_of
from sources.models import Article

MIN_SCORE = matching.MIN_SCORE


class Match(NamedTuple):
    article: Article
    start: int
    end: int
    quote: str
    score: float
    shared_figures: list

    @property
    def shared_figure_texts(self):
        """The shared figures as written, each once: a sentence may give one twice."""
        return list(dict.fromkeys(figure.text for figure in self.shared_figures))


class _Figure(NamedTuple):
    text: str
    value: float
    unit: str
    start: int
    end: int
    qualifier: str = ""


def current_index():
    return _index.current()


def _query_words(texts):
    words = []
    for text in texts:
        words.extend(words_of(text or "")[0])
    return words


def _shared_figures(idx, row, query_texts):
    """Figures of the matched sentence that the query gives too (same kind and value)."""
    from claims.assistant.quantities import figures_in, kind_of, same_value

    mine = [f for text in query_texts for f in figures_in(text or "")]
    shared = []
    for figure in idx.s_figures.get(row, ()):
        kind = kind_of(figure[4])
        if kind and any(kind_of(m[4]) == kind and same_value(m, figure) for m in mine):
            shared.append(_Figure(figure[2], figure[3], figure[4], figure[0], figure[1], figure[5]))
    return shared


def _to_matches(idx, hits, query_texts, articles=None):
    ids = {h.article_id for h in hits}
    by_id = {a.pk: a for a in articles} if articles is not None else {}
    missing = ids - set(by_id)
    if articles is None:
        # One query whether or not anything matched: pages query alike for any size of desk.
        by_id.update(
            {
                a.pk: a
                for a in Article.objects.select_related("source").filter(
                    pk__in=list(missing) or [0]
                )
            }
        )
    found = []
    for hit in hits:
        article = by_id.get(hit.article_id)
        if article is None:
            continue  # deleted meanwhile
        found.append(
            Match(
                article,
                hit.start,
                hit.end,
                article.body[hit.start : hit.end],
                hit.score,
                _shared_figures(idx, hit.row, query_texts),
            )
        )
    return found


def _hits_for_text(
    texts,
    exclude=(),
    limit=10,
    min_score=None,
    articles=None,
    context_articles=(),
    idx=None,
    sentence_only=False,
    claim_id=None,
):
    """(index, hits, texts): the raw matches, before their articles are read. A claim's words
    are in the index already (`claim_id`): they are not read again."""
    texts = [t for t in texts if t and t.strip()]
    idx = idx or current_index()
    if not texts:
        return idx, [], texts
    row = idx.row_of_claim.get(claim_id) if claim_id is not None else None
    words = list(idx.c_words[row]) if row is not None and idx.c_alive[row] else _query_words(texts)
    if not words:
        return idx, [], texts
    from claims.assistant.quantities import figures_in

    context = (
        idx.document_words(context_articles) if context_articles and not sentence_only else words
    )
    own = {a for a, _, _ in exclude} | set(context_articles)
    only = None if articles is None else {a.pk for a in articles}
    figures = [f for text in texts for f in figures_in(text)]
    hits = matching.match_sentences(
        idx,
        words,
        context,
        exclude=exclude,
        own_articles=own,
        limit=limit,
        min_score=min_score,
        only_articles=only,
        figures=figures,
        sentence_only=sentence_only,
    )
    return idx, hits, texts


def matches_for_text(
    texts, exclude=(), limit=10, min_score=None, articles=None, context_articles=()
):
    """Sentences of the articles (default: all) that state what `texts` state, best first, one
    per article. `exclude` holds (article_id, start, end) spans not to return (the claim's
    own evidence); `context_articles` the articles the texts come from (their whole text is
    the claim's context); without them the texts are their own context."""
    idx, hits, texts = _hits_for_text(texts, exclude, limit, min_score, articles, context_articles)
    return _to_matches(idx, hits, texts, articles)


def is_hedged_text(text):
    """Said as hearsay (据说, 爆料, 传言…), in either script."""
    return is_hedged(text)


def _evidence_spans(claim, evidence=None):
    """The claim's article evidence; `evidence` when the caller has loaded it already."""
    evidence = claim.evidence.all() if evidence is None else evidence
    return [e for e in evidence if e.article_id is not None]


def with_evidence(claims):
    """`claims` with their evidence and its articles loaded in two queries."""
    from django.db.models import Prefetch

    from claims.models import Evidence

    return claims.prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("article__source").defer(
                "article__body", "article__boilerplate", "article__search_text"
            ),
        )
    )


def _claim_query(claim, evidence=None):
    spans = _evidence_spans(claim, evidence)
    texts = [claim.text] + [e.quote for e in spans]
    exclude = [(e.article_id, e.start, e.end) for e in spans]
    return texts, exclude, list(dict.fromkeys(e.article_id for e in spans))


def matches(claim, limit=10, min_score=None, articles=None, evidence=None):
    """Passages in other articles (or elsewhere in its own) that state the same as `claim`."""
    texts, exclude, context = _claim_query(claim, evidence)
    idx, hits, texts = _hits_for_text(
        texts, exclude, limit, min_score, articles, context, claim_id=claim.pk
    )
    return _to_matches(idx, hits, texts, articles)


# --- figure conflicts ------------------------------------------------------------------------


def conflicts(articles=None, idx=None):
    """Quantities on which the articles give different figures, each
    {"subject", "figures": [{"text", "value", "unit", "qualifier", "article", "quote", "start",
    "end", "hedged"}]}, sourced figures before hedged ones."""
    return _conflicts.conflicts(
        idx or current_index(), list(articles) if articles is not None else None
    )


def claim_conflicts(claim, all_conflicts=None, evidence=None):
    """The figure conflicts that bear on `claim` (its evidence quotes a figure of the group):
    a hint that its verdict may be `disputed`."""
    spans = [(e.article_id, e.start, e.end) for e in _evidence_spans(claim, evidence)]
    if not spans:
        return []
    if all_conflicts is not None and not all_conflicts:
        return []
    idx = (
        _index._index
        if all_conflicts is not None and _index._index is not None
        else current_index()
    )
    roots = _conflicts.roots_in_spans(idx, spans)
    if not roots:
        return []
    if all_conflicts is None:
        return _conflicts.conflicts(idx, roots=roots)
    return [c for c in all_conflicts if c.get("group") in roots]


# --- known claims ----------------------------------------------------------------------------


class KnownClaimHit(NamedTuple):
    claim: object
    start: int
    end: int
    quote: str
    score: float


# The known claims an article's reader and the API show: the best ones (a desk with many
# claims on one story would otherwise list thousands for one article).
KNOWN_CLAIMS_SHOWN = 50


def known_claims(article, claims=None):
    """The desk's claims (published and in progress) that `article` repeats, best first (at
    most KNOWN_CLAIMS_SHOWN): the claim and the sentence of the article that repeats it.
    Computed now, so claims made after the article was imported count too."""
    from claims.assistant.models import Passage
    from claims.models import Claim

    idx = current_index()
    rows = idx.article_rows.get(article.pk)
    if rows:
        sentences = [
            (idx.s_start[r], idx.s_end[r], idx.s_words[r]) for r in rows if idx.s_alive[r]
        ][:2000]
    else:
        sentences = [
            (p.start, p.end, p.words.split())
            for p in Passage.objects.filter(article_id=article.pk)[:2000]
        ]
    found = matching.known_claims_in(idx, article.pk, sentences, limit=KNOWN_CLAIMS_SHOWN)
    if not found:
        return []
    by_id = (
        claims
        if claims is not None
        else Claim.objects.select_related("published_entry")
        .prefetch_related("verdicts")
        .in_bulk([h.claim_id for h in found])
    )
    return [
        KnownClaimHit(by_id[h.claim_id], h.start, h.end, article.body[h.start : h.end], h.score)
        for h in found
        if h.claim_id in by_id
    ]


def similar_claims(text, limit=10, published_only=False):
    """(claim, score) of the claims most like `text` (either script), best first."""
    from claims.models import Claim

    words = words_of(text or "")[0]
    if not words:
        return []
    idx = current_index()
    found = matching.similar_claims(
        idx, words, limit=max(limit * 20, 200) if published_only else limit
    )
    # One query whether or not anything was found: pages query alike for any size of desk.
    query = Claim.objects.filter(pk__in=[pk for pk, _ in found] or [0])
    if published_only:
        query = query.filter(published_entry__isnull=False).select_related("published_entry")
    by_id = query.in_bulk()
    return [(by_id[pk], score) for pk, score in found if pk in by_id][:limit]


def resembling(claim, limit=3):
    """(claim, score) of the desk's other claims most like `claim`: what an editor who just
    created it should look at before working on a duplicate."""
    found = similar_claims(claim.text, limit=limit + 1)
    return [(other, score) for other, score in found if other.pk != claim.pk][:limit]


# --- the review queue ------------------------------------------------------------------------


# The queue reads the latest claims only.
QUEUE_CLAIMS = 100


def _claims(claims):
    from claims.models import Claim

    if claims is None:
        claims = Claim.objects.order_by("-id")[:QUEUE_CLAIMS]
    return list(with_evidence(claims))


def claims_with_conflicting_figures(claims=None, articles=None, idx=None):
    """[(claim, [conflict, ...])] for the claims whose quantities the articles disagree on."""
    all_conflicts = conflicts(articles, idx)
    if not all_conflicts:
        return []
    result = []
    for claim in claims if isinstance(claims, list) else _claims(claims):
        found = claim_conflicts(claim, all_conflicts)
        if found:
            result.append((claim, found))
    return result


def _source_key(article):
    # Articles of an unknown publisher each count as their own source.
    if article.source.is_unknown:
        return f"article-{article.pk}"
    return f"source-{article.source_id}"


# "Seen in several sources", per claim version while the index does not change.
_several_cache = {}


def claims_seen_in_several_sources(claims=None, min_sources=2, articles=None, idx=None):
    """[(claim, [article, ...], n)] for claims that `n` >= `min_sources` sources report: the
    sources of the claim's evidence and of the matches whose sentence reports it
    (`matching.reports_the_claim`); the articles listed are the matches in sources its
    evidence does not cite yet."""
    claims = claims if isinstance(claims, list) else _claims(claims)
    idx = idx or current_index()
    found = []
    for claim in claims:
        # Kept per claim version while the index does not change: the queue reads the same
        # hundred claims on every visit.
        key = (claim.pk, claim.version, articles is None)
        cached = _several_cache.get(key)
        if cached is not None and cached[0] == (id(idx), idx.generation) and articles is None:
            found.append((claim, cached[1]))
            continue
        texts, exclude, context = _claim_query(claim)
        _, hits, _ = _hits_for_text(
            texts,
            exclude,
            20,
            0.0,
            articles,
            context,
            idx=idx,
            sentence_only=True,
            claim_id=claim.pk,
        )
        texts_words = matching.words_of_each(texts)
        hits = [h for h in hits if matching.reports_the_claim(h, texts_words, idx.s_words[h.row])]
        if len(_several_cache) > 5000:
            _several_cache.clear()
        _several_cache[key] = ((id(idx), idx.generation), hits)
        found.append((claim, hits))
    # One read of the matched articles for all the claims.
    ids = {h.article_id for _, hits in found for h in hits}
    by_id = (
        Article.objects.select_related("source")
        .only("id", "title", "filename", "source__id", "source__name", "source__slug")
        .in_bulk(ids)
        if ids
        else {}
    )
    result = []
    for claim, hits in found:
        own = {_source_key(e.article) for e in _evidence_spans(claim)}
        others = {}
        for hit in hits:
            article = by_id.get(hit.article_id)
            if article is None:
                continue
            key = _source_key(article)
            if key not in own:
                others.setdefault(key, article)
        if len(own) + len(others) >= min_sources:
            result.append((claim, list(others.values()), len(own) + len(others)))
    return result


def arrivals_repeating_rated_claims(limit=20):
    """[(article, [KnownClaim rows with claim and verdict])] for the latest imported articles
    that repeat a claim with an approved verdict (found when they arrived)."""
    from claims.assistant.models import KnownClaim
    from claims.models import Verdict

    rows = list(
        KnownClaim.objects.filter(claim__verdicts__status=Verdict.Status.APPROVED)
        .select_related("article__source", "claim")
        .order_by("-found_at", "-id")[: limit * 5]
    )
    if not rows:
        return []
    verdicts = {
        v.claim_id: v
        for v in Verdict.objects.filter(
            claim_id__in={r.claim_id for r in rows}, status=Verdict.Status.APPROVED
        )
    }
    grouped = {}
    for row in rows:
        row.verdict = verdicts.get(row.claim_id)
        grouped.setdefault(row.article_id, (row.article, []))[1].append(row)
    return list(grouped.values())[:limit]


# --- the review pages ------------------------------------------------------------------------


def workbench(claim, evidence=None):
    """What the claim workbench shows: the claim's matches, the conflicts on its figures, and
    other claims of the desk that look like it (a warning: it may be made already)."""
    if evidence is None:
        evidence = list(claim.evidence.select_related("article__source"))
    found = claim_conflicts(claim, evidence=evidence)
    similar = [
        (other, score)
        for other, score in similar_claims(claim.text, limit=6)
        if other.pk != claim.pk
    ][:5]
    return {
        "matches": [
            {"match": m, "hedged": is_hedged_text(m.quote)}
            for m in matches(claim, evidence=evidence)
        ],
        "conflicts": found,
        "suggest_disputed": bool(found),
        "similar_claims": similar,
    }


def queue():
    """The review queue's assistant lists, from one read of the index."""
    claims = _claims(None)
    idx = current_index()
    return {
        "conflicting": claims_with_conflicting_figures(claims, idx=idx),
        "several_sources": claims_seen_in_several_sources(claims, idx=idx),
        "arrivals": arrivals_repeating_rated_claims(),
    }
