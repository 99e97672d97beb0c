"""The REST API's views. Reads build their querysets per reader (published data for the
public, live data for editors); writes validate the input's form and call claims.services,
the one implementation of the desk's rules (errors mapped in claims.api.errors)."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from claims import jsonld, published, services
from claims.api import inputs
from claims.api.base import MAX_ID, SCRIPT_PARAM, ApiViewMixin, PublishedReadCache
from claims.api.catalog import (
    ArticleSerializer,
    DigestSerializer,
    DigestSummarySerializer,
    SourceSerializer,
)
from claims.api.filters import ArticleFilter, ClaimFilter, DigestFilter, SourceFilter
from claims.api.serializers import (
    ClaimSerializer,
    CreatedClaimSerializer,
    ErrorSerializer,
    EvidenceSerializer,
    ReviewConflictSerializer,
    StaleErrorSerializer,
    VerdictSerializer,
    resembling_claims,
)
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.titles import with_article_titles
from sources.models import Article, Source

ERROR = ErrorSerializer


def _origin(data):
    """The claim's origin fields an API write gave (services.ORIGIN_FIELDS)."""
    return {name: data[name] for name in services.ORIGIN_FIELDS if name in data}


READ_ERRORS = {400: ERROR, 401: OpenApiResponse(ERROR, description="Bad credentials."), 429: ERROR}
LIST_ERRORS = {**READ_ERRORS, 404: OpenApiResponse(ERROR, description="The page does not exist.")}
DETAIL_ERRORS = {**READ_ERRORS, 404: ERROR}
WRITE_ERRORS = {
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
    429: ERROR,
    415: OpenApiResponse(
        ERROR,
        description="The body is not JSON (Content-Type: application/json): nothing was stored.",
    ),
}


def _read_views(
    serializer, list_serializer=None, list_errors=LIST_ERRORS, detail_errors=DETAIL_ERRORS
):
    listed = list_serializer or serializer
    return extend_schema_view(
        list=extend_schema(
            parameters=[SCRIPT_PARAM], responses={200: listed(many=True), **list_errors}
        ),
        retrieve=extend_schema(
            parameters=[SCRIPT_PARAM], responses={200: serializer, **detail_errors}
        ),
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
                "@type": {"type": "string"},
                "ratingValue": {"type": "integer"},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string"},
            },
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
        },
    },
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "author",
        "itemReviewed",
        "reviewRating",
    ],
}


