"""The desk's rules, each in one function. Views, the admin, the API, commands and tests call
these; nothing else changes claims, evidence, verdicts or digests.

Errors are `ReviewError` subclasses with a message an editor can read; entry points map them
to their own form (a form error, a message, an HTTP status).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.published import freeze_claim
from sources import text as scripts

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"


class ReviewError(Exception):
    """A rule of the desk refused the action. `field` names the input at fault, if any."""

    status_code = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ReviewError):
    status_code = 403


class QuoteNotFound(ReviewError):
    pass


class StaleEdit(ReviewError):
    """Someone saved the claim since this edit began; `current` is what they saved."""

    status_code = 409

    def __init__(self, current):
        super().__init__(
            f"This claim was changed by someone else since you opened it (now version "
            f"{current.version}). Your text was not saved; compare and save again.",
            field="version",
        )
        self.current = current


# --- who may do what -------------------------------------------------------------------------


def is_editor(user):
    return bool(
        user and user.is_authenticated and user.is_active
        and (user.is_superuser or user.has_perm("claims.add_claim"))
    )


def is_reviewer(user):
    return bool(
        user and user.is_authenticated and user.is_active
        and user.has_perm("claims.approve_verdict")
    )


def can_approve(user, verdict):
    """The four-eyes rule: a reviewer, not the proposer, on a verdict still proposed."""
    return (
        is_reviewer(user)
        and verdict.proposed_by_id != user.pk
        and verdict.status == Verdict.Status.PROPOSED
    )


def _require_editor(user):
    if not is_editor(user):
        raise NotAllowed("Only editors can do this.")


# --- anchoring -------------------------------------------------------------------------------


def anchor_quote(article, quote, start=None):
    """Find `quote` in the article body and return `(start, end, exact_quote)`.

    An exact match is preferred; failing that, a match across scripts and full-width forms
    (the quote typed in Simplified, the article in Traditional). When the quote occurs more
    than once, `start` (if given) picks the nearest occurrence. Offsets are code points.
    """
    quote = (quote or "").strip()
    if not quote:
        raise QuoteNotFound("The quote is empty.", field="quote")
    body = article.body
    if start is not None and body[start:start + len(quote)] == quote:
        return start, start + len(quote), quote
    positions = _occurrences(body, quote) or _occurrences(
        scripts.fold_chars(body), scripts.fold_chars(quote)
    )
    if not positions:
        raise QuoteNotFound(
            f"The quote “{quote[:60]}” is not in article #{article.pk} "
            f"({article.filename or article.title}).",
            field="quote",
        )
    found = min(positions, key=lambda p: abs(p - start)) if start is not None else positions[0]
    end = found + len(quote)
    return found, end, body[found:end]


def _occurrences(haystack, needle):
    positions, index = [], haystack.find(needle)
    while index != -1:
        positions.append(index)
        index = haystack.find(needle, index + 1)
    return positions


# --- claims and evidence ---------------------------------------------------------------------


@transaction.atomic
def create_claim(user, text, evidence=(), gloss=""):
    """A new claim with its evidence; all of it is stored or none of it.

    `evidence` is a list of dicts with the keyword arguments of `add_evidence`.
    """
    _require_editor(user)
    text = (text or "").strip()
    if not text:
        raise ReviewError("The claim needs a text.", field="text")
    claim = Claim.objects.create(text=text, gloss=gloss, created_by=user)
    for item in evidence:
        add_evidence(claim, user, **item)
    return claim


@transaction.atomic
def add_evidence(
    claim, user, article=None, quote="", start=None, stance=Evidence.Stance.SUPPORTS,
    url="", citation_title="", publisher="", cited_on=None, cited_in=None, note="",
):
    """Anchor a claim to an article span (found by its quote) or to an outside citation."""
    _require_editor(user)
    if stance not in Evidence.Stance.values:
        raise ReviewError(f"Unknown stance “{stance}”.", field="stance")
    if article is not None:
        start, end, quote = anchor_quote(article, quote, start)
    elif url or citation_title:
        start = end = None
        quote = quote or ""
    else:
        raise ReviewError("Evidence needs an article quote or an outside citation.", field="article")
    evidence = Evidence(
        claim=claim, article=article, start=start, end=end, quote=quote, stance=stance,
        url=url, citation_title=citation_title, publisher=publisher, cited_on=cited_on,
        cited_in=cited_in, note=note, added_by=user,
    )
    evidence.full_clean(exclude=["claim"])
    evidence.save()
    return evidence


@transaction.atomic
def update_claim(claim, user, version, text=None, gloss=None):
    """Save an edit made against `version`; refuse it if the claim has moved on since."""
    _require_editor(user)
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if int(version) != current.version:
        raise StaleEdit(current)
    if text is not None:
        text = text.strip()
        if not text:
            raise ReviewError("The claim needs a text.", field="text")
        current.text = text
    if gloss is not None:
        current.gloss = gloss
    current.version += 1
    current._history_user = user
    current.save()
    return current


# --- verdicts --------------------------------------------------------------------------------


@transaction.atomic
def propose_verdict(claim, user, rating, rationale):
    """A new proposal; it supersedes the claim's earlier pending proposals."""
    _require_editor(user)
    if rating not in Verdict.Rating.values:
        raise ReviewError(
            f"Unknown rating “{rating}”; use one of {', '.join(Verdict.Rating.values)}.",
            field="rating",
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise ReviewError("A verdict needs a rationale.", field="rationale")
    # Not claim.verdicts: a caller's prefetch (with its outer joins) would reach FOR UPDATE,
    # which PostgreSQL refuses.
    for pending in Verdict.objects.select_for_update().filter(
        claim=claim, status=Verdict.Status.PROPOSED
    ):
        pending.status = Verdict.Status.SUPERSEDED
        pending.save(update_fields=["status"])
    return Verdict.objects.create(claim=claim, rating=rating, rationale=rationale, proposed_by=user)


def _check_reviewable(verdict, user):
    if not is_reviewer(user):
        raise NotAllowed("Only reviewers approve or send back verdicts.")
    if verdict.proposed_by_id == user.pk:
        raise NotAllowed("Nobody approves their own verdict: a second editor must review it.")
    if verdict.status != Verdict.Status.PROPOSED:
        raise ReviewError(f"This verdict is {verdict.get_status_display()}, not waiting for review.")


def _record_review(verdict, user, status, comment):
    verdict.status = status
    verdict.reviewed_by = user
    verdict.reviewed_at = timezone.now()
    verdict.review_comment = comment
    verdict._history_user = user
    verdict.save()
    return verdict


@transaction.atomic
def approve_verdict(verdict, user, comment=""):
    """The four-eyes rule: a reviewer other than the proposer puts the verdict in force."""
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    _check_reviewable(verdict, user)
    Verdict.objects.filter(claim_id=verdict.claim_id, status=Verdict.Status.APPROVED).update(
        status=Verdict.Status.SUPERSEDED
    )
    return _record_review(verdict, user, Verdict.Status.APPROVED, comment)


@transaction.atomic
def send_back_verdict(verdict, user, comment):
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    _check_reviewable(verdict, user)
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("Say why the verdict is sent back.", field="comment")
    return _record_review(verdict, user, Verdict.Status.SENT_BACK, comment)


# --- digests ---------------------------------------------------------------------------------


def _unique_slug(base):
    base = slugify(base, allow_unicode=True)[:180] or "digest"
    slug, n = base, 2
    while Digest.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_digest(user, title, claims=(), intro="", slug=""):
    """A draft digest with `claims` in the given order."""
    if not is_reviewer(user):
        raise NotAllowed("Only reviewers compose digests.")
    title = (title or "").strip()
    if not title:
        raise ReviewError("The digest needs a title.", field="title")
    digest = Digest.objects.create(
        title=title, intro=intro, slug=slug or _unique_slug(title), created_by=user
    )
    set_digest_claims(digest, claims)
    return digest


def require_approved_verdicts(claims):
    """Only claims with a verdict in force (approved by a second editor) go into a digest."""
    missing = [c for c in claims if c.approved_verdict is None]
    if missing:
        raise ReviewError(
            "These claims have no approved verdict yet: "
            + "; ".join(f"#{c.pk} {c.text[:30]}" for c in missing),
            field="claims",
        )


@transaction.atomic
def update_draft_digest(digest, user, title, intro, claims):
    """Change a draft's title, introduction and claims (in order); a published one is frozen."""
    if not is_reviewer(user):
        raise NotAllowed("Only reviewers compose digests.")
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.is_published:
        raise ReviewError("A published digest cannot be changed; publish a correction.")
    title = (title or "").strip()
    if not title:
        raise ReviewError("The digest needs a title.", field="title")
    require_approved_verdicts(claims)
    digest.title, digest.intro = title, intro or ""
    digest.save()
    set_digest_claims(digest, claims)
    return digest


@transaction.atomic
def set_digest_claims(digest, claims):
    """Replace a draft digest's claims, in order."""
    if digest.is_published:
        raise ReviewError("A published digest cannot be changed; publish a correction.")
    digest.entries.all().delete()
    DigestEntry.objects.bulk_create(
        DigestEntry(digest=digest, claim=claim, position=i) for i, claim in enumerate(claims)
    )


@transaction.atomic
def publish_digest(digest, user):
    """Freeze every entry and publish. Every claim must have an approved verdict."""
    if not user.has_perm("claims.publish_digest"):
        raise NotAllowed("Only reviewers publish digests.")
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.is_published:
        raise ReviewError("This digest is already published.")
    entries = list(
        digest.entries.select_related("claim").prefetch_related(
            "claim__verdicts__proposed_by", "claim__verdicts__reviewed_by"
        )
    )
    if not entries:
        raise ReviewError("A digest needs at least one claim.")
    require_approved_verdicts([e.claim for e in entries])
    for entry in entries:
        verdict = entry.claim.approved_verdict
        entry.verdict = verdict
        entry.rating = verdict.rating
        entry.text = entry.claim.text
        entry.search_text = entry.claim.search_text
        entry.snapshot = freeze_claim(entry.claim, verdict)
        entry.save()
        entry.articles.set({e["article"]["id"] for e in entry.snapshot["evidence"] if e["article"]})
    digest.published_at = timezone.now()
    digest.published_by = user
    digest.save()
    for entry in entries:
        Claim.objects.filter(pk=entry.claim_id).update(published_entry=entry)
    return digest


@transaction.atomic
def start_correction(digest, user, note, title=None):
    """A draft that corrects a published digest: the same claims, a new version."""
    if not is_reviewer(user):
        raise NotAllowed("Only reviewers publish corrections.")
    if not digest.is_published:
        raise ReviewError("Only a published digest can be corrected; edit the draft instead.")
    if Digest.objects.filter(corrects=digest).exists():
        raise ReviewError("This version already has a correction; correct the newest version.")
    note = (note or "").strip()
    if not note:
        raise ReviewError("A correction needs a note saying what was corrected.", field="correction_note")
    base = digest.slug.rsplit("-v", 1)[0] if digest.version > 1 else digest.slug
    correction = Digest.objects.create(
        title=title or digest.title, intro=digest.intro, version=digest.version + 1,
        corrects=digest, correction_note=note, slug=_unique_slug(f"{base}-v{digest.version + 1}"),
        created_by=user,
    )
    set_digest_claims(correction, [e.claim for e in digest.entries.select_related("claim")])
    return correction
