"""Writing the review in the database back as a review file (see claims.review_file for the
format). Loading what `export_review` writes into the same database changes nothing; loading it
into a fresh one (with the same articles and users) reproduces the same review."""

from pathlib import Path

import yaml

from claims.models import Claim, Digest, Verdict

HEADER = (
    "# The desk's review of the seed articles: sources, claims with evidence quoted from the\n"
    "# articles, verdicts (proposed by one editor, approved by another) and digests.\n"
    "# Load with `python manage.py load_review FILE`; write back with `export_review FILE`.\n"
)


# --- exporting -------------------------------------------------------------------------------


def _export_evidence(ev):
    if ev.article_id is not None:
        item = {"file": ev.article.filename, "quote": ev.quote, "stance": ev.stance}
        if ev.note:
            item["note"] = ev.note
        if ev.article.body.find(ev.quote) != ev.start:
            item["start"] = ev.start  # Only when the quote's first occurrence is not the one.
        return "evidence", item
    item = {"title": ev.citation_title, "publisher": ev.publisher}
    if ev.url:
        item["url"] = ev.url
    if ev.cited_on:
        item["date"] = ev.cited_on.isoformat()
    if ev.cited_in_id:
        item["cited_in"] = ev.cited_in.filename
    item.update({"stance": ev.stance, "note": ev.note})
    return "citations", item


def _verdict_to_export(claim):
    """The verdict in force, or failing that the proposal waiting for review."""
    verdicts = sorted(claim.verdicts.all(), key=lambda v: v.pk, reverse=True)
    return next(
        (v for v in verdicts if v.status == Verdict.Status.APPROVED),
        next((v for v in verdicts if v.status == Verdict.Status.PROPOSED), None),
    )


def _export_claim(claim):
    item = {"key": claim.review_key, "text": claim.text, "gloss": claim.gloss}
    if claim.claimant:
        item.update(claimant=claim.claimant, claimant_kind=claim.claimant_kind)
    if claim.claimed_on:
        item["claimed_on"] = claim.claimed_on.isoformat()
    if claim.first_appearance_id:
        item["first_appearance"] = next(
            e.article.filename
            for e in claim.evidence.all()
            if e.article_id == claim.first_appearance_id
        )
    parts = {"evidence": [], "citations": []}
    for ev in sorted(claim.evidence.all(), key=lambda e: e.pk):
        section, entry = _export_evidence(ev)
        parts[section].append(entry)
    item["evidence"] = parts["evidence"]
    if parts["citations"]:
        item["citations"] = parts["citations"]
    verdict = _verdict_to_export(claim)
    author = claim.created_by.get_username() if claim.created_by else None
    if verdict is not None:
        item["verdict"] = {
            "rating": verdict.rating,
            "rationale": verdict.rationale,
            "proposed_by": verdict.proposed_by.get_username(),
        }
        if verdict.status == Verdict.Status.APPROVED:
            item["verdict"]["approved_by"] = verdict.reviewed_by.get_username()
    if author and (verdict is None or verdict.proposed_by.get_username() != author):
        item["created_by"] = author
    return item


def export_data():
    """The whole review in the database, in the file's format (a dict)."""
    # A claim entered by hand gets a key now, so that loading the export finds it again.
    for claim in Claim.objects.filter(review_key="").only("pk"):
        Claim.objects.filter(pk=claim.pk).update(review_key=f"claim-{claim.pk}")
    claims = list(
        Claim.objects.order_by("pk")
        .select_related("created_by")
        .prefetch_related(
            "evidence__article__source",
            "evidence__cited_in",
            "verdicts__proposed_by",
            "verdicts__reviewed_by",
        )
    )
    files = {}
    for claim in claims:
        for ev in claim.evidence.all():
            for article in (ev.article, ev.cited_in):
                if article is not None:
                    files.setdefault(article.source, set()).add(article.filename)
    sources = []
    for source in sorted(files, key=lambda s: min(files[s])):
        item = {"name": source.name, "kind": source.kind}
        if source.homepage:
            item["homepage"] = source.homepage
        item.update({"notes": source.notes, "files": sorted(files[source])})
        sources.append(item)
    digests = []
    for digest in (
        Digest.objects.order_by("pk")
        .select_related("published_by", "created_by", "corrects")
        .prefetch_related("entries__claim")
    ):
        reviewer = digest.published_by or digest.created_by
        item = {
            "slug": digest.slug,
            "title": digest.title,
            "intro": digest.intro,
            "claims": [e.claim.review_key for e in digest.entries.all()],
            "published": digest.is_published,
            "reviewer": reviewer.get_username() if reviewer else None,
        }
        if digest.corrects_id:
            item["corrects"] = digest.corrects.slug
            item["correction_note"] = digest.correction_note
        digests.append(item)
    data = {"sources": sources, "claims": [_export_claim(c) for c in claims], "digests": digests}
    from claims.assistant.glossary import export_entries

    glossary = export_entries()
    if glossary:
        data["glossary"] = glossary
    return data


def dump(data):
    """The file's text: the header, then YAML that keeps Chinese readable."""
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def export_review(path):
    """Write the review in the database to `path`; returns the data written."""
    data = export_data()
    Path(path).write_text(dump(data), encoding="utf-8")
    return data
