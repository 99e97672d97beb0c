"""Read-side queries of the review pages: the queue, the article reader, the claim workbench.

Each function does a fixed number of queries, whatever the number of claims, evidence or
verdicts (the review page tests guard this).
"""

import dataclasses
import re

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from claims.assistant import suggestions
from claims.models import Claim, DigestEntry, Evidence, Verdict
from claims.paging import COUNT_CAP, paginate
from claims.search import pieces_shared, search
from sources import markdown
from sources import text as scripts
from sources.models import Article

QUEUE_LIMIT = 50  # rows per page of a queue section
QUEUE_SECTIONS = ("articles", "no_evidence", "waiting", "approved")
CLAIM_CHOICES = 20  # claims offered at once in "add as evidence to claim…"


# --- queue -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Section:
    key: str
    title: str
    count: int
    items: list
    page: object = None  # claims.paging.Page: its number, links, and whether count is capped

    @property
    def capped(self):
        return bool(self.page and self.page.capped)


def queue(
    user, q="", source=None, original_script="", rating="", assignee="", pages=None, query=None
):
    """The four lists of work waiting, filtered; each a page of rows (`pages`: section key →
    page number) with its count (capped, claims.paging). `original_script` narrows to
    articles written in that script (hans, hant, mixed); `assignee` ("none" or a user) the
    claims to those nobody / that user looks after (articles have nobody). `query` (the
    request's QueryDict) makes the page links."""
    articles = (
        Article.objects.select_related("source")
        .annotate(has_evidence=Exists(Evidence.objects.filter(article=OuterRef("pk"))))
        .filter(has_evidence=False)
    )
    claims = Claim.objects.all()
    verdicts = Verdict.objects.filter(status=Verdict.Status.PROPOSED).select_related(
        "claim__assignee", "proposed_by"
    )
    in_force = Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.APPROVED)
    # A claim in no digest was never published: `published_at IS NULL` says nothing more, but
    # lets the count and the page read the never-published claims under claim_published_at
    # instead of testing every claim the desk ever published (82 ms at 100,000 claims).
    approved = (
        Claim.objects.filter(published_at__isnull=True)
        .filter(Exists(in_force))
        .exclude(Exists(DigestEntry.objects.filter(claim=OuterRef("pk"))))
    )

    # The three lists of claims search one table: the index is asked once (`memo`).
    memo: dict = {}
    articles = search(articles, q)
    claims, approved = (search(qs, q, memo=memo) for qs in (claims, approved))
    verdicts = search(verdicts, q, field="claim__search_text", memo=memo)
    # The source and script filters each narrow the articles, and the claims by their evidence.
    for lookup, value in (("source", source), ("script", original_script)):
        if not value:
            continue
        articles = articles.filter(**{lookup: value})
        evidence = {f"article__{lookup}": value}
        cited = Exists(Evidence.objects.filter(claim=OuterRef("pk"), **evidence))
        claims, approved = claims.filter(cited), approved.filter(cited)
        verdicts = verdicts.filter(
            Exists(Evidence.objects.filter(claim=OuterRef("claim"), **evidence))
        )
    if rating:
        verdicts = verdicts.filter(rating=rating)
        approved = approved.filter(Exists(in_force.filter(rating=rating)))
    if assignee:
        who = {"assignee__isnull": True} if assignee == "none" else {"assignee": assignee}
        claims, approved = claims.filter(**who), approved.filter(**who)
        verdicts = verdicts.filter(**{f"claim__{key}": value for key, value in who.items()})

    no_evidence = (
        claims.annotate(has_evidence=Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .filter(has_evidence=False)
        .select_related("created_by", "assignee")
    )
    approved = approved.select_related("assignee").prefetch_related(
        Prefetch("verdicts", queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED))
    )

    lists = {
        "articles": (_("Articles without claims"), articles.order_by("-published_on", "id")),
        "no_evidence": (_("Claims without evidence"), no_evidence.order_by("id")),
        "waiting": (
            _("Verdicts waiting for a second editor's review"),
            verdicts.order_by("proposed_at", "id"),
        ),
        "approved": (_("Reviewed claims not yet in a digest"), approved.order_by("-id")),
    }
    sections = []
    for key in QUEUE_SECTIONS:
        title, rows = lists[key]
        # Each section is paged on its own (?<key>_page=N), its count capped (claims.paging).
        page = paginate(
            rows,
            (pages or {}).get(key, 1),
            QUEUE_LIMIT,
            query=query,
            param=f"{key}_page",
            anchor=f"#{key}",
        )
        sections.append(Section(key, title, page.count, page.items, page))
    for verdict in sections[2].items:
        verdict.is_own = verdict.proposed_by_id == user.pk
    return sections


