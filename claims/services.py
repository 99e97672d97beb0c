"""The desk's rules, each in one function. Views, the admin, the API, commands and tests call
these; nothing else changes claims, evidence, verdicts or digests.

Errors are `ReviewError` subclasses with a message an editor can read, in the language active
when it is raised (the request's: the desk's pages in the editor's language, the API in English
unless the client asks for another); entry points map them to their own form (a form error, a
message, an HTTP status).
"""

import logging
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.utils import bulk_update_with_history

from claims import published, signals
from claims.access import EDITORS_GROUP, REVIEWERS_GROUP, is_editor, is_reviewer  # noqa: F401
from claims.models import CLAIMANT_KINDS as KIND_CHOICES
from claims.models import ORIGIN_FIELDS, Claim, Digest, DigestEntry, Evidence, Verdict
from sources import text as scripts

logger = logging.getLogger(__name__)


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


class NotWaiting(ReviewError):
    """The verdict is no longer waiting for review (approved, sent back or replaced): its
    state, not the input, forbids the action."""

    status_code = 409


class StaleEdit(ReviewError):
    """Someone saved the claim since this edit began; `current` is what they saved."""

    status_code = 409

    def __init__(self, current):
        super().__init__(
            _(
                "This claim was changed by someone else since you opened it (now version "
                "%(version)s). Your text was not saved; compare and save again."
            )
            % {"version": current.version},
            field="version",
        )
        self.current = current


# --- anchoring -------------------------------------------------------------------------------


def anchor_quote(article, quote, start=None):
    """Find `quote` in the article body and return `(start, end, exact_quote)`.

    An exact match is preferred; failing that, a match across scripts, regional vocabulary and
    full-width forms (sources.text.find_folded: the quote typed in Simplified as 激活, the
    article in Taiwan Traditional with 啟用). When the quote occurs more
    than once, `start` (if given) picks the nearest occurrence. Offsets are code points.
    """
    quote = (quote or "").strip()
    if not quote:
        raise QuoteNotFound(_("The quote is empty."), field="quote")
    body = article.body
    if start is not None and body[start : start + len(quote)] == quote:
        return start, start + len(quote), quote
    # Exact first; else across scripts, regional vocabulary (激活 finds 啟用) and the
    # glossary's names, in spans of the original body.
    scripts.refresh_aliases()
    spans = [(p, p + len(quote)) for p in _occurrences(body, quote)] or scripts.find_folded(
        body, quote
    )
    if not spans:
        raise QuoteNotFound(
            _("The quote “%(quote)s” is not in article #%(id)s (%(name)s).")
            % {"quote": quote[:60], "id": article.pk, "name": article.filename or article.title},
            field="quote",
        )
    found, end = min(spans, key=lambda s: abs(s[0] - start)) if start is not None else spans[0]
    return found, end, body[found:end]


def _occurrences(haystack, needle):
    positions, index = [], haystack.find(needle)
    while index != -1:
        positions.append(index)
        index = haystack.find(needle, index + 1)
    return positions


def _record_as(obj, actor):
    """Name `actor` as the author of the change in the row's history (django-simple-history
    reads `_history_user` when the row is saved)."""
    obj._history_user = actor
    return obj


# --- claims and evidence ---------------------------------------------------------------------
#
# Every change to what a claim says (its text, its evidence) makes a new claim version, and a
# verdict approved for an earlier version goes back to review: an approval is for the claim
# as the reviewer read it.


def _require_editor(actor):
    if not is_editor(actor):
        raise NotAllowed(_("Only editors can do this."))


def _locked_claim(claim):
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _new_version(claim, *, actor, caller_copy=None):
    """Bump a locked claim's version and put an approved verdict back in review. The
    caller's copy of the claim, if any, learns the new version (and text)."""
    claim.version += 1
    _save_claim(claim, actor=actor)
    _reopen_approval(claim, actor=actor)
    _sync(caller_copy, claim)
    return claim


