"""The assistant's index, held in each process's memory and kept in step with the database.

Two collections, each with postings (word -> rows) in compact arrays:
- sentences: every `Passage` row (a sentence of an article: words, names, figures), with the
  article-level vectors built from them (the words of whole articles);
- claims: every claim's words (its text and its evidence quotes) and its evidence articles.

Term weights are BM25's, from the desk's own articles: a word that few sentences use weighs
more than one that many use, in any story. Scoring is vectorised (numpy) over the postings.

The index is not rebuilt per request: a use asks the database, in two queries, what changed
since it last looked (new passages, changed claims) and reads only that, at most once a second
per process (CHECK_EVERY; what this process writes is seen at once). A count that no longer
adds up (articles deleted, a transaction rolled back) rebuilds it.
"""

import math
import sys
import threading
import time
from array import array
from collections import Counter

import numpy as np

from claims.assistant import glossary
from claims.assistant.quantities import comparable_value, kind_of
from claims.assistant.text import expand

# BM25 parameters (the usual ones).
K1, B = 1.2, 0.75
# claim_pairs sums an article's sentence-claim scores in one array while it has at most this
# many cells (sentences x claims: 32 MB), else only the pairs its words name.
DENSE_PAIRS = 4_000_000

_lock = threading.RLock()


# Figures that say which claim a sentence makes when they agree (600人 and 600名员工): dates and
# durations are too common to say it.
MATCHING_KINDS = ("people", "age", "%", "CNY", "USD", "HKD", "TWD", "EUR", "JPY", "GBP")


def figure_keys(figures):
    """(kind, value) of the figures that matching compares, once each."""
    keys = set()
    for figure in figures:
        kind = kind_of(figure[4])
        if kind in MATCHING_KINDS and figure[3]:
            keys.add((kind, round(comparable_value(figure), 2)))
    return keys


def _bm25_idf(n, df, log=math.log):
    """A word's idf among `n` sentences, `df` of which hold it; with log=np.log, of every word
    of an array of dfs at once."""
    return log(1.0 + (n - df + 0.5) / (df + 0.5))


def _document_idf(n, df, log=math.log, at_least=max):
    """A word's idf among `n` articles, `df` of which hold it (document scores and norms); with
    log=np.log and at_least=np.maximum, of every word of an array of dfs at once."""
    return log(n / at_least(df, 1)) + 1e-6


class _Postings:
    """word -> (rows, weights) in growing arrays."""

    def __init__(self, weight_type="f"):
        self.rows = {}
        self.weights = {}
        self.weight_type = weight_type
        self.version = 0  # one more at each entry added: when `packed()` must be made again
        self._packed = None

    def add_row(self, row, entries):
        """Entries of one row: (word, weight) pairs, each word once. Returns each word's
        entry count after the addition (its df), in the order given."""
        all_rows, all_weights, dfs = self.rows, self.weights, []
        for word, weight in entries:
            rows = all_rows.get(word)
            if rows is None:
                rows = all_rows[word] = array("i")
                all_weights[word] = array(self.weight_type)
            rows.append(row)
            all_weights[word].append(weight)
            dfs.append(len(rows))
        self.version += len(dfs)
        return dfs

    def get(self, word):
        rows = self.rows.get(word)
        if rows is None or not len(rows):
            return None, None
        return (
            np.frombuffer(rows, dtype=np.int32),
            np.frombuffer(self.weights[word], dtype=np.float32),
        )

    def df(self, word):
        rows = self.rows.get(word)
        return len(rows) if rows is not None else 0

    def dfs(self, words):
        """df() of each of `words` (a sized collection), as an array."""
        rows = self.rows
        return np.fromiter(
            (len(rows[word]) if word in rows else 0 for word in words), np.float64, len(words)
        )

    def packed(self):
        """Every posting in two arrays, word after word, and where each word's start: (ids:
        {word: its number}, words: the words by number, offsets, rows, weights), the entries of
        word number i being rows[offsets[i]:offsets[i + 1]]. A whole text's postings are then
        gathered by numpy in one step instead of one array per word (`gather`). Made again
        after entries were added; a copy as large as the postings (the claims' and the quoted
        articles' take 2.5 MB at 1,000 articles and 10,000 claims), kept for the postings
        that change seldom."""
        if self._packed is None or self._packed[0] != self.version:
            ids, words, offsets, rows, weights = {}, [], [0], [], []
            for word, word_rows in self.rows.items():
                if len(word_rows):
                    ids[word] = len(ids)
                    words.append(word)
                    offsets.append(offsets[-1] + len(word_rows))
                    rows.append(np.frombuffer(word_rows, dtype=np.int32))
                    weights.append(np.frombuffer(self.weights[word], dtype=np.float32))
            self._packed = (
                self.version,
                ids,
                words,
                np.array(offsets, dtype=np.int64),
                np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32),
                np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32),
            )
        return self._packed[1:]

    def gather(self, ids):
        """The entries of the words numbered `ids` (an array, repeats allowed), one word's
        after the other's: (rows, weights, how many entries each id gave)."""
        _, _, offsets, rows, weights = self.packed()
        starts = offsets[ids]
        sizes = offsets[ids + 1] - starts
        if not len(ids):
            return rows[:0], weights[:0], sizes
        # Each word's entries are one slice: the slices joined are 2.5 times cheaper than
        # indexing every entry (280 against 700 µs for 220,000 entries of 232 words).
        spans = list(zip(starts.tolist(), (starts + sizes).tolist()))
        return (
            np.concatenate([rows[a:b] for a, b in spans]),
            np.concatenate([weights[a:b] for a, b in spans]),
            sizes,
        )


