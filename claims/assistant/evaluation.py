"""Measure the claim assistant on real texts that nobody on the project wrote:
../shared/corpus/ beside the project (its README says what is there).

- tfc_rumours.jsonl: rumour messages checked by the Taiwan FactCheck Center; messages of one
  report are the same rumour in different words (the ground truth for matching).
- weibo_covid.jsonl: Weibo posts of 2020 (Simplified): distractors for matching and material
  for figure conflicts (钟南山's age given as 84 and 85…).

Every text goes through the importer's reading (`sources.importer.prepare`) and the assistant's
(`arrival.read_passages`) into an index of its own, in memory: nothing is written to the
database. Measured:

matching    For each message of a report with several messages, a claim is made from it as an
            editor would (its check-worthy spans, `claim_labels`; else its longest sentence),
            with the message as its evidence article, and matched as `assistant.matches` does.
            recall@5: share of (message, other message of its report) pairs where the other
            message is among the five best other articles; precision@5: share of those five
            that are messages of the report. Once in the original scripts, once with the
            claim's side converted to the other script (OpenCC tw2sp / s2twp).
known       One claim per report (from its first message); every other text is checked as it
            would be on arrival. recall: share of the report's other messages flagged with
            the report's claim; precision: share of all flags that are right.
several     For each message of a report with several messages, a claim made from it as above:
            the other messages that the queue's "seen in several sources" would list for it
            (`assistant.claims_seen_in_several_sources`: sentences that report the claim,
            `matching.reports_the_claim`). recall: share of the report's other messages
            listed; precision: share of the messages listed that belong to the report.
one story   Known claims on a desk that follows one story: the seed articles (Meta's AI layoffs)
            are added to the index, and each claim of the desk's review of them
            (seeds/review.yaml) is made from the first article its evidence quotes; then each
            seed article is checked as on arrival. recall: share of the (claim, article) pairs
            where the review quotes the article for the claim that are flagged; precision:
            share of the flags that the review's citations bear out. Articles of one story are
            all alike, so the article's likeness says less here than among rumours of many.
            The same claims' "seen in several sources", against the same citations.
figures     `claims.assistant.figures_eval.evaluate_figures()`, the parser's own gold file.
conflicts   The conflicts found over both sets. precision (TFC): share of conflicts among TFC
            messages whose figures all come from messages of one report (the same rumour);
            and whether the known case (钟南山 84 / 85 岁) is found. precision (by hand): share
            of the conflicts found that a judgement in the gold file below calls real.

The conflicts' gold file, claims/assistant/data/conflicts_gold.jsonl, one conflict a line:
{"figures": [[corpus key, figure text, start], ...] (sorted; start is the figure's offset in
the stored body, `sources.corpus.stored_body` of the record's text), "subject" (as the finder
named it, for the reader), "real", "why"}. Written by the desk's engineers: every conflict the
finder reported over both sets was read, the sentence of each figure beside the others', and
judged real only when the sentences speak of the same quantity of the same thing (same event,
person or measure, same time frame or none) and give different values — a disagreement an
editor would want to see; not when they count different things, give different days' counts, a
running total at different dates, a total against a per-person figure, agreeing values, or a
misread figure. The judgement is of the conflict as shown, so a conflict is judged only when a
gold line lists exactly its figures (the same set of (corpus key, figure text, start)): one
whose figures changed (a figure gained or lost) is counted as not yet judged, to be read again.
"""

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from claims.assistant import glossary, matching
from claims.assistant.arrival import read_passages, read_sentences
from claims.assistant.conflicts import conflicts as find_conflicts
from claims.assistant.conflicts import mentions_of
from claims.assistant.figures_eval import evaluate_figures
from claims.assistant.index import Index
from claims.assistant.quantities import figures_in
from claims.assistant.text import words_of
from sources.corpus import corpus_dir, stored_body

TFC = "tfc_rumours.jsonl"
WEIBO = "weibo_covid.jsonl"
CONFLICTS_GOLD = Path(__file__).resolve().parent / "data" / "conflicts_gold.jsonl"


class CorpusError(Exception):
    pass


@dataclass
class Doc:
    pk: int
    key: str
    report: str | None
    text: str
    body: str = ""
    spans: list = field(default_factory=list)


@dataclass
class Score:
    found: int = 0
    expected: int = 0
    correct: int = 0
    reported: int = 0
    best_possible: int = 0
    misses: list = field(default_factory=list)

    @property
    def recall(self):
        return self.found / self.expected if self.expected else 0.0

    @property
    def precision(self):
        return self.correct / self.reported if self.reported else 0.0

    def line(self, name):
        extra = (
            f" (the best possible precision here is {self.best_possible / self.reported:.2f}: "
            f"few reports have five other messages)"
            if self.best_possible and self.reported
            else ""
        )
        return (
            f"{name}: recall {self.recall:.3f} ({self.found}/{self.expected}), "
            f"precision {self.precision:.3f} ({self.correct}/{self.reported}){extra}"
        )


