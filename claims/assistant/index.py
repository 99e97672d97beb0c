"""The corpus the assistant matches against: every sentence of the imported articles, with
IDF weights and postings (term -> sentences), built once per state of the articles (memoized
on their ids and texts). A claim is matched by looking up its terms, not by reading every
sentence of every article."""

import heapq
import math
from collections import Counter, defaultdict
from functools import lru_cache

from claims.assistant.text import UNIGRAM_WEIGHT, index_sentences

# Sentences scored in full per query: the best candidates by shared bigrams, names and concepts.
CANDIDATES = 300


class Corpus:
    def __init__(self, key):
        self.key = key
        self.sentences = [s for article_id, body in key for s in index_sentences(article_id, body)]
        counts = Counter()
        for sentence in self.sentences:
            counts.update(sentence.terms)
        total = len(self.sentences)
        self.default_idf = math.log(1 + total) + 1.0
        self.idf = {
            term: (math.log((1 + total) / (1 + n)) + 1.0) * (UNIGRAM_WEIGHT if len(term) == 1 else 1.0)
            for term, n in counts.items()
        }
        # Single characters are too common to find candidates by; they still count in scores.
        self.postings = defaultdict(list)
        for position, sentence in enumerate(self.sentences):
            for term in sentence.terms:
                if len(term) > 1:
                    self.postings[term].append(position)
        self._norms = {}

    def weight(self, term):
        return self.idf.get(term, self.default_idf)

    def norm(self, terms):
        """Length of a sentence's (or window's) term vector; memoized per stored term set."""
        key = id(terms)
        if key not in self._norms:
            self._norms[key] = math.sqrt(sum(self.weight(t) ** 2 for t in terms))
        return self._norms[key]

    def candidates(self, terms, limit=CANDIDATES):
        """The sentences sharing the most weight of `terms` (bigrams, words, names, concepts)."""
        shared = defaultdict(float)
        for term in terms:
            if len(term) > 1 and term in self.postings:
                weight = self.weight(term) ** 2
                for position in self.postings[term]:
                    shared[position] += weight
        best = heapq.nlargest(limit, shared.items(), key=lambda item: item[1])
        return [self.sentences[position] for position, _ in best]


@lru_cache(maxsize=4)
def _corpus(key):
    return Corpus(key)


def corpus_for(articles):
    return _corpus(tuple(sorted((a.pk, a.body) for a in articles)))
