"""The REST API's views. Reads build their querysets per reader (published data for the
public, live data for editors); writes validate the input's form and call claims.services,
the one implementation of the desk's rules (errors mapped in claims.api.errors)."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from claims import jsonld, published, services
from claims.api import inputs
from claims.api.base import SCRIPT_PARAM, ApiViewMixin, PublishedReadCache
from claims.api.catalog import ArticleSerializer, DigestSerializer, SourceSerializer
from claims.api.filters import ArticleFilter, ClaimFilter, DigestFilter, SourceFilter
from claims.api.serializers import (
    ClaimSerializer, ErrorSerializer, EvidenceSerializer, StaleErrorSerializer, VerdictSerializer,
)
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.titles import with_article_titles
from sources.models import Article, Source

ERROR = ErrorSerializer
READ_ERRORS = {400: ERROR, 401: OpenApiResponse(ERROR, description="Bad credentials."), 429: ERROR}
LIST_ERRORS = {**READ_ERRORS, 404: OpenApiResponse(ERROR, description="The page does not exist.")}
DETAIL_ERRORS = {**READ_ERRORS, 404: ERROR}
WRITE_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR}


def _read_views(serializer, list_errors=LIST_ERRORS, detail_errors=DETAIL_ERRORS):
    return extend_schema_view(
        list=extend_schema(parameters=[SCRIPT_PARAM], responses={200: serializer(many=True), **list_errors}),
        retrieve=extend_schema(parameters=[SCRIPT_PARAM], responses={200: serializer, **detail_errors}),
    )


class JSONLDRenderer(renderers.JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview, as on the public claim page.",
    "properties": {
        "@context": {"type": "string"},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string"},
        "claimReviewed": {"type": "string"},
        "datePublished": {"type": "string", "nullable": True},
        "author": {"type": "object"},
        "itemReviewed": {"type": "object"},
        "reviewRating": {
            "type": "object",
            "properties": {
                "@type": {"type": "string"}, "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"}, "worstRating": {"type": "integer"},
                "alternateName": {"type": "string"},
            },
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
        },
    },
    "required": ["@context", "@type", "url", "claimReviewed", "author", "itemReviewed", "reviewRating"],
}


@_read_views(ClaimSerializer)
class ClaimViewSet(ApiViewMixin, PublishedReadCache, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Verified claims. Anonymous readers see published claims as published; editors also
    see drafts, live."""

    queryset = Claim.objects.none()  # for the schema; get_queryset picks per reader
    serializer_class = ClaimSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "claimreview" or (self.public and self.request.method in SAFE_METHODS):
            return published.published_claims()
        if self.request.method not in SAFE_METHODS:
            # The services lock and re-read what they change: hand them a plain instance.
            return Claim.objects.all()
        return self.editor_claims()

    @staticmethod
    def editor_claims():
        return Claim.objects.select_related("published_entry__digest").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("article__source")),
            Prefetch("verdicts", queryset=Verdict.objects.select_related("proposed_by", "reviewed_by")),
            Prefetch("digest_entries", queryset=DigestEntry.objects.select_related("digest")),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public": self.public}

    def _answer(self, claim, code=status.HTTP_200_OK):
        fresh = self.editor_claims().get(pk=claim.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=inputs.ClaimCreateSerializer, responses={201: ClaimSerializer, **WRITE_ERRORS})
    def create(self, request):
        data = self._validated(inputs.ClaimCreateSerializer)
        claim = services.create_claim(actor=request.user, text=data["text"], evidence=data.get("evidence", []), gloss=data.get("gloss", ""))
        return self._answer(claim, status.HTTP_201_CREATED)

    @extend_schema(request=inputs.ClaimUpdateSerializer,
                   responses={200: ClaimSerializer, **WRITE_ERRORS,
                              409: OpenApiResponse(StaleErrorSerializer, description="The claim was "
                                                   "changed since `version`; nothing was saved.")})
    def partial_update(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.ClaimUpdateSerializer)
        claim = services.update_claim(claim, actor=request.user, version=data["version"], text=data.get("text"), gloss=data.get("gloss"))
        return self._answer(claim)

    @extend_schema(request=inputs.EvidenceInputSerializer, responses={201: EvidenceSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.EvidenceInputSerializer)
        item = services.add_evidence(claim, actor=request.user, **data)
        item = Evidence.objects.select_related("article__source").get(pk=item.pk)
        return Response(EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=inputs.VerdictInputSerializer, responses={201: VerdictSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def verdicts(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.VerdictInputSerializer)
        verdict = services.propose_verdict(claim, actor=request.user, rating=data["rating"], rationale=data["rationale"])
        return Response(VerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SCRIPT_PARAM], responses={200: CLAIMREVIEW_SCHEMA, **DETAIL_ERRORS})
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, renderers.JSONRenderer])
    def claimreview(self, request, pk=None):
        """schema.org ClaimReview JSON-LD of a published claim (404 until it is published)."""
        claim = self.get_object()
        entry = claim.published_entry
        entry.snapshot = with_article_titles(entry.snapshot)  # in memory only
        data = jsonld.claim_review(entry, request, script=self.script)
        # jsonld converts the script itself (texts only, never URLs); don't convert twice.
        self.script = None
        return Response(data)

    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class VerdictViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """The second pair of eyes: a reviewer other than the proposer approves or sends back."""

    queryset = Verdict.objects.select_related("proposed_by", "reviewed_by")
    serializer_class = VerdictSerializer

    def _review(self, serializer_class, service):
        verdict = self.get_object()
        services.check_reviewable(verdict, actor=self.request.user)  # who may, before what
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        verdict = service(verdict, actor=self.request.user, **serializer.validated_data)
        verdict = self.get_queryset().get(pk=verdict.pk)
        return Response(VerdictSerializer(verdict).data)

    @extend_schema(request=inputs.ReviewInputSerializer, responses={200: VerdictSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Put the verdict in force for the claim version read (403 for its proposer and for
        non-reviewers; 409 when the claim changed since that version)."""
        return self._review(inputs.ReviewInputSerializer, services.approve_verdict)

    @extend_schema(request=inputs.SendBackInputSerializer, responses={200: VerdictSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._review(inputs.SendBackInputSerializer, services.send_back_verdict)


@_read_views(DigestSerializer)
class DigestViewSet(ApiViewMixin, PublishedReadCache, viewsets.ReadOnlyModelViewSet):
    """Published digests (editors also see drafts); corrections point at what they correct."""

    queryset = Digest.objects.none()  # for the schema; get_queryset picks per reader
    serializer_class = DigestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DigestFilter

    def get_queryset(self):
        if self.public:
            return Digest.objects.published().prefetch_related("entries")
        return Digest.objects.prefetch_related(
            Prefetch("entries", queryset=DigestEntry.objects.select_related("claim").prefetch_related(
                Prefetch("claim__verdicts", queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED))
            ))
        )


@_read_views(SourceSerializer)
class SourceViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Sources; anonymous readers see those that published claims cite."""

    queryset = Source.objects.none()  # for the schema; get_queryset picks per reader
    serializer_class = SourceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SourceFilter

    def get_queryset(self):
        if self.public:
            return published.published_sources()
        return Source.objects.all()


@_read_views(ArticleSerializer)
class ArticleViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Articles; anonymous readers see those that published claims cite."""

    queryset = Article.objects.none()  # for the schema; get_queryset picks per reader
    serializer_class = ArticleSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilter

    def get_queryset(self):
        articles = published.published_articles() if self.public else Article.objects.all()
        return articles.select_related("source").defer("body", "boilerplate", "search_text")