def _read_jsonl(path):
    if not path.is_file():
        raise CorpusError(
            f"No corpus file at {path} (the shared corpus lives beside the project: "
            f"{corpus_dir()})."
        )
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load(directory=None, weibo=True):
    directory = Path(directory) if directory else corpus_dir()
    docs = []
    for row in _read_jsonl(directory / TFC):
        spans = [
            row["text"][m.start() : m.end()]
            for m in re.finditer("BI*", row.get("claim_labels", ""))
        ]
        docs.append(
            Doc(
                len(docs) + 1,
                row["id"],
                row["report"],
                row["text"],
                spans=[s for s in spans if len(s.strip()) >= 4],
            )
        )
    if weibo:
        for row in _read_jsonl(directory / WEIBO):
            docs.append(Doc(len(docs) + 1, row["id"], None, row["text"]))
    return docs


class _Article:
    """What read_passages and the conflict finder need of an article."""

    def __init__(self, pk, body, filename=""):
        self.pk, self.body, self.filename = pk, body, filename


def build_index(docs):
    glossary.refresh(force=True)
    index = Index()
    for doc in docs:
        doc.body = stored_body(doc.text)
    _add_to_index(index, docs)
    return index


def _add_to_index(index, docs):
    """The passages of each doc's body, read as on arrival, into the index."""
    pid = max(index.s_passage, default=0)
    for doc in docs:
        for p in read_passages(_Article(doc.pk, doc.body)):
            pid += 1
            index.add_passage(
                pid, doc.pk, p.start, p.end, p.words.split(), p.names.split(), p.figures, p.hedged
            )
    index.finish_documents()


def _claim_texts(doc):
    if doc.spans:
        return doc.spans
    from claims.assistant.text import split_sentences

    sentences = [doc.body[s:e] for s, e in split_sentences(doc.body)]
    return [max(sentences, key=len)] if sentences else [doc.body]


def _converter(text):
    from sources.text import detect_script

    return "tw2sp" if detect_script(text) != "hans" else "s2twp"


def _words(texts, convert_to=None):
    from sources.text import convert

    words = []
    for text in texts:
        words.extend(words_of(convert(text, convert_to) if convert_to else text)[0])
    return words


def evaluate_matching(index, docs, convert=False, limit=5):
    from sources.text import convert as opencc

    score = Score()
    groups = _groups(docs)
    for members in groups.values():
        for doc in members:
            texts = _claim_texts(doc)
            to = _converter(doc.text) if convert else None
            words = _words(texts, to)
            context = (
                words_of(opencc(doc.body, to))[0] if convert else index.document_words([doc.pk])
            )
            figures = [
                f for text in texts for f in figures_in(opencc(text, to) if convert else text)
            ]
            hits = matching.match_sentences(
                index,
                words,
                context,
                own_articles={doc.pk},
                limit=limit + 1,
                min_score=0.0,
                figures=figures,
            )
            top = [h.article_id for h in hits if h.article_id != doc.pk][:limit]
            twins = {d.pk for d in members if d.pk != doc.pk}
            found = twins & set(top)
            score.expected += len(twins)
            score.found += len(found)
            score.reported += len(top)
            score.correct += len(found)
            score.best_possible += min(len(twins), len(top))
            for missed in twins - found:
                score.misses.append((doc.key, next(d.key for d in members if d.pk == missed)))
    return score


def _listed_as_sources(index, texts, own):
    """The articles "seen in several sources" lists for a claim of `texts` made from the
    article `own`, as the queue asks (`assistant.claims_seen_in_several_sources`)."""
    hits = matching.match_sentences(
        index,
        _words(texts),
        None,
        own_articles={own},
        limit=20,  # as the queue asks
        min_score=0.0,
        figures=[f for text in texts for f in figures_in(text)],
        sentence_only=True,
    )
    texts_words = matching.words_of_each(texts)
    return {
        h.article_id
        for h in hits
        if h.article_id != own and matching.reports_the_claim(h, texts_words, index.s_words[h.row])
    }


def evaluate_several_sources(index, docs):
    """The messages "seen in several sources" lists for a claim made from each message of a
    report (its own message, the evidence, left out), against the report's other messages."""
    score = Score()
    for members in _groups(docs).values():
        for doc in members:
            texts = _claim_texts(doc)
            listed = _listed_as_sources(index, texts, doc.pk)
            twins = {d.pk for d in members if d.pk != doc.pk}
            score.expected += len(twins)
            score.found += len(twins & listed)
            score.reported += len(listed)
            score.correct += len(twins & listed)
            for missed in twins - listed:
                score.misses.append((doc.key, next(d.key for d in members if d.pk == missed)))
    return score