# --- article reader --------------------------------------------------------------------------


@dataclasses.dataclass
class Segment:
    """A run of body text between two span boundaries, with the evidence that covers it;
    `html` is the run as shown: its Markdown formatted, the markup characters hidden but there
    (its text content is the run, so that offsets in the page still index the stored body)."""

    start: int
    text: str
    evidence: list
    html: str = ""

    @property
    def anchor(self):
        """The evidence that begins here, so that links can point at it (#e-<id>)."""
        return next((e.pk for e in self.evidence if e.start == self.start), None)

    @property
    def tip(self):
        return pgettext("list separator", "; ").join(
            _("Claim #%(id)s: %(text)s (%(stance)s)")
            % {"id": e.claim_id, "text": e.claim.text[:80], "stance": e.get_stance_display()}
            for e in self.evidence
        )


@dataclasses.dataclass
class Block:
    """A sentence (or the text between sentences); `suggestion` is set when it is suggested."""

    segments: list
    suggestion: object = None
    index: int = 0

    @property
    def reason(self):
        """Why the sentence is suggested, in words ("figure · quotation")."""
        if self.suggestion is None:
            return ""
        return self.suggestion.label


def reader(article, script=None):
    """The article body cut into blocks and segments for highlighting, the article's
    evidence, and the claim suggestions (each marked `.covered` if evidence overlaps it)."""
    body = article.body
    evidence = list(article.evidence.select_related("claim").order_by("start", "id"))
    found = suggestions.suggest(body)
    sentence_cuts = {0, len(body)}
    for s in found:
        sentence_cuts.update((s.start, s.end))
    cuts = set(sentence_cuts)
    for e in evidence:
        cuts.update((min(e.start, len(body)), min(e.end, len(body))))
    cuts = sorted(cuts)

    by_start = {s.start: (i, s) for i, s in enumerate(found, 1)}
    marks = markdown.scan(body)
    blocks = []
    for a, b in zip(cuts, cuts[1:]):
        # Suggested sentences never overlap, so their edges cut the body into blocks.
        if a in sentence_cuts:
            index, suggestion = by_start.get(a, (0, None))
            blocks.append(Block([], suggestion, index))
        covering = [e for e in evidence if e.start < b and e.end > a]
        # Offsets stay with the original text; each segment is converted on its own because
        # a phrase conversion may change the length of a text (see sources.text).
        blocks[-1].segments.append(
            Segment(
                a,
                scripts.to_script(body[a:b], script),
                covering,
                markdown.render(body, a, b, marks, lambda text: scripts.to_script(text, script)),
            )
        )

    suggested = []
    for index, s in enumerate(found, 1):
        covered = any(e.start < s.end and e.end > s.start for e in evidence)
        suggested.append(
            {
                "index": index,
                "suggestion": s,
                "tags": s.tags,
                "covered": covered,
                "display": scripts.to_script(s.text, script),
            }
        )
    return blocks, evidence, suggested


def _narrowed(rows, find, limit):
    """At most `limit` rows (and whether there are more): those whose folded search text holds
    `find` (either script), or whose number it is; the newest first."""
    find = (find or "").strip().lstrip("#")
    rows = rows.order_by("-id")
    first = []
    if find.isdecimal() and len(find) < 19:  # the row of that number first, then text matches
        first = list(rows.filter(pk=int(find)))
        rows = rows.exclude(pk=int(find))
    if find:
        rows = search(rows, find)
    found = first + list(rows[: limit + 1 - len(first)])
    return found[:limit], len(found) > limit


def claim_choices(find="", limit=None):
    """Claims offered in "add as evidence to claim…": the newest, or those matching `find`."""
    return _narrowed(Claim.objects.only("id", "text"), find, limit or CLAIM_CHOICES)


def article_choices(find="", limit=None):
    """Articles offered in the workbench's "add a quote from an article": the newest, or those
    whose title or text (either script) holds `find`, or whose number it is."""
    return _narrowed(Article.objects.only("id", "title", "filename"), find, limit or CLAIM_CHOICES)


# --- claim workbench -------------------------------------------------------------------------


def workbench(claim):
    """Evidence, verdicts and history of a claim, each in one query."""
    evidence = list(claim.evidence.select_related("article__source", "cited_in"))
    verdicts = list(claim.verdicts.select_related("proposed_by", "reviewed_by"))
    return evidence, verdicts, history(claim)


