"""Scoring: which sentences state what a claim states, and which claims a sentence repeats.

A sentence's score blends two measures, both 0..1:
- the sentence itself: BM25 of the claim's words in the sentence, divided by the claim's own
  weight (1.0: the sentence holds every word of the claim);
- its article: tf-idf cosine of the whole article with the claim's context (the articles its
  evidence quotes, or the claim's text when it has none). A rumour retold in other words is
  still about the same things, so the article around a sentence says much about it.
Weights were chosen by measuring on real data (`manage.py assistant_eval`), not on the seeds.
"""

from typing import NamedTuple

import numpy as np

from claims.assistant import glossary
from claims.assistant.text import expand, words_of

# The blend: the sentence's own score counts this much, its article's the rest. (Measured on
# the shared corpus: 0.1 0.816, 0.2 0.806, 0.3 0.800, 0.4 0.777 same-report recall@5: which
# article a rumour is retold in says more than which sentence; within an article the sentence
# score alone picks the passage shown.)
SENTENCE_WEIGHT = 0.1
# ... but a sentence that repeats much of the claim scores at least this share of its own score.
SENTENCE_ALONE = 0.3
# A sentence must share at least one word with the claim, and score this much in all.
MIN_SENTENCE = 0.0
MIN_SCORE = 0.08
# A sentence that gives one of the claim's figures (same kind, same value) scores this much more.
FIGURE_BONUS = 0.05
# The claim's own article says it again in passing; another outlet saying it counts more.
SAME_ARTICLE_WEIGHT = 0.6
# "Seen in several sources" is a claim about the claim: only a sentence that itself says this
# much of the claim counts (the article around it is not enough) ...
SEVERAL_SOURCES_MIN_SENTENCE = 0.25
# ... or half as much, when it also gives one of the claim's figures (same kind and value): the
# figure says the rest. A figure alone is no report of the claim: 一个月 or 2020年 is in
# rumours of every kind. (`manage.py assistant_eval`, "seen in several sources": with any
# sentence that shares a word and a figure counted, 409 of the corpus's listings came that way
# and 20 were right, precision 0.157 in all; with half the bar, 22 and 17, precision 0.252, and
# the recall went from 0.506 to 0.497.)
SEVERAL_SOURCES_WITH_FIGURE = 0.5
# ... and a sentence that holds only one run of the claim's words (新型冠状病毒 of "中国不排除
# 新型冠状病毒输入可能", or a name and its title) names the claim's topic, which posts of every
# kind on that story name: it counts only when it says this much of the claim; otherwise it
# must hold two separate parts of one of the claim's texts. (`assistant_eval`, "seen in
# several sources", the whole corpus: recall 0.497 → 0.429, precision 0.252 → 0.381, the
# listings of another report's message 456 → 216; with 0.4 here 0.432 and 0.357, with 0.5
# 0.413 and 0.390; requiring two parts whatever the sentence says, 0.316 and 0.358.)
SEVERAL_SOURCES_ONE_PART = 0.45
# Known claims: a sentence of an arriving article repeats a claim when it says this much of it
# (with its article's likeness to the claim's evidence articles blended in as above) ...
KNOWN_MIN_SENTENCE = 0.2
KNOWN_MIN_SCORE = 0.3
KNOWN_SENTENCE_WEIGHT = 0.3
# ... or, for a claim without evidence in an article, when the sentence alone says this much.
KNOWN_STRONG = 0.6
# An arriving article's likeness to the evidence articles of the claims it may repeat is
# computed article by article up to this many of them, else for every evidence article at once
# (Index.evidence_scores: the postings of the articles some claim quotes, not of all). (The
# costs crossed there against all articles at once: at 1,300 articles, 0.37 ms for 8 articles,
# 0.60 for 24, 1.13 for 64, against 0.95 ms for all of them.)
LIKENESS_ONE_BY_ONE = 48


class Hit(NamedTuple):
    row: int
    article_id: int
    start: int
    end: int
    score: float
    sentence: float
    same_figure: bool = False


class ClaimHit(NamedTuple):
    claim_id: int
    start: int
    end: int
    score: float


def words_of_each(texts):
    """The words of each of a claim's texts (its own, its quotes), in order, as the index
    reads a sentence's (the glossary's aliases made their names): for `reports_the_claim`."""
    return [glossary.apply(words_of(text)[0], frozenset())[0] for text in texts]