def _save_claim(claim, *, actor):
    """Save a locked claim (its `updated_at` moves on). The first change to a published claim
    since the digest that published it is announced (`signals.correction_needed`): from now on
    it waits for a correction (claims.waiting.corrections)."""
    published_at = claim.published_at if claim.published_entry_id is not None else None
    was_current = published_at is not None and claim.updated_at <= published_at
    _record_as(claim, actor)
    claim.save()
    if was_current and claim.updated_at > published_at:
        _announce(signals.correction_needed, Claim, claim=claim, actor=actor)


def _sync(caller_copy, claim):
    if caller_copy is not None and caller_copy is not claim:
        caller_copy.version, caller_copy.text, caller_copy.gloss = (
            claim.version,
            claim.text,
            claim.gloss,
        )
        caller_copy.search_text, caller_copy.updated_at = claim.search_text, claim.updated_at
        for name in ORIGIN_FIELDS:
            setattr(caller_copy, name, getattr(claim, name))


def _reopen_approval(claim, *, actor):
    """The claim changed after its verdict was approved: that verdict waits for a second
    editor again (the approval stays in the verdict's history). If a newer proposal is already
    waiting, that proposal is the one to review and the old approval is superseded."""
    approved = (
        Verdict.objects.select_for_update()
        .filter(claim=claim, status=Verdict.Status.APPROVED)
        .first()
    )
    if approved is None:
        return
    waiting = Verdict.objects.filter(claim=claim, status=Verdict.Status.PROPOSED).exists()
    approved.status = Verdict.Status.SUPERSEDED if waiting else Verdict.Status.PROPOSED
    if not waiting:
        approved.reviewed_by, approved.reviewed_at, approved.review_comment = None, None, ""
    _record_as(approved, actor)
    approved.save()
    if not waiting:  # the approval waits for a second editor again
        _announce(
            signals.verdict_awaits_review, Verdict, verdict=approved, actor=actor, reopened=True
        )


# Who made a claim, when, and where it first appeared (what ClaimReview's itemReviewed says).
CLAIMANT_KINDS = dict(KIND_CHOICES)
CLAIMANT_MAX_LENGTH = 200  # Claim.claimant


def _set_origin(claim, changes):
    """Check and set the origin fields in `changes` on `claim`; True when one changed.

    The claimant is plain text of at most 200 characters; the date is not in the future; the
    first appearance is one of the claim's evidence articles (checked once the evidence is
    stored, by `_check_first_appearance`)."""
    changed = False
    for name, value in changes.items():
        if name == "claimant":
            value = (value or "").strip()
            if scripts.control_character_at(value) is not None:
                raise ReviewError(_control_character_message(value), field="claimant")
            limit = CLAIMANT_MAX_LENGTH
            if len(value) > limit:
                raise ReviewError(
                    _("The claimant is %(length)s characters long; the limit is %(limit)s.")
                    % {"length": len(value), "limit": limit},
                    field="claimant",
                )
        elif name == "claimant_kind":
            value = value or "organization"
            if value not in CLAIMANT_KINDS:
                raise ReviewError(
                    _("Unknown kind of claimant “%(kind)s”; choose one of %(kinds)s.")
                    % {"kind": value, "kinds": ", ".join(CLAIMANT_KINDS)},
                    field="claimant_kind",
                )
        elif name == "claimed_on":
            if value is not None and value > timezone.localdate():
                raise ReviewError(_("The claim cannot have been made in the future."), field=name)
        if getattr(claim, name) != value:
            setattr(claim, name, value)
            changed = True
    return changed


def _control_character_message(value):
    """The claimant's control character, as a whole sentence in the editor's language."""
    char, index = scripts.control_character_at(value)
    return _(
        "The claimant contains the control character %(char)s at position %(position)s; remove it."
    ) % {"char": char, "position": index + 1}


def _check_first_appearance(claim):
    article_id = claim.first_appearance_id
    if article_id is not None and not claim.evidence.filter(article_id=article_id).exists():
        raise ReviewError(
            _("The first appearance must be one of the articles the claim's evidence quotes."),
            field="first_appearance",
        )


def _forget_lost_first_appearance(claim):
    """The first appearance no evidence quotes any more is forgotten (readers are then told
    the earliest dated appearance)."""
    if (
        claim.first_appearance_id is not None
        and not claim.evidence.filter(article_id=claim.first_appearance_id).exists()
    ):
        claim.first_appearance = None