class Index:
    def __init__(self):
        # sentences
        self.s_passage = array("q")
        self.s_article = array("i")
        self.s_doc = array("i")  # row -> document (article) index
        self.s_start = array("i")
        self.s_end = array("i")
        self.s_len = array("f")
        self.s_alive = bytearray()
        self.s_hedged = bytearray()
        self.s_total_len = 0.0
        self.s_post = _Postings()
        self.s_figures = {}  # row -> figure rows
        self.s_names = {}  # row -> frozenset of names
        self.s_words = []  # row -> tuple of words (interned strings)
        self.article_rows = {}  # article id -> [rows]
        self.f_post = {}  # (kind, value) -> array of rows giving that figure
        # documents (one per article)
        self.doc_of = {}  # article id -> doc index
        self.d_article = array("i")
        self.d_alive = bytearray()
        self.d_post = _Postings()
        self.d_norm = array("f")
        self.d_norm_at = 0  # document count when norms were last computed in full
        self._terms_of = {}  # doc -> (its sentence count, {word: weight}) (_document_terms)
        # The documents some claim quotes (evidence documents), with postings of their own: the
        # same entries as d_post's for them, by slot (e_doc: slot -> document). A claim's first
        # evidence document always has one (add_claim); others may (_mark_quoted).
        self.e_doc = array("i")
        self.e_slot = array("i")  # document -> its slot, -1 for none
        self.e_post = _Postings()
        self._doc_words = {}  # doc -> Counter of words added since finish_documents
        # (article id, d_post's version, article count, its query) of the last document
        # finished (article_query)
        self._last_query = None
        # claims
        self.c_claim = array("i")
        self.c_alive = bytearray()
        self.c_words = []  # row -> tuple of words (for its norm)
        self.c_articles = []  # row -> [ids of its evidence articles]
        self.c_first_article = array("i")  # row -> its first evidence article (-1: none)
        self.c_doc = array("q")  # row -> that article's document (-1: none), kept in step
        self.claims_quoting = {}  # article id -> rows of the claims whose first article it is
        self.c_post = _Postings()
        self.c_self = array("f")
        self.c_self_at = None  # the sentence count at the last refresh_claim_norms (None: never)
        self._divisor = None  # claim_divisor(), until a claim is added, forgotten or re-weighed
        self.row_of_claim = {}
        # what has been read
        self.passages_seen = 0
        self.passages_latest = None
        self.claims_seen = None
        self.claims_latest = None
        self.glossary_version = glossary.version()
        # figures (conflicts.py keeps its groups here)
        self.mentions = None
        self.generation = 0
        self.settled_size = 0  # its size when it was last frozen (_settle)
        # word -> sentence idf, for the sentence count it was computed at (scoring and
        # conflicts ask for the same words hundreds of thousands of times)
        self._idf = {}
        self._idf_at = 0

    # --- sentences -------------------------------------------------------------------------

    @property
    def n_sentences(self):
        return len(self.s_article)

    def add_passage(self, pid, article_id, start, end, words, names, figures, hedged):
        words, names = glossary.apply(tuple(sys.intern(w) for w in words), frozenset(names))
        row = len(self.s_article)
        self.s_words.append(words)
        self.s_passage.append(pid)
        self.s_article.append(article_id)
        self.s_start.append(start)
        self.s_end.append(end)
        expanded = expand(words)
        self.s_len.append(float(len(expanded) or 1))
        self.s_total_len += len(expanded) or 1
        self.s_alive.append(1)
        self.s_hedged.append(1 if hedged else 0)
        self.s_post.add_row(row, ((word, float(tf)) for word, tf in Counter(expanded).items()))
        if figures:
            self.s_figures[row] = figures
            for key in figure_keys(figures):
                self.f_post.setdefault(key, array("i")).append(row)
        if names:
            self.s_names[row] = names
        self.article_rows.setdefault(article_id, []).append(row)
        self.s_doc.append(self._add_to_document(article_id, expanded))
        return row

    def _add_to_document(self, article_id, expanded):
        """A sentence's words (expanded) added to its article's document."""
        doc = self.doc_of.get(article_id)
        if doc is None:
            doc = self.doc_of[article_id] = len(self.d_article)
            self.d_article.append(article_id)
            self.d_alive.append(1)
            self.d_norm.append(0.0)
            self.e_slot.append(-1)
            for row in self.claims_quoting.get(article_id, ()):
                self.c_doc[row] = doc
        self._doc_words.setdefault(doc, Counter()).update(expanded)
        if article_id in self.claims_quoting:
            self._make_evidence(doc)  # its words follow, from _doc_words
        return doc

    def finish_documents(self):
        """Move the words gathered for new documents into the document postings."""
        pending, self._doc_words = self._doc_words, {}
        self._last_query = None
        # Norms drift with the idf; recomputed in full each time the articles have doubled
        # (the first reading included: then no norm is worth computing one by one).
        in_full = len(self.d_article) > 2 * max(self.d_norm_at, 1) or not self.d_norm_at
        n = max(len(self.d_article), 1)
        log = math.log
        for doc, counts in pending.items():
            entries = [(word, 1.0 + log(tf)) for word, tf in counts.items()]
            dfs = self.d_post.add_row(doc, entries)
            slot = self.e_slot[doc]
            if slot >= 0:
                self.e_post.add_row(slot, entries)
            if not in_full:
                # Each word's df counts this document already (its words are distinct). The
                # document's own query (_document_query of its words) comes with its norm.
                norm, query = 0.0, {}
                for (word, weight), df in zip(entries, dfs):
                    idf = _document_idf(n, df)
                    norm += (weight * idf) ** 2
                    query[word] = weight * idf * idf
                self.d_norm[doc] = math.sqrt(norm) or 1.0
                self._last_query = (
                    self.d_article[doc],
                    self.d_post.version,
                    len(self.d_article),
                    (query, norm),
                )
        if in_full:
            self._renorm_documents()

    def _make_evidence(self, doc):
        """Give `doc` an evidence slot. A document still being read gets its entries when it is
        finished (finish_documents); one already finished gets them now, from its sentences
        (_document_terms): the same words, weights and order as its entries in d_post."""
        if self.e_slot[doc] >= 0:
            return
        slot = self.e_slot[doc] = len(self.e_doc)
        self.e_doc.append(doc)
        if doc in self._doc_words:
            return
        self.e_post.add_row(slot, self._document_terms(doc).items())

    def _renorm_documents(self):
        """Recompute every document's norm with today's idf (the idf drifts as articles come):
        every posting's squared weight summed by document, in one pass in C."""
        n = len(self.d_article)
        if not n:
            return
        docs, weights = [], []
        for word, rows in self.d_post.rows.items():
            word_docs, word_weights = self.d_post.get(word)
            docs.append(word_docs)
            weights.append(word_weights.astype(np.float64) * _document_idf(n, len(rows)))
        sums = np.zeros(n, dtype=np.float64)
        if docs:
            sums = np.bincount(
                np.concatenate(docs), weights=np.concatenate(weights) ** 2, minlength=n
            )[:n]
        norms = np.sqrt(sums)
        norms[norms == 0] = 1.0
        self.d_norm = array("f", norms.astype(np.float32).tobytes())
        self.d_norm_at = n

    def forget_article(self, article_id):
        for row in self.article_rows.pop(article_id, ()):
            self.s_alive[row] = 0
        doc = self.doc_of.pop(article_id, None)
        if doc is not None:
            self.d_alive[doc] = 0
        for row in self.claims_quoting.get(article_id, ()):
            self.c_doc[row] = -1
        self.generation += 1

    def sentence_idf(self, word):
        n = len(self.s_article)  # self.n_sentences, without a property's call: hot
        if n != self._idf_at:
            self._idf, self._idf_at = {}, n
        idf = self._idf.get(word)
        if idf is None:
            idf = self._idf[word] = _bm25_idf(max(n, 1), self.s_post.df(word))
        return idf

    def sentence_idfs(self, words):
        """[sentence_idf(word) for word in words] as an array, without its cache: while an
        import adds sentences the cache is emptied at every article."""
        n = max(len(self.s_article), 1)
        return _bm25_idf(n, self.s_post.dfs(words), np.log)

    # --- scoring -------------------------------------------------------------------------

    def sentence_scores(self, words):
        """BM25 of every sentence for the query `words`, divided by the query's own weight
        (so 1.0 is a sentence holding every word of the query): an array, one per row."""
        n = self.n_sentences
        scores = np.zeros(n, dtype=np.float32)
        if not n or not words:
            return scores
        avg = self.s_total_len / n
        lengths = np.frombuffer(self.s_len, dtype=np.float32)
        total = 0.0
        for word, qtf in Counter(expand(words)).items():
            weight = self.sentence_idf(word) * (1.0 + math.log(qtf))
            total += weight
            rows, tf = self.s_post.get(word)
            if rows is None:
                continue
            scores[rows] += weight * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[rows] / avg))
        if total:
            scores /= total
        np.minimum(scores, 1.0, out=scores)
        return scores

    def document_scores(self, words, query=None):
        """Cosine (tf-idf) of every article with the text whose words are given (or whose
        `query`, from `_document_query` or `article_query`): 0..1."""
        n = len(self.d_article)
        query = query or self._document_query(words)
        if not n or not query[1]:
            return np.zeros(n, dtype=np.float32)
        return self._cosines(self.d_post, n, np.frombuffer(self.d_norm, dtype=np.float32), query)

    def evidence_scores(self, words, docs, query=None):
        """document_scores(words, query)[docs] for documents that some claim quotes (evidence
        documents), read from their own postings: the cost grows with the articles the desk's
        claims quote, not with every article it holds."""
        docs = np.asarray(docs, dtype=np.int64)
        query = query or self._document_query(words)
        slots = np.frombuffer(self.e_slot, dtype=np.int32)[docs]
        if (slots < 0).any():  # not an evidence document: never seen, but answered all the same
            return self.document_scores(words, query)[docs]
        n = len(self.e_doc)
        if not n or not query[1]:
            return np.zeros(len(docs))
        norms = np.frombuffer(self.d_norm, dtype=np.float32)[
            np.frombuffer(self.e_doc, dtype=np.int32)
        ]
        return self._cosines(self.e_post, n, norms, query, packed=True)[slots]

    def _cosines(self, postings, n, norms, query, packed=False):
        """Cosine (tf-idf) of the n documents of `postings` (whose norms are given) with the text
        whose query (`_document_query`) is given: 0..1. Every posting of the text's words,
        summed in one pass in C; gathered from the postings packed (`_Postings.packed`) when
        they change seldom."""
        query, qnorm = query
        scores = np.zeros(n, dtype=np.float32)
        if packed:
            ids = postings.packed()[0]
            found = [(ids[word], factor) for word, factor in query.items() if word in ids]
            if found:
                numbers, factors = zip(*found)
                docs, weights, sizes = postings.gather(np.array(numbers))
        else:
            found = [(*postings.get(word), factor) for word, factor in query.items()]
            found = [(d, w, f) for d, w, f in found if d is not None]
            if found:
                docs = np.concatenate([d for d, _, _ in found])
                weights = np.concatenate([w for _, w, _ in found])
                factors = [f for _, _, f in found]
                sizes = [len(d) for d, _, _ in found]
        if found:
            values = weights * np.repeat(np.array(factors), sizes)
            scores = np.bincount(docs, weights=values, minlength=n)[:n]
        if qnorm:
            scores /= math.sqrt(qnorm)
            scores /= norms
        np.clip(scores, 0.0, 1.0, out=scores)
        return scores

    def document_likeness(self, words, docs, query=None):
        """document_scores(words, query)[docs], computed for those documents only: an arriving
        article against the evidence articles of the claims it may repeat, at a cost that
        does not grow with the number of articles."""
        docs = np.asarray(docs, dtype=np.int64)
        likeness = np.zeros(len(docs))
        query, qnorm = query or self._document_query(words)
        if not len(docs) or not qnorm:
            return likeness
        norms = np.frombuffer(self.d_norm, dtype=np.float32)
        unique, inverse = np.unique(docs, return_inverse=True)
        scores = np.zeros(len(unique))
        for i, doc in enumerate(unique.tolist()):
            terms = self._document_terms(doc)
            scores[i] = sum(query[word] * terms[word] for word in query.keys() & terms.keys())
            scores[i] /= float(norms[doc]) or 1.0
        scores /= math.sqrt(qnorm)
        np.clip(scores, 0.0, 1.0, out=scores)
        return scores[inverse]

    def article_query(self, article_id):
        """_document_query() of a whole article: kept by finish_documents for the article it
        read last while no other has been read since (an import checks each article right
        after reading it), else made from its words."""
        kept = self._last_query
        if kept is not None and kept[:3] == (article_id, self.d_post.version, len(self.d_article)):
            return kept[3]
        return self._document_query(self.document_words([article_id]))

    def _document_query(self, words):
        """({word: its query weight times its idf}, the squared norm of the query weights):
        the text's side of document_scores and document_likeness."""
        counts = Counter(expand(words))
        if not counts:
            return {}, 0.0
        n = max(len(self.d_article), 1)
        idf = _document_idf(n, self.d_post.dfs(counts), np.log, np.maximum)
        qweight = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * idf
        # The squares summed one after the other, as the norms are (not pairwise, as numpy's).
        qnorm = sum((qweight * qweight).tolist())
        return dict(zip(counts, (qweight * idf).tolist())), qnorm

    def _document_terms(self, doc):
        """A document's words and their weights in the document postings (1 + log tf), read
        from its sentences and kept (documents only grow while their article is read)."""
        rows = self.article_rows.get(self.d_article[doc], ()) if self.d_alive[doc] else ()
        cache = self._terms_of
        kept = cache.get(doc)
        if kept is None or kept[0] != len(rows):
            counts = Counter()
            for row in rows:
                counts.update(expand(self.s_words[row]))
            if len(cache) >= 50_000:
                cache.clear()
            kept = cache[doc] = (len(rows), {w: 1.0 + math.log(tf) for w, tf in counts.items()})
        return kept[1]

    def figure_rows(self, figures):
        """Rows of the sentences that give one of these figures (same kind and value)."""
        rows = [
            np.frombuffer(self.f_post[key], dtype=np.int32)
            for key in figure_keys(figures)
            if key in self.f_post
        ]
        return np.unique(np.concatenate(rows)) if rows else np.zeros(0, dtype=np.int32)

    def document_words(self, article_ids):
        """The words of whole articles (for a query made of an article)."""
        words = []
        for article_id in article_ids:
            for row in self.article_rows.get(article_id, ()):
                words.extend(self._row_words(row))
        return words

    def _row_words(self, row):
        return self.s_words[row]

    # --- claims --------------------------------------------------------------------------

    def add_claim(self, claim_id, words, article_ids):
        old = self.row_of_claim.get(claim_id)
        if old is not None:
            self.c_alive[old] = 0
        words, _ = glossary.apply(tuple(sys.intern(w) for w in words), frozenset())
        row = len(self.c_claim)
        self.c_claim.append(claim_id)
        self.c_alive.append(1)
        counts = Counter(expand(words))
        self.c_words.append(words)
        self.c_articles.append(list(dict.fromkeys(article_ids)))
        first = self.c_articles[-1][0] if self.c_articles[-1] else -1
        self.c_first_article.append(first)
        self.c_doc.append(self.doc_of.get(first, -1))
        if self.c_doc[-1] != -1:
            self._make_evidence(self.c_doc[-1])
        if first != -1:
            self.claims_quoting.setdefault(first, []).append(row)
        self.c_post.add_row(row, ((word, 1.0 + math.log(tf)) for word, tf in counts.items()))
        self.c_self.append(
            sum(self.sentence_idf(w) * (1.0 + math.log(tf)) for w, tf in counts.items()) or 1.0
        )
        self.row_of_claim[claim_id] = row
        self._divisor = None
        return row

    def claim_documents(self):
        """Each claim's first evidence article as a document index (-1: none)."""
        return np.frombuffer(self.c_doc, dtype=np.int64)

    def forget_claim(self, claim_id):
        row = self.row_of_claim.pop(claim_id, None)
        if row is not None:
            self.c_alive[row] = 0
            self._divisor = None

    def claim_divisor(self):
        """What a claim's summed score is divided by: its own weight, or infinity for a claim
        no longer alive (whose score so becomes 0). One array, made once per change of the
        claims instead of two passes over every sentence-claim pair of every check."""
        if self._divisor is None:
            divisor = np.frombuffer(self.c_self, dtype=np.float32).copy()
            divisor[np.frombuffer(self.c_alive, dtype=np.uint8) == 0] = np.inf
            self._divisor = divisor
        return self._divisor

    def refresh_claim_norms(self):
        """Each claim's own weight, with today's idf (recomputed when the articles have grown)."""
        if self.c_self_at is not None and self.n_sentences <= 2 * max(self.c_self_at, 1):
            return
        self.c_self = array(
            "f",
            [
                sum(self.sentence_idf(w) * (1.0 + math.log(tf)) for w, tf in counts.items()) or 1.0
                for counts in (Counter(expand(w)) for w in self.c_words)
            ],
        )
        self.c_self_at = self.n_sentences
        self._divisor = None

    def claim_pairs(self, sentences, min_score):
        """claim_scores() of many sentences at once, as the pairs that score at least
        `min_score`: three arrays (the sentence's position in `sentences`, the claim's row,
        the score). The postings of all the sentences' words are gathered and summed in C,
        instead of one array of every claim per sentence: an article is checked against
        100,000 claims without touching the claims none of its words name."""
        n = len(self.c_claim)
        ids, words_by_id = self.c_post.packed()[:2]
        positions, numbers, lengths = [], [], np.zeros(len(sentences))
        for position, words in enumerate(sentences):
            if not n or not words:
                continue
            words = expand(words)
            lengths[position] = len(words)
            found = [i for i in map(ids.get, words) if i is not None]
            positions += [position] * len(found)
            numbers += found
        if not numbers:
            return (np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0),)
        # Each (sentence, word) once, with its count, in the order the words come.
        vocabulary = len(ids)
        pairs = np.array(positions, dtype=np.int64) * vocabulary + np.array(numbers)
        pairs, first, tf = np.unique(pairs, return_index=True, return_counts=True)
        in_order = np.argsort(first, kind="stable")
        pairs, tf = pairs[in_order], tf[in_order].astype(np.float64)
        positions, numbers = np.divmod(pairs, vocabulary)
        # BM25: the word's idf, and its count in the sentence against the sentence's length
        # (against the average sentence's, or its own while the index holds no sentence).
        unique, inverse = np.unique(numbers, return_inverse=True)
        idf = self.sentence_idfs([words_by_id[i] for i in unique.tolist()])[inverse]
        length = lengths[positions]
        avg = self.s_total_len / max(self.n_sentences, 1)
        stretch = K1 * (1 - B + B * length / (avg or length))
        factors = idf * tf * (K1 + 1) / (tf + stretch)
        rows, weights, sizes = self.c_post.gather(numbers)
        values = weights * np.repeat(factors, sizes)
        keys = np.repeat(positions, sizes) * n + rows
        divisor = self.claim_divisor()
        width = int(positions[-1]) + 1
        if width * n <= DENSE_PAIRS:  # few enough pairs to sum in place, a row per sentence
            scores = np.bincount(keys, weights=values, minlength=width * n).reshape(width, n)
            scores /= divisor
            kept = scores >= min_score
            if min_score <= 0:
                kept &= scores > 0
            at, rows = np.divmod(np.flatnonzero(kept), n)
            return at, rows, np.minimum(scores[at, rows], 1.0)
        keys, inverse = np.unique(keys, return_inverse=True)
        rows = keys % n
        scores = np.bincount(inverse, weights=values) / divisor[rows]
        kept = (scores >= min_score) & (scores > 0)
        return keys[kept] // n, rows[kept], np.minimum(scores[kept], 1.0)

    def claim_scores(self, words):
        """For a sentence's `words`: how much of each claim it says (BM25 with the claim as the
        query and the sentence as the document, divided by the claim's own weight): 0..1."""
        n = len(self.c_claim)
        scores = np.zeros(n, dtype=np.float32)
        if not n or not words:
            return scores
        words = expand(words)
        counts = Counter(words)
        length = float(len(words))
        avg = self.s_total_len / max(self.n_sentences, 1) or length
        for word, tf in counts.items():
            rows, qweights = self.c_post.get(word)
            if rows is None:
                continue
            part = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
            scores[rows] += self.sentence_idf(word) * part * qweights
        scores /= self.claim_divisor()
        np.minimum(scores, 1.0, out=scores)
        return scores


