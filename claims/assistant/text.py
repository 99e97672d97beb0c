"""How the claim assistant reads text: sentences with their offsets, the words of each sentence
(Chinese word segmentation with part-of-speech tags, on script-folded text) and the names
among them (people, places, organisations, other proper nouns, Latin words).

No word list here is written from any story. Words come from rjieba (the jieba-rs binding,
with the dictionary it ships); what a word weighs comes from the desk's own articles (BM25 idf,
claims/assistant/index.py); names that the desk knows under several forms come from its
glossary (claims/assistant/glossary.py), which editors edit.

Everything is compared on `sources.text.fold` text: 軟體 and 软件, 裁員 and 裁员 are one word.
"""

import re
import threading
from functools import lru_cache

from sources.text import fold, fold_chars

# Sentence ends; a line break ends a sentence too (headings, list items, quoted posts), and so
# does a run of three or more spaces (messages copied from chat apps lose their line breaks).
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[」』”’）)\]\"']*)?")
_SPACE_RUN = re.compile(r"\s{3,}")
_CLAUSE = re.compile(r"[^，,：:。！？!?；;、\n]+")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_WORDLIKE = re.compile(r"\w")
_MARKUP = re.compile(r"^[\s>#*\-•·]+")

# Part-of-speech tags (jieba's tag set) of words that carry no content: punctuation and
# symbols (x, w), particles (u*), prepositions (p), conjunctions (c), pronouns (r), adverbs
# (d), modal particles (y), interjections (e), onomatopoeia (o), numerals and measure words
# (m, q: figures are read apart), direction words (f).
_FUNCTION_TAGS = ("x", "w", "u", "p", "c", "r", "d", "y", "e", "o", "m", "q", "f", "zg")
# Tags of names: people (nr, nrt, nrfg), places (ns), organisations (nt), other proper nouns
# (nz), Latin-script words (eng: Meta, GPT, WHO).
_NAME_TAGS = ("nr", "ns", "nt", "nz", "eng")

# Words that make a statement second-hand (general Chinese reporting verbs for hearsay, not
# words of a story): a figure said this way is a rumour's figure.
HEDGES = (
    "据说",
    "据传",
    "据称",
    "爆料",
    "传言",
    "网传",
    "传闻",
    "流言",
    "谣言",
    "听说",
    "有消息称",
    "消息人士",
    "疑似",
)

# Longest sentence read (characters): a sentence longer than this is read in pieces.
MAX_SENTENCE = 400
# A sentence needs this many characters to be worth matching.
MIN_SENTENCE = 4

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba

    return rjieba.Jieba()


def _is_function(tag):
    return tag.startswith(_FUNCTION_TAGS) and not tag.startswith(_NAME_TAGS)


def _is_name(tag):
    return tag.startswith(_NAME_TAGS)


@lru_cache(maxsize=131072)
def _kept(word, tag):
    """How a tagged word is kept: (the word, whether it is a name), or None for a word that
    carries no content."""
    word = word.strip()
    if not word or not _WORDLIKE.search(word) or _is_function(tag):
        return None
    if word.isdigit() or (word[0].isdigit() and not _HAN.search(word)):
        return None  # 2025, 3d: numbers are figures, read by the figure parser
    return word, _is_name(tag) and len(word) > 1


def _keep(word, tag, words, names):
    kept = _kept(word, tag)
    if kept:
        words.append(kept[0])
        if kept[1]:
            names.add(kept[0])


@lru_cache(maxsize=65536)
def analyse(folded):
    """(words, names) of an already folded text: the content words in order, and the set of
    those that are names. Words are lower case; digits and punctuation are left out."""
    if not folded:
        return (), frozenset()
    with _lock:
        tagged = _segmenter().tag(folded)
    words, names = [], set()
    for word, tag in tagged:
        _keep(word, tag, words, names)
    return tuple(words), frozenset(names)


def analyse_many(folded_pieces):
    """analyse() of each piece, with one segmentation call for all of them (a call has a
    cost of its own)."""
    if not folded_pieces:
        return []
    text = _SEPARATOR.join(p.replace(_SEPARATOR, " ") for p in folded_pieces)
    with _lock:
        tagged = _segmenter().tag(text)
    out, words, names = [], [], set()
    for word, tag in tagged:
        if word == _SEPARATOR:
            out.append((tuple(words), frozenset(names)))
            words, names = [], set()
        else:
            kept = _kept(word, tag)  # _keep(), inline: this loop sees every word
            if kept:
                words.append(kept[0])
                if kept[1]:
                    names.add(kept[0])
    out.append((tuple(words), frozenset(names)))
    if len(out) != len(folded_pieces):  # the segmenter joined a separator to a word
        return [analyse(p) for p in folded_pieces]
    return out


def expand(words):
    """`words` and, for each Chinese word of three characters or more, its two-character
    pieces: 新冠病毒 and 冠状病毒 share 病毒, 钟南山院士 and 钟院士 share 院士."""
    out = list(words)
    for word in words:
        if len(word) >= 3 and _HAN.match(word):
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out


def words_of(text):
    """(words, names) of raw text, in either script."""
    return analyse(fold(text or "")[: MAX_SENTENCE * 50])


def is_hedged(text):
    """Said as hearsay. Character folding is enough here (据說 and 據說 both read 据说)."""
    folded = fold_chars(text or "")
    return any(h in folded for h in HEDGES)


_SEPARATOR = "\ue000"  # a private-use character: folding leaves it alone


def fold_many(pieces, batch=400):
    """fold() of each piece, with one folding pass per `batch` pieces (folding has a cost per
    call: three OpenCC conversions)."""
    out = []
    for i in range(0, len(pieces), batch):
        chunk = [p.replace(_SEPARATOR, " ") for p in pieces[i : i + batch]]
        folded = fold(_SEPARATOR.join(chunk)).split(_SEPARATOR)
        if len(folded) != len(chunk):
            folded = [fold(p) for p in chunk]
        out.extend(f.strip() for f in folded)
    return out


def has_chinese(text):
    return bool(_HAN.search(text or ""))


def split_sentences(body):
    """(start, end) of each sentence of `body` worth reading, leading markup trimmed; a very
    long sentence is cut into pieces of at most MAX_SENTENCE characters."""
    spans = []
    # Runs of spaces stand for line breaks: replace them by newlines of the same length, so
    # that offsets stay those of `body`.
    text = _SPACE_RUN.sub(lambda m: "\n" * len(m.group()), body)
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        lead = _MARKUP.match(text, start, end)
        if lead:
            start = lead.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while end - start > MAX_SENTENCE:
            cut = _cut_point(text, start, start + MAX_SENTENCE)
            spans.append((start, cut))
            start = cut
        if end - start >= MIN_SENTENCE and _WORDLIKE.search(text, start, end):
            spans.append((start, end))
    return spans


def _cut_point(text, start, limit):
    """Where to cut an over-long sentence: after the last comma before `limit`, else there."""
    for i in range(limit, start + MAX_SENTENCE // 2, -1):
        if text[i - 1] in "，,、：: ":
            return i
    return limit


def clause_around(text, start, end):
    """(clause_start, clause_end) of the clause of `text` holding [start, end)."""
    for m in _CLAUSE.finditer(text):
        if m.start() <= start < m.end() or (m.start() < end <= m.end()):
            return m.start(), m.end()
    return 0, len(text)


def fold_keep_offsets(text):
    """Character-by-character folding (offsets kept), for locating quotes across scripts."""
    return fold_chars(text)
