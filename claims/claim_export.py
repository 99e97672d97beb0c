"""Claims with their verdicts and evidence as CSV or JSON: the desk's export (/review/claims/
export.csv|json) and the admin's "export selected claims" action build their rows here.

Rows are streamed: the claims are read `CHUNK` at a time with their verdicts, evidence and
digest prefetched per chunk, so the number of queries depends on the number of chunks, never
on the number of claims, and 100,000 claims are never in memory at once.

CSV is UTF-8 with a byte-order mark (Excel then reads Chinese correctly); a text cell that
a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or a carriage return)
gets a leading apostrophe. JSON is one array of objects, written as it is read.
"""

import csv
import json

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence, Verdict
from claims.search import search

CHUNK = 500  # claims read (and prefetched) at once
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Which claims `status=` keeps: a condition on the claim's verdicts and publication.
_APPROVED = Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.APPROVED)
_PROPOSED = Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.PROPOSED)
_PUBLISHED = Q(published_entry__digest__published_at__isnull=False)
STATUS_FILTERS = {
    "unrated": lambda: ~Exists(_APPROVED) & ~Exists(_PROPOSED),
    "proposed": lambda: ~Exists(_APPROVED) & Exists(_PROPOSED),
    "approved": lambda: Exists(_APPROVED) & ~_PUBLISHED,
    "published": lambda: _PUBLISHED,
}

COLUMNS = [
    "id",
    "text",
    "gloss",
    "claimant",
    "claimant_kind",
    "claimed_on",
    "verdict_status",
    "rating",
    "rating_label",
    "rating_label_zh",
    "approved_at",
    "proposed_by",
    "approved_by",
    "published",
    "digest",
    "evidence_count",
    "evidence",
    "review_url",
]


# --- which claims ----------------------------------------------------------------------------


def filtered_claims(q="", source=None, original_script="", rating="", status="", assignee=""):
    """The claims the desk's filters keep (QueueFilterForm's fields, and `status`), newest
    last. `source` / `original_script` keep claims with evidence from that source / in
    articles of that script; `rating` keeps claims whose shown verdict (the one in force, or
    failing that a proposal) has it; `q` searches their text in either script; `assignee`
    ("none" or a user) keeps the claims nobody / that user looks after."""
    claims = search(Claim.objects.all(), q)
    if assignee == "none":
        claims = claims.filter(assignee__isnull=True)
    elif assignee:
        claims = claims.filter(assignee=assignee)
    for lookup, value in (("source", source), ("script", original_script)):
        if value:
            cited = Evidence.objects.filter(claim=OuterRef("pk"), **{f"article__{lookup}": value})
            claims = claims.filter(Exists(cited))
    if rating:
        claims = claims.filter(
            Exists(_APPROVED.filter(rating=rating))
            | (~Exists(_APPROVED) & Exists(_PROPOSED.filter(rating=rating)))
        )
    if status:
        claims = claims.filter(STATUS_FILTERS[status]())
    return claims


def with_details(claims):
    """`claims` ready for `row`: the few columns read, the rest prefetched (per chunk when
    iterated with `iterator(chunk_size=…)`)."""
    shown = Verdict.objects.filter(
        status__in=(Verdict.Status.APPROVED, Verdict.Status.PROPOSED)
    ).select_related("proposed_by", "reviewed_by")
    evidence = (
        Evidence.objects.select_related("article")
        # The article's body is not needed, only its name: read the title and a little text.
        .only(
            "id",
            "claim_id",
            "stance",
            "article_id",
            "start",
            "end",
            "quote",
            "url",
            "citation_title",
            "publisher",
            "note",
            "article__id",
            "article__title",
            "article__url",
            "article__filename",
        )
    )
    return (
        claims.select_related("published_entry__digest")
        # Neither the folded text nor the published entry's frozen copy is exported.
        .defer(
            "search_text",
            "published_entry__snapshot",
            "published_entry__text",
            "published_entry__search_text",
        )
        .prefetch_related(
            Prefetch("verdicts", queryset=shown, to_attr="shown_verdicts"),
            Prefetch("evidence", queryset=evidence, to_attr="export_evidence"),
        )
        .order_by("id")
    )