@_read_views(ClaimSerializer)
class ClaimViewSet(
    ApiViewMixin,
    PublishedReadCache,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
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
        # An editor reads the claims as they are now: the frozen forms of their digest entries
        # (snapshot, text and search text of each published entry, the largest columns a page
        # would read) and the folded search text are not loaded.
        frozen = ("snapshot", "text", "search_text")
        return (
            Claim.objects.select_related("published_entry__digest")
            .defer("search_text", *(f"published_entry__{name}" for name in frozen))
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("article__source")),
                Prefetch(
                    "verdicts",
                    queryset=Verdict.objects.select_related("proposed_by", "reviewed_by"),
                ),
                Prefetch(
                    "digest_entries",
                    queryset=DigestEntry.objects.select_related("digest").defer(*frozen),
                ),
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public": self.public}

    def filter_queryset(self, queryset):
        # One claim by its id: the list's filters (and building their form) have nothing to do.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _answer(self, claim, code=status.HTTP_200_OK):
        fresh = self.editor_claims().get(pk=claim.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=inputs.ClaimCreateSerializer,
        responses={201: CreatedClaimSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = self._validated(inputs.ClaimCreateSerializer)
        claim = services.create_claim(
            actor=request.user,
            text=data["text"],
            evidence=data.get("evidence", []),
            gloss=data.get("gloss", ""),
            **_origin(data),
        )
        answer = self._answer(claim, status.HTTP_201_CREATED)
        answer.data["similar_claims"] = resembling_claims(claim, request)
        return answer

    @extend_schema(
        request=inputs.ClaimUpdateSerializer,
        responses={
            200: ClaimSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(
                StaleErrorSerializer,
                description="The claim was changed since `version`; nothing was saved.",
            ),
        },
    )
    def partial_update(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.ClaimUpdateSerializer)
        claim = services.update_claim(
            claim,
            actor=request.user,
            version=data["version"],
            text=data.get("text"),
            gloss=data.get("gloss"),
            **_origin(data),
        )
        return self._answer(claim)

    @extend_schema(
        request=inputs.EvidenceInputSerializer, responses={201: EvidenceSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.EvidenceInputSerializer)
        item = services.add_evidence(claim, actor=request.user, **data)
        item = Evidence.objects.select_related("article__source").get(pk=item.pk)
        return Response(EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inputs.VerdictInputSerializer, responses={201: VerdictSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def verdicts(self, request, pk=None):
        claim = self.get_object()
        data = self._validated(inputs.VerdictInputSerializer)
        verdict = services.propose_verdict(
            claim, actor=request.user, rating=data["rating"], rationale=data["rationale"]
        )
        return Response(VerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SCRIPT_PARAM], responses={200: CLAIMREVIEW_SCHEMA, **DETAIL_ERRORS})
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, renderers.JSONRenderer])
    def claimreview(self, request, pk=None):
        """schema.org ClaimReview JSON-LD of a published claim (404 until it is published)."""
        try:
            claim = self.get_object()
        except (Http404, NotFound):
            raw = str(pk)
            if (
                not self.public
                and raw.isdecimal()
                and int(raw) <= MAX_ID
                and Claim.objects.filter(pk=int(raw)).exists()
            ):
                raise NotFound(
                    _(
                        "Claim #%(id)s is not published yet: its ClaimReview exists once a "
                        "published digest holds it."
                    )
                    % {"id": raw}
                ) from None
            raise NotFound(
                _(
                    "No published claim has this id: a claim has a ClaimReview once a "
                    "published digest holds it."
                )
            ) from None
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

    @extend_schema(
        request=inputs.ReviewInputSerializer,
        responses={
            200: VerdictSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(
                ReviewConflictSerializer,
                description="The verdict is no longer waiting for review (approved, sent back "
                "or replaced by a newer one), or the claim changed since `claim_version` "
                "(`current` is the claim as it is now); nothing was changed.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Put the verdict in force for the claim version read (403 for its proposer and for
        non-reviewers; 409 when the claim changed since that version)."""
        return self._review(inputs.ReviewInputSerializer, services.approve_verdict)

    @extend_schema(
        request=inputs.SendBackInputSerializer,
        responses={
            200: VerdictSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(
                ERROR,
                description="The verdict is no longer waiting for review (approved, sent back "
                "or replaced by a newer one); nothing was changed.",
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._review(inputs.SendBackInputSerializer, services.send_back_verdict)


class DigestStateConflict(services.ReviewError):
    """The digest's state forbids the change (published digests are frozen; a version is
    corrected once; an empty draft is not published)."""

    status_code = 409


DIGEST_WRITE_ERRORS = {
    **WRITE_ERRORS,
    409: OpenApiResponse(
        ERROR,
        description=(
            "The digest's state forbids it: a published digest is frozen (publish a correction), a "
            "version already corrected is corrected from its newest version, an empty draft is not "
            "published, an unpublished one is not corrected."
        ),
    ),
}
DIGEST_WRITE_DOC = (
    "Reviewers only (403 for other editors), with the digest composer's rules (claims.services)."
)


@_read_views(DigestSerializer, list_serializer=DigestSummarySerializer)
@extend_schema_view(
    create=extend_schema(
        summary="Create a draft digest",
        description="A draft with `claims` in order; each "
        "claim must have an approved verdict. " + DIGEST_WRITE_DOC,
        request=inputs.DigestInputSerializer,
        responses={201: DigestSerializer, **DIGEST_WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Set a draft digest's title, introduction and claims",
        description="Replaces the draft's title, introduction and claims (in the order given; "
        "each with an approved verdict). A published digest is frozen: 409. " + DIGEST_WRITE_DOC,
        request=inputs.DigestInputSerializer,
        responses={200: DigestSerializer, **DIGEST_WRITE_ERRORS},
    ),
)
class DigestViewSet(ApiViewMixin, PublishedReadCache, viewsets.ReadOnlyModelViewSet):
    """Published digests (editors also see drafts); corrections point at what they correct.
    `{id}` is the digest's id or its slug. The list gives each digest's `claim_count` and
    `claims_url` (its claims, paged); a digest's own address lists its claims in order.
    Reviewers compose digests here as in the composer."""

    queryset = Digest.objects.none()  # for the schema; get_queryset picks per reader
    serializer_class = DigestSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DigestFilter
    http_method_names = ["get", "post", "put", "head", "options"]
    path_id_schema = {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "description": "The digest's id or its slug.",
    }

    def get_serializer_class(self):
        return DigestSummarySerializer if self.action == "list" else DigestSerializer

    def get_queryset(self):
        if self.action == "list":
            # The list names each digest's claims by their count and address: no entry is read.
            return Digest.objects.published() if self.public else Digest.objects.all()
        if self.public:
            # A digest lists its claims from their entries' own columns (text, rating): the
            # frozen snapshots, the largest column, are not read.
            entries = DigestEntry.objects.defer("snapshot", "search_text")
            return Digest.objects.published().prefetch_related(Prefetch("entries", entries))
        return self.editor_digests()

    @staticmethod
    def editor_digests():
        return Digest.objects.prefetch_related(
            Prefetch(
                "entries",
                queryset=DigestEntry.objects.select_related("claim").prefetch_related(
                    Prefetch(
                        "claim__verdicts",
                        queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED),
                    )
                ),
            )
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)  # the list's only: its rows get counts
        return None if page is None else published.with_claim_counts(page)

    def get_object(self):
        """By id, else by slug: /digests/12/ and /digests/<slug>/ name the same digest."""
        raw = str(self.kwargs.get("pk", ""))
        queryset = self.filter_queryset(self.get_queryset())
        digest = None
        if raw.isdecimal() and int(raw) <= MAX_ID:
            digest = queryset.filter(pk=int(raw)).first()
        if digest is None:
            digest = queryset.filter(slug=raw).first()
        if digest is None:
            raise NotFound(
                _("No digest has this id or slug.")
                if self.public or not raw
                else _("No digest has the id or slug “%(raw)s”.") % {"raw": raw[:100]}
            )
        self.check_object_permissions(self.request, digest)
        return digest

    def _answer(self, digest, code=status.HTTP_200_OK):
        fresh = self.editor_digests().get(pk=digest.pk)
        return Response(
            DigestSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def _claims(ids):
        found = Claim.objects.in_bulk(ids)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise services.ReviewError(
                "No claim has the id " + ", ".join(missing[:20]) + ".", field="claims"
            )
        return [found[i] for i in ids]

    @staticmethod
    def _rules(call, *args, **kwargs):
        """claims.services with the digest's state conflicts as 409s (their other refusals
        keep their status: 403 not a reviewer, 400 input at fault)."""
        try:
            return call(*args, **kwargs)
        except services.ReviewError as exc:
            if type(exc) is services.ReviewError and exc.field is None:
                raise DigestStateConflict(exc.message) from None
            raise

    def create(self, request, *args, **kwargs):
        data = self._input(inputs.DigestInputSerializer)
        digest = self._rules(
            services.create_digest,
            actor=request.user,
            title=data["title"],
            intro=data.get("intro", ""),
            claims=self._claims(data["claims"]),
        )
        return self._answer(digest, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        digest = self.get_object()
        data = self._input(inputs.DigestInputSerializer)
        if digest.is_published:
            raise DigestStateConflict(
                _("A published digest cannot be changed; publish a correction.")
            )
        digest = self._rules(
            services.update_draft_digest,
            digest,
            actor=request.user,
            title=data["title"],
            intro=data.get("intro", ""),
            claims=self._claims(data["claims"]),
        )
        return self._answer(digest)

    @extend_schema(
        summary="Publish a draft digest",
        request=None,
        description="Freezes the digest's claims as they are and publishes it; every "
        "claim must still have an approved verdict. " + DIGEST_WRITE_DOC,
        responses={200: DigestSerializer, **DIGEST_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        digest = self._rules(services.publish_digest, self.get_object(), actor=request.user)
        return self._answer(digest)

    @extend_schema(
        summary="Start a correction of a published digest",
        request=inputs.CorrectionInputSerializer,
        description="A new draft version with the same claims that points at the "
        "published one; edit it with PUT and publish it. " + DIGEST_WRITE_DOC,
        responses={201: DigestSerializer, **DIGEST_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        digest = self.get_object()
        data = self._input(inputs.CorrectionInputSerializer)
        correction = self._rules(
            services.start_correction,
            digest,
            actor=request.user,
            note=data["note"],
            title=data.get("title") or None,
        )
        return self._answer(correction, status.HTTP_201_CREATED)


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