_index = None

# How often (seconds) a process asks the database whether passages or claims changed: pages
# look at the index several times (a claim's workbench three times), and each look counted
# every passage and every claim (two aggregates: 60 ms at 100,000 claims). Writes made in this
# process are seen at once (`changed`, from the models' signals); another process's within
# this time.
CHECK_EVERY = 1.0
_checked = {"at": None}


def changed():
    """Passages or claims changed in this process: the next `current()` asks the database."""
    _checked["at"] = None


def current():
    """The process's index, brought up to date with the database."""
    global _index
    with _lock:
        version = glossary.refresh()
        checked = _checked["at"]
        if (
            _index is not None
            and _index.glossary_version == version
            and checked is not None
            and time.monotonic() - checked < CHECK_EVERY
        ):
            _settle(_index)  # it may have grown in this process meanwhile (an import)
            return _index
        if _index is None or _index.glossary_version != version:
            _index = Index()
            _index.glossary_version = version
        try:
            _catch_up(_index)
        except _Rebuild:
            _index = Index()
            _index.glossary_version = version
            _catch_up(_index)
        _settle(_index)
        _checked["at"] = time.monotonic()
        return _index


# An index this large (sentences and claims) is moved out of the garbage collector's reach.
SETTLE_FROM = 20_000


def _settle(index):
    """Keep the garbage collector off a large index: its objects (hundreds of thousands of
    tuples, arrays and dicts) live as long as the process, yet each full collection walks them
    all, in whichever request it happens to fall (about 200 ms at 100,000 claims). They are
    collected once and frozen (gc.freeze) when the index reaches SETTLE_FROM rows and each
    time it has doubled since; then a full collection takes about 30 ms."""
    settle(index, index.n_sentences + len(index.c_claim))


