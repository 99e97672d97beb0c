"""Serializers of the catalogue readers browse: sources, articles, digests."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import claim_url, digest_url
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


class DigestSerializer(serializers.ModelSerializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()
    published = serializers.BooleanField(source="is_published")

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
            "claims",
            "published",
        ]

    def get_url(self, digest) -> str | None:
        return digest_url(self.context.get("request"), digest)

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