@transaction.atomic
def create_claim(
    *,
    actor,
    text,
    evidence=(),
    gloss="",
    claimant="",
    claimant_kind="organization",
    claimed_on=None,
    first_appearance=None,
):
    """A new claim with its evidence; all of it is stored or none of it.

    `evidence` is a list of dicts with the keyword arguments of `add_evidence`; the origin
    (who made the claim, when, where it first appeared) is optional.
    """
    _require_editor(actor)
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("The claim needs a text."), field="text")
    claim = Claim(text=text, gloss=gloss, created_by=actor)
    _set_origin(
        claim,
        {
            "claimant": claimant,
            "claimant_kind": claimant_kind,
            "claimed_on": claimed_on,
            "first_appearance": first_appearance,
        },
    )
    claim.save()
    for item in evidence:  # version 1 is the claim with its first evidence
        _store_evidence(claim, actor=actor, **item)
    _check_first_appearance(claim)
    return claim


def _anchored(evidence):
    """Find the evidence's quote in its article (or check it is a citation), then validate."""
    if evidence.stance not in Evidence.Stance.values:
        raise ReviewError(
            _("Unknown stance “%(stance)s”.") % {"stance": evidence.stance}, field="stance"
        )
    if evidence.article is not None:
        evidence.start, evidence.end, evidence.quote = anchor_quote(
            evidence.article, evidence.quote, evidence.start
        )
    elif evidence.url or evidence.citation_title:
        evidence.start = evidence.end = None
        evidence.quote = evidence.quote or ""
    else:
        raise ReviewError(
            _("Evidence needs an article quote or an outside citation."), field="article"
        )
    # The span-or-citation constraint holds by construction above (the database keeps it as
    # a backstop), and the related rows are ones the caller holds: field checks only (Django
    # would run a query per constraint and per foreign key, a few ms per piece of evidence).
    evidence.full_clean(
        exclude=["claim", "article", "cited_in", "added_by"], validate_constraints=False
    )
    return evidence


@transaction.atomic
def add_evidence(
    claim,
    *,
    actor,
    article=None,
    quote="",
    start=None,
    stance=Evidence.Stance.SUPPORTS,
    url="",
    citation_title="",
    publisher="",
    cited_on=None,
    cited_in=None,
    note="",
):
    """Anchor a claim to an article span (found by its quote) or to an outside citation."""
    _require_editor(actor)
    caller_copy, claim = claim, _locked_claim(claim)
    evidence = _store_evidence(
        claim,
        actor=actor,
        article=article,
        quote=quote,
        start=start,
        stance=stance,
        url=url,
        citation_title=citation_title,
        publisher=publisher,
        cited_on=cited_on,
        cited_in=cited_in,
        note=note,
    )
    _new_version(claim, actor=actor, caller_copy=caller_copy)
    return evidence


def _store_evidence(claim, *, actor, stance=Evidence.Stance.SUPPORTS, **fields):
    evidence = _anchored(Evidence(claim=claim, stance=stance, added_by=actor, **fields))
    _record_as(evidence, actor)
    evidence.save()
    return evidence


EVIDENCE_FIELDS = (
    "article",
    "quote",
    "start",
    "stance",
    "url",
    "citation_title",
    "publisher",
    "cited_on",
    "cited_in",
    "note",
)


