"""Serializers of the catalogue readers browse: sources, articles, digests."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import absolute, claim_url, digest_url
from claims.models import Digest, Verdict
from sources.models import Article, Source


class SourceSerializer(serializers.ModelSerializer):
    # Slugs may be Chinese (allow_unicode): not the ASCII-only `^[-\w]+$` a SlugField documents.
    slug = serializers.CharField()

    class Meta:
        model = Source
        fields = ["id", "name", "slug", "kind", "homepage"]


class ArticleSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name", help_text="The source's name.")
    source_id = serializers.IntegerField()
    source_slug = serializers.CharField(source="source.slug")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "source",
            "script",
            "filename",
            "published_on",
            "source_id",
            "source_slug",
            "url",
        ]


class DigestClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    rating = serializers.ChoiceField(choices=Verdict.Rating.values, allow_null=True)
    url = serializers.URLField()


class DigestSummarySerializer(serializers.ModelSerializer):
    """A digest as the list names it: its claims are counted and linked, not embedded (a page
    of 200 digests of a thousand claims each would be one answer of 200,000 claims)."""

    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    published = serializers.BooleanField(source="is_published")
    claim_count = serializers.SerializerMethodField(help_text="How many claims the digest holds.")
    claims_url = serializers.SerializerMethodField(
        help_text="The digest's claims, in pages: the claim list filtered by this digest."
    )

    class Meta:
        model = Digest
        fields = [
            "id",
            "slug",
            "title",
            "intro",
            "version",
            "corrects",
            "correction_note",
            "published_at",
            "url",
            "published",
            "claim_count",
            "claims_url",
        ]

    def get_url(self, digest) -> str | None:
        return digest_url(self.context.get("request"), digest)

    def get_claim_count(self, digest) -> int:
        # The list sets the count (claims.published.with_claim_counts); a digest read whole
        # counts the entries it already holds.
        if hasattr(digest, "claim_count"):
            return digest.claim_count
        return len(digest.entries.all())

    def get_claims_url(self, digest) -> str:
        if not hasattr(self, "_claim_list"):  # one reverse() for a whole page of digests
            self._claim_list = reverse("api-claim-list")
        path = f"{self._claim_list}?{urlencode({'digest': digest.pk})}"
        return absolute(self.context.get("request"), path)


class DigestSerializer(DigestSummarySerializer):
    """A digest read whole (its own address, a write's answer, a webhook): with its claims, in
    the digest's order."""

    claims = serializers.SerializerMethodField()

    class Meta(DigestSummarySerializer.Meta):
        fields = [*DigestSummarySerializer.Meta.fields, "claims"]

    @staticmethod
    def _short(digest, entry, request):
        if digest.is_published:
            # What the published digest froze, never the live claim.
            return {
                "id": entry.claim_id,
                "text": entry.text,
                "rating": entry.rating or None,
                "url": claim_url(request, entry.claim_id),
            }
        verdict = entry.claim.approved_verdict
        return {
            "id": entry.claim_id,
            "text": entry.claim.text,
            "rating": verdict.rating if verdict else None,
            "url": claim_url(request, entry.claim_id),
        }

    @extend_schema_field(DigestClaimSerializer(many=True))
    def get_claims(self, digest):
        request = self.context.get("request")
        return [self._short(digest, entry, request) for entry in digest.entries.all()]
