"""The desk's search, `/review/search/?q=` (editors only): one query over every claim (any
status, published included), every article and every digest, in either script.

Claims and articles are found by claims.search on their folded `search_text` (the gram index
on PostgreSQL), the claims through the desk export's filters (claims.claim_export
.filtered_claims: `q`, `source`, `rating`, `status`). Digests have no folded column: their
title, introduction and correction note are matched against the query as typed and in each
script (`digest_condition`), in the database; digests are few (one for every fifty claims).

Filters: `status` (of a claim's review), `rating` (its verdict in force, else the one
proposed), `source` (an outlet: claims with evidence from it, its articles, digests holding
such claims), `date_from` / `date_to` (inclusive, desk time: when a claim was added, when an
article was published, when a digest was published or, for a draft, created) and `editor` (who
made the claim). Status, rating and editor are about claims: with any of them, articles and
digests are left out, and the page says so.

Results are grouped by kind, each kind paged on its own (`?claims_page=`, `?articles_page=`,
`?digests_page=`) with a capped count (claims.paging): the page costs the same number of
queries whatever the number of matches.
"""

import dataclasses

from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from claims import claim_export
from claims.access import desk_members, editor_required
from claims.days import day_range
from claims.forms import RATING_CHOICES, ExportFilterForm
from claims.models import Digest, DigestEntry, Evidence, Verdict
from claims.paging import BadPage, page_number, paginate
from claims.published import with_claim_counts
from claims.search import MAX_TERMS, search, snippet
from sources import text as scripts
from sources.models import Article, Source