def settle(owner, size):
    """Collect and freeze (gc.freeze) what the process holds when `owner`, a structure that
    lives as long as the process, has reached SETTLE_FROM entries (`size`) and each time it
    has doubled since its last freeze (`owner.settled_size`): the index, and the groups of
    figures the conflicts are read from (conflicts.mentions_of), built later than it."""
    import gc

    if size >= SETTLE_FROM and size >= 2 * owner.settled_size:
        gc.collect()
        gc.freeze()
        owner.settled_size = size


def reset():
    """Drop the process's index (the next use reads everything again)."""
    global _index
    with _lock:
        _index = None
        changed()


def lock():
    """Held while an index is read: arrays must not grow under a reader's views of them."""
    return _lock


def add_stored_passages(passages):
    """Passages just stored by this process (an import): added to the index at once, without
    asking the database again. If the index had missed something, the next `current()` finds
    that its count does not add up and reads everything again."""
    with _lock:
        if _index is None or not passages:
            return
        for p in passages:
            _index.add_passage(
                p.pk,
                p.article_id,
                p.start,
                p.end,
                p.words.split(),
                p.names.split(),
                p.figures,
                p.hedged,
            )
        _index.finish_documents()
        # The claims' own weights follow the idf as soon as the articles have doubled, here
        # rather than at the next `current()`, whose moment depends on the clock: an import
        # stores the same known claims each time it is run on the same desk.
        _index.refresh_claim_norms()
        _index.passages_seen += len(passages)
        latest = max(p.created_at for p in passages)
        if _index.passages_latest is None or latest > _index.passages_latest:
            _index.passages_latest = latest
        _index.generation += 1