def load_story(directory=None):
    """The seed articles (one story) as docs, numbered when they are added to an index, and
    the desk's review of them: ([Doc], [(claim text, [file, ...] its evidence quotes, in order,
    [quote, ...] from the first of them)])."""
    from django.conf import settings

    from newsroom import safe_yaml
    from sources.importer import read_fields

    directory = Path(directory or Path(settings.BASE_DIR) / "seeds")
    docs = [
        Doc(0, path.name, None, read_fields(path.read_bytes())[0].body)
        for path in sorted(directory.glob("*.txt"))
    ]
    review = safe_yaml.load((directory / "review.yaml").read_text(encoding="utf-8"))
    claims = []
    for claim in review.get("claims") or ():
        files = list(dict.fromkeys(e["file"] for e in claim.get("evidence") or ()))
        if files:
            quotes = [e["quote"] for e in claim["evidence"] if e["file"] == files[0]]
            claims.append((claim["text"], files, quotes))
    return docs, claims


def add_story(index, docs, story):
    """The seed articles of `story` (`load_story`) added to the index after `docs`: their
    numbers by file name."""
    story_docs, _ = story
    first_pk = max((d.pk for d in docs), default=0) + 1
    for n, doc in enumerate(story_docs):
        doc.pk, doc.body = first_pk + n, doc.text
    _add_to_index(index, story_docs)
    return {d.key: d.pk for d in story_docs}


def evaluate_known_claims_on_one_story(index, story, pk_of):
    """The review's claims (`load_story`), each from the first article its evidence quotes;
    each seed article checked as on arrival against the review's other citations. The claims
    are forgotten afterwards."""
    story_docs, claims = story
    cited, texts = {}, {}
    for n, (text, files, quotes) in enumerate(claims, start=max(pk_of.values()) + 1):
        index.add_claim(n, _words([text, *quotes]), [pk_of[files[0]]])
        cited[n], texts[n] = {pk_of[f] for f in files[1:]}, text
    index.refresh_claim_norms()
    score = Score()
    for doc in story_docs:
        sentences = [
            (index.s_start[r], index.s_end[r], index.s_words[r])
            for r in index.article_rows.get(doc.pk, ())
        ]
        flagged = {h.claim_id for h in matching.known_claims_in(index, doc.pk, sentences)}
        for claim_id, articles in cited.items():
            if doc.pk in articles:
                score.expected += 1
                if claim_id in flagged:
                    score.found += 1
                else:
                    score.misses.append((doc.key, texts[claim_id]))
        score.reported += len(flagged & set(cited))
        score.correct += sum(doc.pk in cited[c] for c in flagged & set(cited))
    for n in cited:
        index.forget_claim(n)
    return score


def evaluate_several_sources_on_one_story(index, story, pk_of):
    """For each claim of the review, made from the first article its evidence quotes: the
    articles "seen in several sources" lists, against the review's other citations."""
    _, claims = story
    score = Score()
    for text, files, quotes in claims:
        listed = _listed_as_sources(index, [text, *quotes], pk_of[files[0]])
        cited = {pk_of[f] for f in files[1:]}
        score.expected += len(cited)
        score.found += len(cited & listed)
        score.reported += len(listed)
        score.correct += len(cited & listed)
    return score


def _groups(docs):
    groups = {}
    for doc in docs:
        if doc.report:
            groups.setdefault(doc.report, []).append(doc)
    return {r: m for r, m in groups.items() if len(m) > 1}


def evaluate_known_claims(index, docs, convert=False):
    """One claim per report (its first message's spans, anchored there); every other text is
    checked as on arrival."""
    from sources.text import convert as opencc

    groups = _groups(docs)
    claim_of_report = {}
    for n, (report, members) in enumerate(sorted(groups.items()), start=1):
        first = members[0]
        index.add_claim(n, _words(_claim_texts(first)), [first.pk])
        claim_of_report[report] = n
    index.refresh_claim_norms()
    report_of_claim = {v: k for k, v in claim_of_report.items()}
    score = Score()
    for doc in docs:
        if convert:
            body = opencc(doc.body, _converter(doc.body))
            sentences = read_sentences(body)
        else:
            sentences = [
                (index.s_start[r], index.s_end[r], index.s_words[r])
                for r in index.article_rows.get(doc.pk, ())
            ]
        hits = matching.known_claims_in(index, doc.pk, sentences)
        expected = claim_of_report.get(doc.report)
        is_first = doc.report in groups and groups[doc.report][0] is doc
        if expected and not is_first:
            score.expected += 1
            if any(h.claim_id == expected for h in hits):
                score.found += 1
            else:
                score.misses.append((doc.key, doc.report))
        for hit in hits:
            if is_first and hit.claim_id == expected:
                continue  # the claim's own evidence article
            score.reported += 1
            score.correct += report_of_claim[hit.claim_id] == doc.report
    # The index is the evaluation's own: leave no claims behind for the next measure.
    for n in report_of_claim:
        index.forget_claim(n)
    return score