PAGE_SIZE = 20  # rows per page of each kind
MAX_LENGTH = 200  # characters of `q`
KINDS = {"claims": _("Claims"), "articles": _("Articles"), "digests": _("Digests")}
# Filters that only claims have: with any of them, the other kinds are left out.
CLAIM_ONLY = {"status": _("status"), "rating": _("verdict"), "editor": _("editor")}
STATUS_CHOICES = ExportFilterForm.base_fields["status"].choices


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_LENGTH,
        error_messages={
            "max_length": _(
                "This search is too long: type at most %(limit_value)s characters, a few words "
                "are enough."
            )
        },
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Simplified or Traditional")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + list(KINDS.items())
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    rating = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("All"))] + RATING_CHOICES
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        required=False,
        empty_label=_("All sources"),
    )
    date_from = forms.DateField(
        label=_("Date from"),
        required=False,
        error_messages={"invalid": _("Enter a valid date, such as 2025-10-22.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Date to"),
        required=False,
        error_messages={"invalid": _("Enter a valid date, such as 2025-10-22.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    editor = forms.ModelChoiceField(
        label=_("Editor (who made the claim)"),
        queryset=desk_members(active_only=False),
        to_field_name="username",
        required=False,
        empty_label=_("All editors"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


# --- what each kind finds ----------------------------------------------------------------------


def _shown_claims(claims):
    """Claims with what a result row shows: the verdict in force or proposed, the maker, the
    digest that published it (subqueries and joins computed for the rows of the page only)."""
    in_force = Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.APPROVED)
    proposed = Verdict.objects.filter(
        claim=OuterRef("pk"), status=Verdict.Status.PROPOSED
    ).order_by("-proposed_at", "-id")
    return (
        claims.annotate(
            approved_rating=Subquery(in_force.values("rating")[:1]),
            proposed_rating=Subquery(proposed.values("rating")[:1]),
        )
        .select_related("created_by", "published_entry__digest")
        .defer(
            "search_text",
            "published_entry__snapshot",
            "published_entry__text",
            "published_entry__search_text",
            "published_entry__digest__intro",
            "published_entry__digest__correction_note",
        )
        .order_by("-id")
    )


def find_claims(q, status="", rating="", source=None, date_from=None, date_to=None, editor=None):
    claims = claim_export.filtered_claims(q=q, source=source, rating=rating, status=status)
    claims = claims.filter(day_range("created_at", date_from, date_to))
    if editor:
        claims = claims.filter(created_by=editor)
    return _shown_claims(claims)


def find_articles(q, source=None, date_from=None, date_to=None, **_claim_only):
    articles = search(Article.objects.all(), q)
    if source:
        articles = articles.filter(source=source)
    if date_from:
        articles = articles.filter(published_on__gte=date_from)
    if date_to:
        articles = articles.filter(published_on__lte=date_to)
    return articles.select_related("source").defer("search_text").order_by("-id")


def digest_condition(q):
    """Digests whose title, introduction or correction note holds every word of `q`: each word
    folded (Simplified, mainland words, the glossary's names) and in each of its spellings
    (each reading, half- and full-width), so that 裁員 finds 裁员, 軟體 finds 软件 and 80 finds
    ８０ here too."""
    condition = Q()
    for word in (q or "").split()[:MAX_TERMS]:
        spellings = {scripts.fold(word), *scripts.spellings(word)}
        either = Q()
        for spelling in sorted(s for s in spellings if s):
            for field in ("title", "intro", "correction_note"):
                either |= Q(**{f"{field}__icontains": spelling})
        condition &= either
    return condition


def find_digests(q, source=None, date_from=None, date_to=None, **_claim_only):
    digests = Digest.objects.filter(digest_condition(q))
    if source:
        cited = Evidence.objects.filter(article__source=source).values("claim_id")
        digests = digests.filter(
            Exists(DigestEntry.objects.filter(digest=OuterRef("pk"), claim_id__in=cited))
        )
    if date_from or date_to:
        published = Q(published_at__isnull=False) & day_range("published_at", date_from, date_to)
        drafted = Q(published_at__isnull=True) & day_range("created_at", date_from, date_to)
        digests = digests.filter(published | drafted)
    return digests.select_related("created_by").order_by("-id")


FINDERS = {"claims": find_claims, "articles": find_articles, "digests": find_digests}


@dataclasses.dataclass
class Group:
    key: str
    title: str
    page: object  # claims.paging.Page

    @property
    def count(self):
        return self.page.count

    @property
    def capped(self):
        return self.page.capped

    @property
    def items(self):
        return self.page.items


def results(filters, pages=None, query=None):
    """The groups of results, one per kind searched: each a page of rows with its count."""
    kinds = [filters["kind"]] if filters.get("kind") else list(KINDS)
    if any(filters.get(name) for name in CLAIM_ONLY):
        kinds = [kind for kind in kinds if kind == "claims"]
    arguments = {name: filters.get(name) for name in CLAIM_ONLY}
    arguments.update(
        q=filters.get("q", ""),
        source=filters.get("source"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    groups = []
    for kind in kinds:
        page = paginate(
            FINDERS[kind](**arguments),
            (pages or {}).get(kind, 1),
            PAGE_SIZE,
            query=query,
            param=f"{kind}_page",
            anchor=f"#{kind}",
        )
        groups.append(Group(kind, KINDS[kind], page))
    for group in groups:
        if group.key == "articles":
            for article in group.items:  # a page's worth: why each matched
                article.snippet = snippet(article.body, arguments["q"])
        elif group.key == "digests":
            group.page.items = with_claim_counts(group.items)
    for claim in groups[0].items if groups and groups[0].key == "claims" else []:
        claim.shown_rating = claim.approved_rating or claim.proposed_rating
        claim.is_published = bool(
            claim.published_entry_id and claim.published_entry.digest.published_at
        )
    return groups


# --- the page ----------------------------------------------------------------------------------


@editor_required
def desk_search(request):
    """Bad input (a query too long, a date that is none, a page that is none) is a 400 with
    the form and its message, and nothing is searched; no query and no filter shows the form."""
    form = DeskSearchForm(request.GET or None)
    status, error, groups, searched, claim_only = 200, "", [], False, []
    pages = {}
    for kind in KINDS:
        try:
            pages[kind] = page_number(request.GET, f"{kind}_page")
        except BadPage as exc:
            error, status = str(exc), 400
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and not error:
        filters = form.cleaned_data
        filters["q"] = " ".join(filters.get("q", "").split())
        searched = bool(
            filters["q"]
            or any(filters.get(name) for name in CLAIM_ONLY)
            or any(filters.get(name) for name in ("source", "date_from", "date_to"))
        )
        claim_only = [label for name, label in CLAIM_ONLY.items() if filters.get(name)]
        if searched:
            try:
                groups = results(filters, pages, request.GET)
            except BadPage as exc:  # a page beyond the counted rows: show the first pages
                error, status = str(exc), 400
                groups = results(filters, query=request.GET)
    return render(
        request,
        "review/search.html",
        {
            "form": form,
            "groups": groups,
            "searched": searched,
            "error": error,
            "claim_only": pgettext("list separator", ", ").join(str(label) for label in claim_only),
            "q": form.cleaned_data.get("q", "") if searched else "",  # marked in the results
            "page_size": PAGE_SIZE,
        },
        status=status,
    )
