"""Filters of the public lists. Anonymous readers filter what was published (the frozen
DigestEntry columns: rating, search_text, articles); editors filter the live claims.

Dates: `published_after` / `published_before` compare the date (desk time zone) on which
the digest that published the claim's current form was published; both ends are inclusive.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.api.base import MAX_ID, is_public
from claims.days import day_range
from claims.models import DigestEntry, Evidence, Verdict
from claims.search import search
from sources.models import Article, Source


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def id_or_slug(value, prefix=""):
    """Match an id (all digits) or a slug."""
    condition = Q(**{f"{prefix}slug": value})
    if value.isdecimal() and len(value) < 19:
        condition |= Q(**{f"{prefix}pk": int(value)})
    return condition


class FilterSet(django_filters.FilterSet):
    """An `ordering` that is given must name a field in each of its comma-separated parts:
    `?ordering=` or `?ordering=id,` is a 400 (as the schema says), not the default order."""

    def is_valid(self):
        valid = super().is_valid()
        given = self.data.getlist("ordering") if hasattr(self.data, "getlist") else []
        parts = [part.strip() for value in given for part in value.split(",")]
        if "ordering" in self.data and (not parts or not all(parts)):
            names = [value for value, _ in self.form.fields["ordering"].choices if value]
            self.form.add_error("ordering", f"ordering is one of: {', '.join(names)}.")
            return False
        return valid


class ClaimFilter(FilterSet):
    verdict = django_filters.ChoiceFilter(
        choices=Verdict.Rating.choices,
        method="filter_verdict",
        help_text="The rating of the verdict in force: confirmed, disputed, rumour or false.",
    )
    source = django_filters.CharFilter(
        method="filter_source",
        max_length=200,
        help_text="Claims with evidence from this source (id or slug).",
    )
    article = IdFilter(
        method="filter_article", help_text="Claims with evidence from this article (id)."
    )
    digest = django_filters.CharFilter(
        method="filter_digest",
        max_length=200,
        help_text="Claims in this digest (id or slug).",
    )
    published_after = django_filters.DateFilter(
        method="filter_published_after",
        help_text="Claims whose publishing digest was published on or after this date (YYYY-MM-DD).",
    )
    published_before = django_filters.DateFilter(
        method="filter_published_before",
        help_text="Claims whose publishing digest was published on or before this date (YYYY-MM-DD).",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=500,
        help_text="Words of the claim, in either script: 裁員 and 裁员 (軟體 and 软件) match alike; "
        "#20 (the desk's way of writing a claim's number) also finds claim 20.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("id", "id"),
            # Claim.published_at is its published entry's digest's, on the claim's own row
            # (indexed with id: claim_published_at), so ordering by it joins nothing.
            ("published_at", "published_at"),
            ("created_at", "created_at"),
        ),
        help_text="id, published_at or created_at; prefix with - for descending.",
    )

    @property
    def public(self):
        return is_public(self.request)

    # Each filter is a condition on the claim's own row (EXISTS subqueries, no joins that
    # repeat rows), so that no list needs DISTINCT and a page stops at its LIMIT.

    def filter_verdict(self, queryset, name, value):
        if self.public:
            return queryset.filter(published_entry__rating=value)
        return queryset.filter(
            Exists(
                Verdict.objects.filter(
                    claim=OuterRef("pk"), status=Verdict.Status.APPROVED, rating=value
                )
            )
        )

    def _by_articles(self, queryset, articles):
        if self.public:
            cited = DigestEntry.articles.through.objects.filter(
                digestentry_id=OuterRef("published_entry_id"), article__in=articles
            )
        else:
            cited = Evidence.objects.filter(claim=OuterRef("pk"), article__in=articles)
        return queryset.filter(Exists(cited))

    def filter_source(self, queryset, name, value):
        sources = Source.objects.filter(id_or_slug(value)).values("pk")
        return self._by_articles(queryset, Article.objects.filter(source__in=sources).values("pk"))

    def filter_article(self, queryset, name, value):
        return self._by_articles(queryset, [value])

    def filter_digest(self, queryset, name, value):
        entries = DigestEntry.objects.filter(id_or_slug(value, "digest__"), claim=OuterRef("pk"))
        if self.public:
            entries = entries.filter(digest__published_at__isnull=False)
        return queryset.filter(Exists(entries))

    # The desk's day, as an instant range (claims.days): the column keeps its index.
    def filter_published_after(self, queryset, name, value):
        return queryset.filter(day_range("published_at", since=value))

    def filter_published_before(self, queryset, name, value):
        return queryset.filter(
            day_range("published_at", until=value),
            published_at__isnull=False,
        )

    def filter_q(self, queryset, name, value):
        # claims.search folds the query and, on PostgreSQL, uses the search index.
        field = "published_entry__search_text" if self.public else "search_text"
        return search(queryset, value, field)


class ArticleFilter(FilterSet):
    source = django_filters.CharFilter(
        method="filter_source", max_length=200, help_text="Articles of this source (id or slug)."
    )
    # Not `script`: that name converts the answer's texts (?script=hans|hant) everywhere.
    original_script = django_filters.ChoiceFilter(
        field_name="script",
        choices=Article.Script.choices,
        help_text="The article's original script: hans, hant or mixed.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("published_on", "published_on"), ("title", "title")),
    )

    def filter_source(self, queryset, name, value):
        return queryset.filter(id_or_slug(value, "source__"))


class SourceFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=Source.Kind.choices)
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("name", "name"), ("slug", "slug"))
    )


class DigestFilter(FilterSet):
    ordering = django_filters.OrderingFilter(
        fields=(("id", "id"), ("published_at", "published_at"), ("version", "version")),
    )
