"""Figure conflicts: quantities on which the imported articles give different figures.

Each figure is placed under the subject it measures (the lexicon in assistant_text.SUBJECTS,
from the words of its clause); figures the lexicon does not place are grouped when their
clauses share enough key terms and their unit. A subject is a conflict when two articles give
values further apart than TOLERANCE. Computed once per state of the articles.
"""

import re
from collections import defaultdict
from functools import lru_cache

from claims.assistant.index import _corpus, corpus_for
from claims.assistant.text import (
    CONFLICT_UNITS, Sentence, clause_around, entities_in, is_hedged, sentences_of, subject_of,
    terms_in,
)
from claims.assistant.figures import parse_figures
from sources.text import fold_chars

# Figures closer than this (relative) are the same figure written twice (78% and 11 of 14).
TOLERANCE = 0.01
# Unplaced figures are one quantity when their clauses share this many key terms.
GENERIC_MIN_SHARED, GENERIC_MIN_JACCARD = 3, 0.3
# Terms in more clauses than this say nothing about which quantity a figure measures.
GENERIC_MAX_DF = 40
_LATIN_WORDS = re.compile(r"[a-z]{2,}")


_RANGE_MARKS = "-–—~～至到"


def _in_range(figure, sentence):
    """One end of a range (15%-20%, 七到九): the two ends are not two claims about a quantity."""
    text = sentence.folded
    for other in sentence.figures:
        if other.end + 1 == figure.start and text[other.end - sentence.start] in _RANGE_MARKS:
            return True
        if figure.end + 1 == other.start and text[figure.end - sentence.start] in _RANGE_MARKS:
            return True
    return False


def _entry(figure, sentence):
    return {
        "text": figure.text, "value": figure.value, "unit": figure.unit,
        "article_id": sentence.article_id, "quote": sentence.text, "start": figure.start,
        "end": figure.end, "hedged": sentence.hedged,
    }


def _differs(entries):
    """Two articles give values further apart than the tolerance."""
    for a in entries:
        for b in entries:
            if a["article_id"] != b["article_id"] and a["unit"] == b["unit"]:
                big = max(abs(a["value"]), abs(b["value"])) or 1.0
                if abs(a["value"] - b["value"]) > TOLERANCE * big:
                    return True
    return False


def _by_subject(sentences):
    grouped, seen = defaultdict(list), {}
    for sentence in sentences:
        for figure in sentence.figures:
            if figure.unit not in CONFLICT_UNITS or _in_range(figure, sentence):
                continue
            subject = subject_of(figure, sentence)
            if subject is None:
                continue
            key = (subject, sentence.article_id, round(figure.value, 2), figure.unit)
            if key in seen:
                # The same figure said again: once an article calls it a rumour, its figure
                # is the rumour's, however often it is repeated plainly.
                seen[key]["hedged"] = seen[key]["hedged"] or sentence.hedged
                continue
            seen[key] = _entry(figure, sentence)
            grouped[subject].append(seen[key])
    return list(grouped.items())


def _generic_groups(sentences):
    loose = []
    for sentence in sentences:
        for figure in sentence.figures:
            if (figure.unit in CONFLICT_UNITS and not _in_range(figure, sentence)
                    and subject_of(figure, sentence) is None):
                terms = {t for t in terms_in(clause_around(sentence, figure))
                         if len(t) > 1 and not any(c.isdigit() for c in t)}
                loose.append((terms, _entry(figure, sentence)))
    postings = defaultdict(list)
    for position, (terms, _) in enumerate(loose):
        for term in terms:
            postings[term].append(position)
    pairs = defaultdict(int)
    for positions in postings.values():
        if len(positions) <= GENERIC_MAX_DF:
            for i, a in enumerate(positions):
                for b in positions[i + 1:]:
                    pairs[a, b] += 1
    # Pairs that word a quantity alike join one group (union-find): five outlets, one quantity.
    parent = list(range(len(loose)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    names = {}
    for (i, j), count in sorted(pairs.items()):
        (terms_a, a), (terms_b, b) = loose[i], loose[j]
        if count < GENERIC_MIN_SHARED or a["article_id"] == b["article_id"] or a["unit"] != b["unit"]:
            continue
        shared = terms_a & terms_b
        if len(shared) / len(terms_a | terms_b) >= GENERIC_MIN_JACCARD:
            names.setdefault(root(i), _generic_name(shared, a["quote"]))
            parent[root(j)] = root(i)
    members = defaultdict(list)
    for position in range(len(loose)):
        members[root(position)].append(loose[position][1])
    return [(names[r], group) for r, group in members.items() if len(group) > 1 and r in names]


_UNIT_CHARS = "亿万千百美元人民币港台欧日英镑名个位人%"


def _generic_name(shared, quote):
    """A readable name for a quantity from the words two clauses share: 'scale ai 估值'."""
    folded = fold_chars(quote)
    covered = [False] * len(folded)
    for i in range(len(folded) - 1):
        if folded[i:i + 2] in shared:
            covered[i] = covered[i + 1] = True
    runs, run = [], ""
    for char, on in zip(folded, covered):
        if on:
            run += char
        elif run:
            runs.append(run)
            run = ""
    runs.append(run)
    runs = [r.strip(_UNIT_CHARS) for r in runs]
    words = [w for w in _LATIN_WORDS.findall(folded) if w in shared]
    parts = list(dict.fromkeys(words[:3] + [r for r in runs if len(r) > 1][:3]))
    return "“" + " ".join(parts) + "”"


@lru_cache(maxsize=4)
def _conflicts(key):
    sentences = _corpus(key).sentences
    found = []
    for subject, entries in _by_subject(sentences) + _generic_groups(sentences):
        if _differs(entries):
            entries = sorted(entries, key=lambda e: (e["hedged"], e["article_id"], e["start"]))
            found.append((subject, entries))
    return sorted(found, key=lambda c: c[0])


def conflicts(articles):
    """[{"subject", "figures": [{"text", "value", "unit", "article", "quote", "start", "end",
    "hedged"}]}], sourced figures before hedged ones, for `articles` (a list)."""
    by_id = {a.pk: a for a in articles}
    return [
        {"subject": subject,
         "figures": [{**{k: v for k, v in e.items() if k != "article_id"},
                      "article": by_id[e["article_id"]]} for e in entries]}
        for subject, entries in _conflicts(corpus_for(articles).key)
    ]


def subjects_of_text(text):
    folded = fold_chars(text)
    sentence = Sentence(0, 0, len(text), text, folded, terms_in(folded), entities_in(folded),
                        parse_figures(text), is_hedged(folded))
    return {subject_of(f, sentence) for f in sentence.figures} - {None}


def subjects_of_texts(texts):
    subjects = set()
    for text in texts:
        for line in (text or "").splitlines():
            subjects |= subjects_of_text(line)
    return frozenset(subjects)


def claim_subjects(claim, evidence_spans):
    """The quantities a claim speaks of: from its text and its evidence sentences."""
    subjects = subjects_of_text(claim.text)
    for evidence in evidence_spans:
        # Figures inside the quoted span only (read in their sentence's context): a quote
        # about Llama 4's deadlines does not speak of the capex figure later in its sentence.
        for sentence in sentences_of(evidence.article):
            if sentence.start < evidence.end and evidence.start < sentence.end:
                subjects |= {subject_of(f, sentence) for f in sentence.figures
                             if evidence.start <= f.start and f.end <= evidence.end} - {None}
    return subjects