@transaction.atomic
def update_evidence(evidence, *, actor, **changes):
    """Change a piece of evidence (re-anchoring its quote); the claim gets a new version."""
    _require_editor(actor)
    unknown = set(changes) - set(EVIDENCE_FIELDS)
    if unknown:
        raise ReviewError(
            _("Evidence has no field %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    claim = _locked_claim(evidence.claim)
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    caller_copy = evidence.claim
    if "quote" in changes or "article" in changes:
        current.end = None
        current.start = changes.get("start")
    for name, value in changes.items():
        setattr(current, name, value)
    _anchored(current)
    _record_as(current, actor)
    current.save()
    _forget_lost_first_appearance(claim)
    _new_version(claim, actor=actor, caller_copy=caller_copy)
    return current


@transaction.atomic
def remove_evidence(evidence, *, actor):
    """Take a piece of evidence off its claim; the claim gets a new version."""
    _require_editor(actor)
    claim = _locked_claim(evidence.claim)
    current = Evidence.objects.get(pk=evidence.pk)
    _record_as(current, actor)
    current.delete()
    _forget_lost_first_appearance(claim)
    _new_version(claim, actor=actor, caller_copy=evidence.claim)


@transaction.atomic
def update_claim(claim, *, actor, version, text=None, gloss=None, **origin):
    """Save an edit made against `version`; refuse it if the claim has moved on since.

    A new text or origin (`claimant`, `claimant_kind`, `claimed_on`, `first_appearance`: what
    readers are told of who made the claim and when) puts an approved verdict back in review;
    a new English gloss does not (readers are told what the claim says, not what it is called
    in English).
    """
    _require_editor(actor)
    unknown = set(origin) - set(ORIGIN_FIELDS)
    if unknown:
        raise ReviewError(
            _("A claim has no field %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    current = _locked_claim(claim)
    if int(version) != current.version:
        raise StaleEdit(current)
    text_changed = False
    if text is not None:
        text = text.strip()
        if not text:
            raise ReviewError(_("The claim needs a text."), field="text")
        text_changed = text != current.text
        current.text = text
    if gloss is not None:
        current.gloss = gloss
    if _set_origin(current, origin):
        _check_first_appearance(current)
        text_changed = True
    if text_changed:
        return _new_version(current, actor=actor, caller_copy=claim)
    current.version += 1
    _save_claim(current, actor=actor)
    _sync(claim, current)
    return current


# --- verdicts --------------------------------------------------------------------------------


@transaction.atomic
def propose_verdict(claim, *, actor, rating, rationale):
    """A new proposal; it supersedes the claim's earlier pending proposals."""
    _require_editor(actor)
    if rating not in Verdict.Rating.values:
        raise ReviewError(
            _("Unknown rating “%(rating)s”; use one of %(ratings)s.")
            % {"rating": rating, "ratings": ", ".join(Verdict.Rating.values)},
            field="rating",
        )
    rationale = (rationale or "").strip()
    if not rationale:
        raise ReviewError(_("A verdict needs a rationale."), field="rationale")
    # Not claim.verdicts: a caller's prefetch (with its outer joins) would reach FOR UPDATE,
    # which PostgreSQL refuses.
    for pending in Verdict.objects.select_for_update().filter(
        claim=claim, status=Verdict.Status.PROPOSED
    ):
        pending.status = Verdict.Status.SUPERSEDED
        _record_as(pending, actor)
        pending.save(update_fields=["status"])
    verdict = Verdict.objects.create(
        claim=claim, rating=rating, rationale=rationale, proposed_by=actor
    )
    _announce(signals.verdict_awaits_review, Verdict, verdict=verdict, actor=actor, reopened=False)
    return verdict


def check_reviewable(verdict, *, actor):
    """The four-eyes rule: a reviewer, not the proposer, on a verdict still proposed."""
    if not is_reviewer(actor):
        raise NotAllowed(_("Only reviewers approve or send back verdicts."))
    if verdict.proposed_by_id == actor.pk:
        raise NotAllowed(_("Nobody approves their own verdict: a second editor must review it."))
    if verdict.status != Verdict.Status.PROPOSED:
        raise NotWaiting(_not_waiting(verdict.status))


def _not_waiting(status):
    """Why a verdict in `status` cannot be reviewed, as a whole sentence."""
    if status == Verdict.Status.APPROVED:
        return _("This verdict is already approved, not waiting for review.")
    if status == Verdict.Status.SENT_BACK:
        return _("This verdict was sent back, not waiting for review.")
    return _("This verdict was replaced by a newer one, not waiting for review.")


def can_approve(verdict, *, actor):
    """Whether `actor` may approve or send back `verdict` now."""
    try:
        check_reviewable(verdict, actor=actor)
    except ReviewError:
        return False
    return True


class StaleApproval(ReviewError):
    """The claim changed after the reviewer read it: they must read it again."""

    status_code = 409

    def __init__(self, claim):
        super().__init__(
            _(
                "The claim changed since you read it (now version %(version)s): read it again "
                "before you approve."
            )
            % {"version": claim.version},
            field="claim_version",
        )
        self.current = claim


def _record_review(verdict, *, actor, status, comment):
    verdict.status = status
    verdict.reviewed_by = actor
    verdict.reviewed_at = timezone.now()
    verdict.review_comment = comment
    _record_as(verdict, actor)
    verdict.save()
    return verdict


@transaction.atomic
def approve_verdict(verdict, *, actor, claim_version, comment=""):
    """A reviewer other than the proposer puts the verdict in force, for the claim version
    they read (`claim_version`); a claim changed since is a `StaleApproval`."""
    claim = _locked_claim(verdict.claim)
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    check_reviewable(verdict, actor=actor)
    try:
        read = int(claim_version)
    except (TypeError, ValueError):
        raise ReviewError(
            _("Say which claim version you read (claim_version)."), field="claim_version"
        ) from None
    if read != claim.version:
        raise StaleApproval(claim)
    Verdict.objects.filter(claim_id=verdict.claim_id, status=Verdict.Status.APPROVED).update(
        status=Verdict.Status.SUPERSEDED
    )
    return _record_review(verdict, actor=actor, status=Verdict.Status.APPROVED, comment=comment)


@transaction.atomic
def send_back_verdict(verdict, *, actor, comment):
    verdict = Verdict.objects.select_for_update().get(pk=verdict.pk)
    check_reviewable(verdict, actor=actor)
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_("Say why the verdict is sent back."), field="comment")
    _record_review(verdict, actor=actor, status=Verdict.Status.SENT_BACK, comment=comment)
    _announce(signals.verdict_sent_back, Verdict, verdict=verdict, actor=actor)
    return verdict


# --- digests ---------------------------------------------------------------------------------


def _require_reviewer(actor, message=None):
    """`message`: why a non-reviewer is refused (translated), by default that they compose
    no digests."""
    if not is_reviewer(actor):
        raise NotAllowed(message or _("Only reviewers compose digests."))


def _unique_slug(base):
    base = slugify(base, allow_unicode=True)[:180] or "digest"
    slug, n = base, 2
    while Digest.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _title(title):
    title = (title or "").strip()
    if not title:
        raise ReviewError(_("The digest needs a title."), field="title")
    return title


@transaction.atomic
def create_digest(*, actor, title, claims=(), intro="", slug=""):
    """A draft digest with `claims` in the given order."""
    _require_reviewer(actor)
    title = _title(title)
    digest = Digest.objects.create(
        title=title, intro=intro or "", slug=slug or _unique_slug(title), created_by=actor
    )
    set_digest_claims(digest, actor=actor, claims=claims)
    return digest


def claims_without_approved_verdict(claims):
    """The claims among `claims` that have no verdict in force, in their order. Reads the
    verdicts afresh, so a caller's stale prefetch cannot let a claim through."""
    ids = [c.pk for c in claims]
    approved = set(
        Verdict.objects.filter(claim_id__in=ids, status=Verdict.Status.APPROVED).values_list(
            "claim_id", flat=True
        )
    )
    return [c for c in claims if c.pk not in approved]


def require_approved_verdicts(claims):
    """Only claims with a verdict in force (approved by a second editor) go into a digest.

    The one home of this rule: drafts (created, edited, corrections, bulk additions) and
    publication check it here.
    """
    missing = claims_without_approved_verdict(claims)
    if missing:
        listed = pgettext("list separator", "; ").join(f"#{c.pk} {c.text[:30]}" for c in missing)
        raise ReviewError(
            _("These claims have no approved verdict yet: %(claims)s") % {"claims": listed},
            field="claims",
        )


@transaction.atomic
def update_draft_digest(digest, *, actor, title, intro, claims):
    """Change a draft's title, introduction and claims (in order); a published one is frozen."""
    _require_reviewer(actor)
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.is_published:
        raise ReviewError(_("A published digest cannot be changed; publish a correction."))
    digest.title, digest.intro = _title(title), intro or ""
    digest.save()
    set_digest_claims(digest, actor=actor, claims=claims)
    return digest


@transaction.atomic
def set_digest_claims(digest, *, actor, claims):
    """Replace a draft digest's claims, in order; each must have an approved verdict."""
    _require_reviewer(actor)
    if digest.is_published:
        raise ReviewError(_("A published digest cannot be changed; publish a correction."))
    claims = list(claims)
    if len({c.pk for c in claims}) != len(claims):
        raise ReviewError(_("A claim appears in the digest more than once."), field="claims")
    require_approved_verdicts(claims)
    digest.entries.all().delete()
    DigestEntry.objects.bulk_create(
        DigestEntry(digest=digest, claim=claim, position=i) for i, claim in enumerate(claims)
    )


@transaction.atomic
def publish_digest(digest, *, actor):
    """Freeze every entry and publish. Every claim must have an approved verdict.

    Publications are serialised on the rows of the claims they hold (locked in id order, so
    two publications never wait on each other in a cycle), and the publication time is read
    after the locks: a claim always points at its newest published entry.
    """
    if not actor.has_perm("claims.publish_digest"):
        raise NotAllowed(_("Only reviewers publish digests."))
    digest = Digest.objects.select_for_update().get(pk=digest.pk)
    if digest.is_published:
        raise ReviewError(_("This digest is already published."))
    claim_ids = list(digest.entries.order_by("claim_id").values_list("claim_id", flat=True))
    if not claim_ids:
        raise ReviewError(_("A digest needs at least one claim."))
    list(
        Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk")
    )
    entries = list(published.freezable_entries(digest))
    require_approved_verdicts([e.claim for e in entries])
    first = published.first_publications(claim_ids)
    for entry in entries:
        published.freeze_entry(entry, first_published_at=first.get(entry.claim_id))
    DigestEntry.objects.bulk_update(entries, published.FROZEN_FIELDS)
    cites = DigestEntry.articles.through
    cites.objects.filter(digestentry__in=entries).delete()
    cites.objects.bulk_create(
        cites(digestentry_id=entry.pk, article_id=article_id)
        for entry in entries
        for article_id in {e["article"]["id"] for e in entry.snapshot["evidence"] if e["article"]}
    )
    digest.published_at = timezone.now()
    digest.published_by = actor
    digest.save()
    for entry in entries:
        entry.claim.published_entry = entry
        entry.claim.published_at = digest.published_at
    Claim.objects.bulk_update([e.claim for e in entries], ["published_entry", "published_at"])
    # Listeners (webhooks) hear of it once the publication is committed, never before and
    # never for one rolled back; a listener that fails does not undo it (send_robust).
    # Every public page follows the publication stamp: forgotten now (this process) and
    # again once committed (a reader may have read the old one meanwhile).
    published.forget_publication_stamp()
    transaction.on_commit(published.forget_publication_stamp)
    transaction.on_commit(lambda: _announce(signals.digest_published, Digest, digest=digest))
    return digest


def _announce(signal, sender, **arguments):
    """Tell `signal`'s listeners (claims.signals: webhooks, email notices) now. A listener
    that fails is logged; it neither undoes the write nor stops the other listeners."""
    for receiver, error in signal.send_robust(sender=sender, **arguments):
        if isinstance(error, Exception):
            logger.error(
                "A listener of a desk signal failed: %r",
                receiver,
                exc_info=(type(error), error, error.__traceback__),
            )


@transaction.atomic
def start_correction(digest, *, actor, note, title=None):
    """A draft that corrects a published digest: the same claims, a new version."""
    _require_reviewer(actor, _("Only reviewers publish corrections."))
    if not digest.is_published:
        raise ReviewError(_("Only a published digest can be corrected; edit the draft instead."))
    if Digest.objects.filter(corrects=digest).exists():
        raise ReviewError(_("This version already has a correction; correct the newest version."))
    note = (note or "").strip()
    if not note:
        raise ReviewError(
            _("A correction needs a note saying what was corrected."), field="correction_note"
        )
    base = digest.slug.rsplit("-v", 1)[0] if digest.version > 1 else digest.slug
    correction = Digest.objects.create(
        title=title or digest.title,
        intro=digest.intro,
        version=digest.version + 1,
        corrects=digest,
        correction_note=note,
        slug=_unique_slug(f"{base}-v{digest.version + 1}"),
        created_by=actor,
    )
    claims = [e.claim for e in digest.entries.select_related("claim")]
    set_digest_claims(correction, actor=actor, claims=claims)
    return correction


# --- assignment and bulk work (the queue's bulk actions) -------------------------------------


class Refusal(NamedTuple):
    """A claim that a bulk action left out, and why: `code` for the pages to word in their
    language (`no_approved_verdict`, `already_in_digest`), `message` in the language active
    when the action ran (the API's: English unless the client asks for another)."""

    claim: Claim
    code: str
    message: str


def can_be_assigned(user):
    """Only the desk's editors and reviewers (active accounts) look after claims."""
    return is_editor(user)


# A claim's history records who it was given to as the change's reason: the history compares
# only the fields its forms edit, and the assignee is not one. Stored in one language for
# every reader (the desk's history of earlier versions holds the same words), and read in
# each reader's by `assignment_shown`.
ASSIGNED_TO = "assigned to "
UNASSIGNED = "unassigned"


def assignment_reason(assignee):
    return f"{ASSIGNED_TO}{assignee.get_username()}" if assignee is not None else UNASSIGNED


def assignment_shown(reason):
    """A change reason of a claim's history in the reader's words: an assignment's translated,
    any other as written, none as nothing."""
    if reason == UNASSIGNED:
        return _("no longer assigned to anyone")
    if reason and reason.startswith(ASSIGNED_TO):
        return _("assigned to %(user)s") % {"user": reason.removeprefix(ASSIGNED_TO)}
    return reason or ""


@transaction.atomic
def assign_claims(claims, *, actor, assignee):
    """Give `claims` to `assignee` (an editor or reviewer; None: to nobody), all of them or,
    when the assignee is refused, none. Returns (changed, unchanged): the claims that changed
    hands and those that were the assignee's already.

    Who looks after a claim is not what it says: no new version, its approval stands, and
    `updated_at` stays (a published claim does not need a correction for it). The claims'
    history records who assigned them."""
    _require_editor(actor)
    if assignee is not None and not can_be_assigned(assignee):
        raise ReviewError(
            _(
                "%(user)s is not an editor or reviewer of the desk: only they can be assigned "
                "claims."
            )
            % {"user": assignee.get_username()},
            field="assignee",
        )
    target = assignee.pk if assignee is not None else None
    ids = sorted({c.pk for c in claims})
    changed, unchanged = [], []
    for claim in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        if claim.assignee_id == target:
            unchanged.append(claim)
        else:
            claim.assignee = assignee
            changed.append(claim)
    if changed:
        bulk_update_with_history(
            changed,
            Claim,
            ["assignee"],
            default_user=actor,
            default_change_reason=assignment_reason(assignee),
        )
    return changed, unchanged


@transaction.atomic
def add_claims_to_digest(digest, *, actor, claims, title=""):
    """Append `claims` to a draft digest, after its entries, in the order given; with `digest`
    None, to a new draft titled `title` (made only when a claim goes in).

    A claim without an approved verdict (`claims_without_approved_verdict`: the rule every
    draft keeps) or already in the draft is left out, with the reason; the others go in.
    Returns (the digest or None, the claims added, [Refusal])."""
    _require_reviewer(actor)
    if digest is None:
        title = _title(title)
    else:
        digest = Digest.objects.select_for_update().get(pk=digest.pk)
        if digest.is_published:
            raise ReviewError(_("A published digest cannot be changed; publish a correction."))
    claims = list({c.pk: c for c in claims}.values())
    unapproved = {c.pk for c in claims_without_approved_verdict(claims)}
    present = set(digest.entries.values_list("claim_id", flat=True)) if digest else set()
    added, refused = [], []
    for claim in claims:
        if claim.pk in unapproved:
            refused.append(
                Refusal(claim, "no_approved_verdict", _("The claim has no approved verdict yet."))
            )
        elif claim.pk in present:
            refused.append(Refusal(claim, "already_in_digest", _("The claim is in the draft.")))
        else:
            added.append(claim)
    if not added:
        return digest, added, refused
    if digest is None:
        digest = Digest.objects.create(title=title, slug=_unique_slug(title), created_by=actor)
    last = digest.entries.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    DigestEntry.objects.bulk_create(
        DigestEntry(digest=digest, claim=claim, position=start + i) for i, claim in enumerate(added)
    )
    return digest, added, refused