def conflict_key(figures):
    """A conflict's identity across runs: the set of its figures' (corpus key, text, start).
    `figures` are the finder's dicts (their article's filename is the corpus key) or the gold
    file's [key, text, start] lists."""
    return frozenset(
        (f["article"].filename, f["text"], f["start"]) if isinstance(f, dict) else tuple(f)
        for f in figures
    )


def load_conflicts_gold(path=None):
    """{conflict_key: {"figures", "subject", "real", "why"}} from the conflicts' gold file."""
    path = Path(path or CONFLICTS_GOLD)
    with path.open(encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle if line.strip()]
    return {conflict_key(e["figures"]): e for e in entries}


def judge_conflicts(found, gold):
    """The found conflicts with a judgement in `gold` (exactly the same figures), how many of
    those are real, and those with none: {"judged": [(conflict, entry)], "real": n,
    "unjudged": [conflict]}."""
    judged, unjudged = [], []
    for conflict in found:
        entry = gold.get(conflict_key(conflict["figures"]))
        if entry is None:
            unjudged.append(conflict)
        else:
            judged.append((conflict, entry))
    return {
        "judged": judged,
        "real": sum(1 for _, entry in judged if entry["real"]),
        "unjudged": unjudged,
    }


def evaluate_conflicts(index, docs, gold=None):
    """The conflicts found among the docs, with the TFC-based precision and the judgements of
    the gold file (`gold`: a dict as load_conflicts_gold returns; by default the desk's)."""
    by_pk = {d.pk: d for d in docs}

    articles = [_Article(d.pk, d.body, d.key) for d in docs]
    found = find_conflicts(index, articles=articles)
    tfc_only = [c for c in found if all(by_pk[f["article"].pk].report for f in c["figures"])]
    same_rumour = [
        c for c in tfc_only if len({by_pk[f["article"].pk].report for f in c["figures"]}) == 1
    ]
    age_case = [
        c
        for c in found
        if "钟南山" in c["subject"]
        and {round(f["value"]) for f in c["figures"] if f["unit"] == "age"} >= {84, 85}
    ]
    by_hand = judge_conflicts(found, load_conflicts_gold() if gold is None else gold)
    return {
        "conflicts": found,
        "judged": by_hand["judged"],
        "judged_real": by_hand["real"],
        "unjudged": by_hand["unjudged"],
        "tfc": tfc_only,
        "same_rumour": same_rumour,
        "age_case": age_case,
        "mentions": len(mentions_of(index).row),
    }


def evaluate(directory=None, weibo=True):
    """All measures; returns a dict of results (and how long each took)."""
    started = time.perf_counter()
    docs = load(directory, weibo=weibo)
    index = build_index(docs)
    took = {"index": time.perf_counter() - started}
    results = {"docs": len(docs), "sentences": index.n_sentences, "reports": len(_groups(docs))}
    for name, convert in (("matching", False), ("matching_converted", True)):
        t = time.perf_counter()
        results[name] = evaluate_matching(index, docs, convert=convert)
        took[name] = time.perf_counter() - t
    for name, convert in (("known", False), ("known_converted", True)):
        t = time.perf_counter()
        results[name] = evaluate_known_claims(index, docs, convert=convert)
        took[name] = time.perf_counter() - t
    t = time.perf_counter()
    results["several"] = evaluate_several_sources(index, docs)
    took["several"] = time.perf_counter() - t
    t = time.perf_counter()
    results["conflicts"] = evaluate_conflicts(index, docs)
    took["conflicts"] = time.perf_counter() - t
    # Last: the seed articles join the index.
    t = time.perf_counter()
    story = load_story()
    pk_of = add_story(index, docs, story)
    results["known_one_story"] = evaluate_known_claims_on_one_story(index, story, pk_of)
    results["several_one_story"] = evaluate_several_sources_on_one_story(index, story, pk_of)
    took["one_story"] = time.perf_counter() - t
    results["figures"] = evaluate_figures()  # the parser's gold file
    results["seconds"] = took
    return results