def parts_shared(claim_words, sentence_words):
    """How many separate runs of `claim_words` (in the claim's order) the sentence holds; a
    word is held when the sentence has it or one of its two-character pieces (`expand`)."""
    held_words = set(expand(sentence_words))
    runs, inside = 0, False
    for word in claim_words:
        held = word in held_words or any(piece in held_words for piece in expand((word,))[1:])
        runs += held and not inside
        inside = held
    return runs


def reports_the_claim(hit, claim_texts_words, sentence_words):
    """Whether a sentence hit (`sentence_only`) says enough of the claim for its article to
    count as a source that reports it. `claim_texts_words`: the words of each of the claim's
    texts (its own, its quotes), each in order; `sentence_words`: the sentence's."""
    bar = SEVERAL_SOURCES_MIN_SENTENCE
    if not (
        hit.sentence >= bar
        or (hit.same_figure and hit.sentence >= SEVERAL_SOURCES_WITH_FIGURE * bar)
    ):
        return False
    return hit.sentence >= SEVERAL_SOURCES_ONE_PART or any(
        parts_shared(words, sentence_words) >= 2 for words in claim_texts_words
    )


def match_sentences(index, *args, **kwargs):
    from claims.assistant.index import lock

    with lock():
        return _match_sentences(index, *args, **kwargs)


def _match_sentences(
    index,
    words,
    context_words,
    exclude=(),
    own_articles=(),
    limit=10,
    min_score=None,
    only_articles=None,
    per_article=1,
    figures=(),
    sentence_only=False,
):
    """The best sentences for a query, at most `per_article` from each article, best first.
    `figures`: the query's figures; a sentence giving one of them (same kind and value) scores
    FIGURE_BONUS more."""
    min_score = MIN_SCORE if min_score is None else min_score
    sentence = index.sentence_scores(words)
    if not len(sentence):
        return []
    alive = np.frombuffer(index.s_alive, dtype=np.uint8).astype(bool)
    agreeing = np.zeros(len(sentence), dtype=bool)
    if figures:
        agreeing[index.figure_rows(figures)] = True
    candidates = np.nonzero((sentence > MIN_SENTENCE) & alive)[0]
    articles = np.frombuffer(index.s_article, dtype=np.int32)
    own = np.isin(articles[candidates], np.array(list(own_articles) or [-1], dtype=np.int32))
    if sentence_only:
        # The sentence alone (the queue's "seen in several sources" asks no more).
        blended = sentence[candidates].astype(np.float64)
        blended = np.where(own, SAME_ARTICLE_WEIGHT * blended, blended)
    else:
        documents = index.document_scores(context_words)
        # The articles most like the claim's context are candidates even when none of their
        # sentences repeats a word of the claim (a rumour retold in other words): their first
        # sentence stands for them.
        have = set(articles[candidates].tolist())
        extra = []
        for doc in np.argsort(-documents, kind="stable")[: limit * 4]:
            article_id = index.d_article[int(doc)]
            if documents[int(doc)] <= 0 or article_id in have or article_id in own_articles:
                continue
            rows = [r for r in index.article_rows.get(article_id, ()) if index.s_alive[r]]
            if rows:
                extra.append(rows[0])
        if extra:
            candidates = np.concatenate([candidates, np.array(extra, dtype=candidates.dtype)])
            own = np.concatenate([own, np.zeros(len(extra), dtype=bool)])
        if not len(candidates):
            return []
        docs = np.frombuffer(index.s_doc, dtype=np.int32)[candidates]
        context = np.where(own, 0.0, documents[docs])
        blended = SENTENCE_WEIGHT * sentence[candidates] + (1 - SENTENCE_WEIGHT) * context
        # A sentence that repeats the claim stands on its own, whatever the article around it.
        blended = np.maximum(blended, SENTENCE_ALONE * sentence[candidates])
        # In the claim's own article, the article itself says nothing new: its sentences are
        # scored as if they stood in the best other article, then discounted.
        best_other = float(context.max()) if len(context) else 0.0
        blended = np.where(
            own,
            SAME_ARTICLE_WEIGHT
            * (SENTENCE_WEIGHT * sentence[candidates] + (1 - SENTENCE_WEIGHT) * best_other),
            blended,
        )
    if not len(candidates):
        return []
    blended = blended + FIGURE_BONUS * agreeing[candidates]
    order = np.argsort(-blended, kind="stable")
    excluded = {}
    for article_id, start, end in exclude:
        excluded.setdefault(article_id, []).append((start, end))
    taken, found = {}, []
    starts, ends = index.s_start, index.s_end
    for position in order:
        score = float(blended[position])
        if score < min_score:
            break
        row = int(candidates[position])
        article_id = int(articles[row])
        if only_articles is not None and article_id not in only_articles:
            continue
        start, end = starts[row], ends[row]
        if any(s < end and start < e for s, e in excluded.get(article_id, ())):
            continue
        if taken.get(article_id, 0) >= per_article:
            continue
        taken[article_id] = taken.get(article_id, 0) + 1
        found.append(
            Hit(
                row,
                article_id,
                start,
                end,
                round(score, 3),
                float(sentence[row]),
                bool(agreeing[row]),
            )
        )
        if len(found) >= limit:
            break
    return found