def warm():
    """Read the index now, in a process about to fork its workers (gunicorn's `preload_app`:
    newsroom.wsgi with NEWSROOM_WARM_ASSISTANT): each worker starts with it and only catches up
    with what changed since, instead of reading every passage on its first assistant request.
    The database connection it used is closed, so that no worker inherits it. Returns the
    seconds it took; a database that cannot be read leaves the index to the first request."""
    import logging
    import time

    from django.db import DatabaseError, connections

    started = time.perf_counter()
    try:
        current()
    except DatabaseError:
        logging.getLogger(__name__).exception("The assistant's index was not read at start")
    finally:
        connections.close_all()
    return time.perf_counter() - started


def loaded():
    """The process's index as it is (None before its first use): for imports, which keep it
    current themselves."""
    return _index


def forget_article(article_id):
    with _lock:
        if _index is not None:
            _index.forget_article(article_id)


def _mark_quoted(index):
    """Give the articles just read that some claim quotes their evidence slots before their
    words are posted, so that their evidence postings are written in the same pass (a claim
    read afterwards finds its first article's slot ready)."""
    from claims.models import Evidence

    articles = [index.d_article[doc] for doc in index._doc_words]
    for start in range(0, len(articles), 5000):
        quoted = (
            Evidence.objects.filter(article_id__in=articles[start : start + 5000])
            .values_list("article_id", flat=True)
            .distinct()
        )
        for article_id in quoted:
            index._make_evidence(index.doc_of[article_id])


