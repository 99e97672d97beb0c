"""What waits for whom: the signed-in editor's "Waiting for me" (待我处理) page and its count in
the navigation.

Three lists, each one query for its rows and one (capped, claims.paging) for its count:

- `review`: proposed verdicts of others, for reviewers (`services.can_approve`: a reviewer,
  never the proposer, on a verdict still proposed);
- `sent_back`: the editor's own verdicts sent back, not superseded by a newer verdict on the
  same claim, newest first;
- `corrections`: published claims changed since their digest was published, for reviewers.

The counts are computed once per request (`counts`): the page stores the ones it made, and the
navigation (`review_nav`, a context processor) reads them, or counts itself (at most three
queries) only when a review page's template shows the count.
"""

import dataclasses
from functools import cached_property

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from claims.access import is_editor, is_reviewer
from claims.models import Claim, Verdict
from claims.paging import capped_count, paginate
from claims.selectors import Section

LIMIT = 50  # rows per page of a section
SECTIONS = ("review", "sent_back", "corrections")
TITLES = {
    "review": _("Verdicts waiting for my review"),
    "sent_back": _("My verdicts sent back"),
    "corrections": _("Published claims changed since, which need a correction"),
}
_CACHE = "_waiting_counts"  # the request attribute holding {key: (count, capped)}
NAV_CAP = 99  # the navigation counts this many of each list at most


def to_review(user):
    """Proposals by others that `user` may approve or send back (none unless a reviewer)."""
    if not is_reviewer(user):
        return Verdict.objects.none()
    return (
        Verdict.objects.filter(status=Verdict.Status.PROPOSED)
        .exclude(proposed_by_id=user.pk)
        .select_related("claim", "proposed_by")
        .order_by("proposed_at", "id")
    )


def sent_back(user):
    """`user`'s verdicts sent back, unless a newer verdict on the claim has followed."""
    newer = Verdict.objects.filter(claim_id=OuterRef("claim_id"), pk__gt=OuterRef("pk"))
    return (
        Verdict.objects.filter(status=Verdict.Status.SENT_BACK, proposed_by_id=user.pk)
        .exclude(Exists(newer))
        .select_related("claim", "reviewed_by")
        .order_by("-reviewed_at", "-id")
    )


def corrections(user):
    """Published claims edited after their digest was published (reviewers only)."""
    if not is_reviewer(user):
        return Claim.objects.none()
    return (
        # Claim.published_at is its published entry's digest's: the partial index
        # claim_changed_since_published holds exactly these rows.
        Claim.objects.filter(published_entry__isnull=False, updated_at__gt=F("published_at"))
        .select_related("published_entry__digest")
        .order_by("-updated_at", "-id")  # the order of the partial index: a count reads it
    )


LISTS = {"review": to_review, "sent_back": sent_back, "corrections": corrections}


def visible_sections(user):
    """The section keys `user` has: editors who are not reviewers review nothing."""
    return SECTIONS if is_reviewer(user) else ("sent_back",)


def sections(request, pages=None):
    """The page's sections for the signed-in user, each a page of at most LIMIT rows with
    its (capped) count; the counts are kept on the request for the navigation."""
    user = request.user
    found, counts = [], {}
    for key in visible_sections(user):
        page = paginate(
            LISTS[key](user),
            (pages or {}).get(key, 1),
            LIMIT,
            query=request.GET,
            param=f"{key}_page",
            anchor=f"#{key}",
        )
        counts[key] = (page.count, page.capped)
        found.append(Section(key, TITLES[key], page.count, page.items, page))
    setattr(request, _CACHE, counts)
    return found


def counts(request):
    """{key: (count, capped)} for the signed-in user: at most one query per section, once per
    request."""
    cached = getattr(request, _CACHE, None)
    if cached is None:
        user = request.user
        # The navigation says "99+" beyond: one small count per section on every engine.
        cached = {
            key: capped_count(LISTS[key](user), cap=NAV_CAP, estimate=False, keep_order=True)
            for key in visible_sections(user)
        }
        setattr(request, _CACHE, cached)
    return cached


@dataclasses.dataclass
class NavCount:
    """The navigation's "Waiting for me (N)": counted only when a template reads it."""

    request: object

    @cached_property
    def _total(self):
        found = counts(self.request).values()
        return sum(n for n, _capped in found), any(capped for _n, capped in found)

    @property
    def count(self):
        return self._total[0]

    @property
    def capped(self):
        return self._total[1]


def review_nav(request):
    """Context processor: `waiting_nav` on the review pages, for signed-in editors only (the
    public pages, the login page and anonymous visitors never count anything)."""
    if not request.path_info.startswith("/review/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not is_editor(user):
        return {}
    return {"waiting_nav": NavCount(request)}