def history(claim):
    """Who changed what and when: the claim, its evidence and its verdicts, newest first."""
    claim_records = claim.history.select_related("history_user")
    evidence_records = Evidence.history.filter(claim_id=claim.pk).select_related("history_user")
    verdict_records = Verdict.history.filter(claim_id=claim.pk).select_related("history_user")
    rows = []
    for kind, records in (
        ("claim", claim_records),
        ("evidence", evidence_records),
        ("verdict", verdict_records),
    ):
        for record in records:
            label = _HISTORY_LABELS.get((kind, record.history_type))
            rows.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "kind": kind,  # "claim", "evidence" or "verdict"
                    "label": str(label) if label else "",  # what was done, in words
                    "detail": _history_detail(kind, record),
                }
            )
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows


def _history_detail(kind, record):
    if kind == "claim":
        return _("v%(version)s: %(text)s") % {"version": record.version, "text": record.text}
    if kind == "evidence":
        # A quote is shown without its Markdown markup characters (display only).
        return markdown.plain(record.quote)[:80] or record.citation_title or record.url
    status = STATUS_LABELS.get(record.status, record.status)
    return f"{record.get_rating_display()} · {status}"


# A verdict's status, in words (the keys are Verdict.Status values).
STATUS_LABELS = {
    "proposed": pgettext_lazy("verdict status", "To review"),
    "approved": pgettext_lazy("verdict status", "Approved"),
    "sent_back": pgettext_lazy("verdict status", "Sent back"),
    "superseded": pgettext_lazy("verdict status", "Superseded"),
}

# What a history row did, as one phrase (translators see whole phrases, not pieces).
_HISTORY_LABELS = {
    ("claim", "+"): pgettext_lazy("history", "Claim created"),
    ("claim", "~"): pgettext_lazy("history", "Claim changed"),
    ("claim", "-"): pgettext_lazy("history", "Claim deleted"),
    ("evidence", "+"): pgettext_lazy("history", "Evidence added"),
    ("evidence", "~"): pgettext_lazy("history", "Evidence changed"),
    ("evidence", "-"): pgettext_lazy("history", "Evidence deleted"),
    ("verdict", "+"): pgettext_lazy("history", "Verdict proposed"),
    ("verdict", "~"): pgettext_lazy("history", "Verdict changed"),
    ("verdict", "-"): pgettext_lazy("history", "Verdict deleted"),
}


# Runs of at least this many folded characters between punctuation make a distinctive needle.
_NEEDLE = 6
_BREAK = re.compile(r"[^\w%]+")


def _needles(texts):
    needles = []
    for text in texts:
        for run in _BREAK.split(scripts.fold(text)):
            for i in range(0, max(len(run) - _NEEDLE, 0) + 1, _NEEDLE // 2):
                piece = run[i : i + _NEEDLE]
                if len(piece) == _NEEDLE and piece not in needles:
                    needles.append(piece)
    return needles[:24]


def other_appearances(claim, evidence):
    """Articles without evidence for this claim whose folded text shares two or more
    distinctive pieces of the claim or of its quotes (the same claim, maybe in the other
    script; one shared piece of six characters is often a common phrase, two rarely are):
    [(article id, pieces shared)], most pieces first, then the newest; the first
    COUNT_CAP + 1 of them (a rumour forwarded everywhere is in thousands of articles)."""
    needles = _needles([claim.text] + [e.quote for e in evidence if e.quote])
    if not needles:
        return []
    quoted = {e.article_id for e in evidence if e.article_id}
    # PostgreSQL: from the gram index, in one query (reading every article's text for all the
    # pieces took 0.1-0.8 s of a claim's page at 10,000 articles).
    found = pieces_shared(Article, needles, at_least=2, limit=COUNT_CAP + 1, exclude=quoted)
    if found is not None:
        return found
    condition = Q()
    for needle in needles:
        condition |= Q(search_text__contains=needle)
    candidates = Article.objects.filter(condition).exclude(pk__in=quoted)
    found = []
    for pk, text in candidates.values_list("pk", "search_text").iterator():
        shared = sum(needle in text for needle in needles)
        if shared >= 2:
            found.append((pk, shared))
    found.sort(key=lambda row: (-row[1], -row[0]))
    return found[: COUNT_CAP + 1]


def appearance_page(found, number, size, **links):
    """A page of `other_appearances`: its items {"article", "count"}, the articles read for
    that page only (with their sources)."""
    page = paginate(found, number, size, **links)
    articles = (
        Article.objects.select_related("source")
        .only("id", "title", "filename", "source__name", "source__slug")
        .in_bulk([pk for pk, _ in page.items])
    )
    page.items = [
        {"article": articles[pk], "count": shared} for pk, shared in page.items if pk in articles
    ]
    return page