class _Rebuild(Exception):
    pass


def _catch_up(index):
    from django.db.models import Count, Max

    from claims.assistant.models import Passage
    from claims.models import Claim, Evidence

    stamp = Passage.objects.aggregate(n=Count("id"), latest=Max("created_at"))
    if stamp["n"] != index.passages_seen or stamp["latest"] != index.passages_latest:
        rows = Passage.objects.order_by("created_at", "id")
        if index.passages_latest is not None:
            rows = rows.filter(created_at__gt=index.passages_latest)
        loaded = 0
        for pid, article_id, start, end, words, names, figures, hedged in rows.values_list(
            "id", "article_id", "start", "end", "words", "names", "figures", "hedged"
        ).iterator(chunk_size=5000):
            index.add_passage(
                pid, article_id, start, end, words.split(), names.split(), figures, hedged
            )
            loaded += 1
        _mark_quoted(index)
        index.finish_documents()
        if index.passages_seen + loaded != stamp["n"]:
            raise _Rebuild()
        index.passages_seen, index.passages_latest = stamp["n"], stamp["latest"]
        index.generation += 1
    claims = Claim.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    if (claims["n"], claims["latest"]) != (index.claims_seen, index.claims_latest):
        query = Claim.objects.order_by("updated_at", "id")
        if index.claims_latest is not None:
            query = query.filter(updated_at__gte=index.claims_latest)
        rows = list(query.values_list("id", "search_text"))
        evidence = {}
        ids = [pk for pk, _ in rows]
        for start in range(0, len(ids), 5000):
            for claim_id, quote, article_id in Evidence.objects.filter(
                claim_id__in=ids[start : start + 5000]
            ).values_list("claim_id", "quote", "article_id"):
                evidence.setdefault(claim_id, []).append((quote, article_id))
        from claims.assistant.text import analyse_many, fold_many

        # Claim texts are stored folded (Claim.search_text); quotes are folded here, all in one
        # pass, and everything is segmented in one call.
        quotes = [
            (claim_id, quote, article_id)
            for claim_id, _ in rows
            for quote, article_id in evidence.get(claim_id, ())
        ]
        analysed = analyse_many(
            [t or "" for _, t in rows] + fold_many([q or "" for _, q, _ in quotes])
        )
        words_by_claim = {claim_id: list(analysed[i][0]) for i, (claim_id, _) in enumerate(rows)}
        articles_by_claim = {}
        for (claim_id, _, article_id), (words, _) in zip(quotes, analysed[len(rows) :]):
            words_by_claim[claim_id].extend(words)
            if article_id:
                articles_by_claim.setdefault(claim_id, []).append(article_id)
        for claim_id, _ in rows:
            index.add_claim(claim_id, words_by_claim[claim_id], articles_by_claim.get(claim_id, []))
        alive = sum(index.c_alive)
        if alive > claims["n"]:
            # Claims were deleted: read them all again (rare).
            index.c_claim, index.c_alive = array("i"), bytearray()
            index.c_words, index.c_articles, index.c_post = [], [], _Postings()
            index.c_first_article, index.c_doc, index.claims_quoting = array("i"), array("q"), {}
            index.c_self, index.row_of_claim, index.c_self_at = array("f"), {}, None
            index._divisor = None
            index.claims_seen = index.claims_latest = None
            return _catch_up(index)
        index.claims_seen, index.claims_latest = claims["n"], claims["latest"]
        index.generation += 1
    index.refresh_claim_norms()