def claim_context(index, row):
    """The document scores of a claim's evidence articles' words (None without them)."""
    return [index.doc_of[a] for a in index.c_articles[row] if a in index.doc_of]


def known_claims_in(index, article_id, sentences, limit=None):
    """ClaimHit of the claims the sentences repeat, best first: `limit` of them at most."""
    from claims.assistant.index import lock

    with lock():
        return _known_claims_in(index, article_id, sentences, limit)


def _known_claims_in(index, article_id, sentences, limit=None):
    if not len(index.c_claim):
        return []
    # Every sentence-claim pair at once: how much of the claim the sentence says.
    positions, rows, said = index.claim_pairs(
        [words for _start, _end, words in sentences], KNOWN_MIN_SENTENCE
    )
    # A claim is not "repeated" in the article its evidence quotes.
    elsewhere = np.frombuffer(index.c_first_article, dtype=np.int32)[rows] != article_id
    positions, rows, said = positions[elsewhere], rows[elsewhere], said[elsewhere]
    if not len(rows):
        return []
    # Each claim's best sentence (the first of equals): the one that says most of it, since
    # what follows (the article's likeness, the same for all of a claim's sentences, blended
    # in) never reorders a claim's sentences.
    order = np.lexsort((positions, -said, rows))
    _, first = np.unique(rows[order], return_index=True)
    best = order[first]
    positions, rows, said = positions[best], rows[best], said[best]
    if index.doc_of.get(article_id) is not None:
        # The article's likeness to the evidence articles of the claims it may repeat (each
        # of those articles once).
        docs = index.claim_documents()[rows]
        has_context = docs >= 0
        likeness = np.zeros(len(rows))
        query = index.article_query(article_id)
        if _distinct(docs[has_context]) <= LIKENESS_ONE_BY_ONE:
            likeness[has_context] = index.document_likeness(None, docs[has_context], query)
        else:
            likeness[has_context] = index.evidence_scores(None, docs[has_context], query)
    else:
        has_context = np.zeros(len(rows), dtype=bool)
        likeness = np.zeros(len(rows))
    blended = np.where(
        has_context,
        KNOWN_SENTENCE_WEIGHT * said + (1 - KNOWN_SENTENCE_WEIGHT) * likeness,
        said,
    )
    ok = (has_context & (blended >= KNOWN_MIN_SCORE)) | (said >= KNOWN_STRONG)
    positions, rows, value = positions[ok], rows[ok], blended[ok]
    found = []
    for pair in np.argsort(-value, kind="stable"):  # the claims best first
        row = int(rows[pair])
        if article_id in index.c_articles[row]:
            continue
        start, end, _ = sentences[int(positions[pair])]
        found.append(ClaimHit(index.c_claim[row], start, end, round(float(value[pair]), 3)))
        if limit is not None and len(found) >= limit:
            break
    # One hit per claim (a claim re-read after an edit has one live row only).
    return found


def _distinct(values):
    """How many distinct values an array holds: by sorting, which is several times cheaper than
    np.unique's hashing for the thousands of claims an article can name (83 against 306 µs for
    10,000)."""
    if not len(values):
        return 0
    ordered = np.sort(values)
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))


def similar_claims(index, words, limit=10, min_score=0.3):
    """(claim_id, score) of the claims most like a text, best first."""
    from claims.assistant.index import lock

    if not words or not len(index.c_claim):
        return []
    with lock():
        return _similar_claims(index, words, limit, min_score)


def _similar_claims(index, words, limit, min_score):
    scores = index.claim_scores(words)
    # The text's own side: how much of the text the claim says.
    rows = np.nonzero(scores >= min_score)[0]
    order = rows[np.argsort(-scores[rows], kind="stable")][:limit]
    return [(index.c_claim[int(r)], round(float(scores[int(r)]), 3)) for r in order]