# --- one claim -------------------------------------------------------------------------------


def _shown_verdict(claim):
    """The verdict in force, or failing that the latest proposal (None without either)."""
    verdicts = sorted(claim.shown_verdicts, key=lambda v: v.pk, reverse=True)
    return next(
        (v for v in verdicts if v.status == Verdict.Status.APPROVED),
        next((v for v in verdicts if v.status == Verdict.Status.PROPOSED), None),
    )


def _evidence_item(ev):
    article = ev.article
    return {
        "article_id": ev.article_id,
        # An article without a stored title is named by its file (its text is not read here).
        "title": (article.title or article.filename) if article else ev.citation_title,
        "quote": ev.quote if article else ev.note,
        "start": ev.start,
        "end": ev.end,
        "stance": ev.stance,
        "url": (article.url if article else ev.url) or "",
        "citation": None if article else {"title": ev.citation_title, "publisher": ev.publisher},
    }


def row(claim):
    """One claim as a dict of plain values (JSON's shape; `csv_cells` flattens it)."""
    verdict = _shown_verdict(claim)
    entry = claim.published_entry
    published = bool(entry and entry.digest.published_at)
    evidence = [_evidence_item(ev) for ev in claim.export_evidence]
    approved_at = verdict.approved_at if verdict else None
    return {
        "id": claim.pk,
        "text": claim.text,
        "gloss": claim.gloss,
        "claimant": claim.claimant,
        "claimant_kind": claim.claimant_kind,
        "claimed_on": claim.claimed_on.isoformat() if claim.claimed_on else None,
        "verdict_status": verdict.status if verdict else None,
        "rating": verdict.rating if verdict else None,
        "rating_label": verdict.label if verdict else None,
        "rating_label_zh": verdict.label_zh if verdict else None,
        "approved_at": approved_at.isoformat() if approved_at else None,
        "proposed_by": verdict.proposed_by.get_username() if verdict else None,
        "approved_by": (
            verdict.reviewed_by.get_username()
            if verdict and verdict.status == Verdict.Status.APPROVED and verdict.reviewed_by
            else None
        ),
        "published": published,
        "digest": entry.digest.slug if published else None,
        "evidence_count": len(evidence),
        "evidence": evidence,
        "review_url": reverse("review:claim", args=[claim.pk]),
    }


def _evidence_line(item):
    name = item["title"] or item["url"]
    return f"{name}: {item['quote']}" if item["quote"] else name


def neutralise(value):
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(data):
    """A `row` as CSV cells, in COLUMNS order."""
    flat = dict(data)
    flat["evidence"] = "\n".join(_evidence_line(item) for item in data["evidence"])
    flat["published"] = "yes" if data["published"] else "no"
    return [neutralise("" if flat[name] is None else flat[name]) for name in COLUMNS]


# --- the files -------------------------------------------------------------------------------


class _Line:
    """What csv.writer writes to: keeps the last line written."""

    def write(self, text):
        self.text = text


def csv_lines(claims):
    out = _Line()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    yield BOM + out.text
    for claim in with_details(claims).iterator(chunk_size=CHUNK):
        writer.writerow(csv_cells(row(claim)))
        yield out.text


def json_parts(claims):
    yield "["
    separator = "\n"
    for claim in with_details(claims).iterator(chunk_size=CHUNK):
        yield separator + json.dumps(row(claim), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def _encoded(parts):
    for part in parts:
        yield part.encode("utf-8")


def _filename(extension):
    return f"claims-{timezone.localdate().isoformat()}.{extension}"


def csv_response(claims):
    response = StreamingHttpResponse(
        _encoded(csv_lines(claims)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def json_response(claims):
    response = StreamingHttpResponse(
        _encoded(json_parts(claims)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


RESPONSES = {"csv": csv_response, "json": json_response}
