"""The claim assistant's findings: for editors, a claim's matches in other articles, the figure
conflicts across all imported articles, and the desk's claims an article repeats (all read
unpublished work); for anyone, published claims like a text (`claims/similar/`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError

from claims import assistant, services
from claims.api.base import MAX_ID, NOT_BLANK, SCRIPT_PARAM, ApiViewMixin
from claims.api.serializers import ErrorSerializer
from claims.api.throttles import AnonReadThrottle
from claims.models import Claim

MAX_LIMIT = 50


def limit_refused(most):
    return ValidationError(
        {"limit": [_("limit is a whole number from 1 to %(most)s.") % {"most": most}]}
    )


class IsEditor(permissions.BasePermission):
    message = gettext_lazy("Only editors can read the claim assistant's findings.")

    def has_permission(self, request, view):
        return services.is_editor(request.user)


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)


class FigureSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    value = serializers.FloatField()
    unit = serializers.CharField(allow_blank=True, help_text="USD, CNY, %, people, count, date…")


class ConflictFigureSerializer(FigureSerializer):
    article = ArticleRefSerializer()
    quote = serializers.CharField(allow_blank=True, help_text="The sentence that gives the figure.")
    start = serializers.IntegerField(help_text="Code-point offset of the figure in the body.")
    end = serializers.IntegerField()
    hedged = serializers.BooleanField(
        help_text="Given as hearsay (据说, 爆料, 传言…): a rumour's figure."
    )
    qualifier = serializers.CharField(
        allow_blank=True,
        required=False,
        help_text="about, nearly, more than, at least, under, several, range, or empty.",
    )


class ConflictSerializer(serializers.Serializer):
    subject = serializers.CharField(help_text="The quantity the figures measure.")
    figures = ConflictFigureSerializer(many=True)


class MatchSerializer(serializers.Serializer):
    article = ArticleRefSerializer(source="match.article")
    start = serializers.IntegerField(source="match.start")
    end = serializers.IntegerField(source="match.end")
    quote = serializers.CharField(source="match.quote", allow_blank=True)
    score = serializers.FloatField(source="match.score")
    shared_figures = FigureSerializer(source="match.shared_figures", many=True)
    hedged = serializers.BooleanField()


class _Match:
    """A match as the serializer reads it."""

    def __init__(self, match):
        self.match = match
        self.hedged = assistant.is_hedged_text(match.quote)


ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
    403: OpenApiResponse(ErrorSerializer, description="Not an editor."),
    404: OpenApiResponse(ErrorSerializer, description="No such claim or page."),
    429: ErrorSerializer,
}


class AssistantView(ApiViewMixin, generics.ListAPIView):
    schema = AutoSchema()  # credentials are required, unlike the public reads
    permission_classes = [IsEditor]
    filter_backends = []


class ClaimMatchesView(AssistantView):
    """Passages of other articles (in either script) that state what the claim states, best
    first; the claim's own evidence spans are left out."""

    serializer_class = MatchSerializer

    def get_queryset(self):
        raw = self.kwargs.get("pk", "")
        if not str(raw).isdecimal() or int(raw) > MAX_ID:
            raise NotFound()
        claim = assistant.with_evidence(Claim.objects.filter(pk=int(raw))).first()
        if claim is None:
            raise NotFound()
        limit = self.request.query_params.get("limit", "10")
        if not limit.isdecimal() or not 1 <= int(limit) <= MAX_LIMIT:
            raise limit_refused(MAX_LIMIT)
        return [_Match(m) for m in assistant.matches(claim, limit=int(limit))]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The claim's id."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"At most this many matches (1–{MAX_LIMIT}, default 10).",
            ),
            SCRIPT_PARAM,
        ],
        responses={
            200: MatchSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Bad limit or script."),
            **ERRORS,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConflictsView(AssistantView):
    """Quantities on which the imported articles give different figures, whether or not a
    claim has been made of them; sourced figures before hedged ones."""

    serializer_class = ConflictSerializer

    def get_queryset(self):
        return assistant.conflicts()

    @extend_schema(
        parameters=[SCRIPT_PARAM],
        responses={
            200: ConflictSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Bad script."),
            **ERRORS,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- known claims and similar claims ---------------------------------------------------------


class KnownClaimRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    url = serializers.CharField()
    rating = serializers.CharField(allow_null=True, help_text="The verdict in force, or null.")
    rated_on = serializers.DateField(allow_null=True, help_text="When that verdict was approved.")
    published = serializers.BooleanField()


class KnownClaimSerializer(serializers.Serializer):
    claim = KnownClaimRefSerializer()
    sentence = serializers.CharField(
        help_text="The sentence of the article that repeats the claim."
    )
    start = serializers.IntegerField(help_text="Code-point offset of the sentence in the body.")
    end = serializers.IntegerField()
    score = serializers.FloatField()
    note = serializers.CharField(
        help_text="“this article repeats claim #12, rated false on 2025-10-24”"
    )


def known_claim_note(claim, verdict):
    if verdict is None:
        return f"this article repeats claim #{claim.pk}, not rated yet"
    day = verdict.reviewed_at.date().isoformat() if verdict.reviewed_at else ""
    return f"this article repeats claim #{claim.pk}, rated {verdict.rating} on {day}"


def known_claim_item(hit, request):
    from claims.api.serializers import claim_url

    claim = hit.claim
    verdict = claim.approved_verdict
    return {
        "claim": {
            "id": claim.pk,
            "text": claim.text,
            "url": claim_url(request, claim.pk),
            "rating": verdict.rating if verdict else None,
            "rated_on": verdict.reviewed_at.date() if verdict and verdict.reviewed_at else None,
            "published": claim.published_entry_id is not None,
        },
        "sentence": hit.quote,
        "start": hit.start,
        "end": hit.end,
        "score": hit.score,
        "note": known_claim_note(claim, verdict),
    }


class ArticleKnownClaimsView(AssistantView):
    """The desk's claims (published and in progress) that this article repeats: each with the
    sentence that repeats it and its offsets, best first, the 50 best at most."""

    serializer_class = KnownClaimSerializer

    def get_queryset(self):
        from sources.models import Article

        raw = self.kwargs.get("pk", "")
        if not str(raw).isdecimal() or int(raw) > MAX_ID:
            raise NotFound()
        article = Article.objects.filter(pk=int(raw)).only("id", "body").first()
        if article is None:
            raise NotFound()
        return [known_claim_item(hit, self.request) for hit in assistant.known_claims(article)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The article's id."
            ),
            SCRIPT_PARAM,
        ],
        responses={
            200: KnownClaimSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Bad script."),
            **ERRORS,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


MAX_SIMILAR_TEXT = 2000
MAX_SIMILAR = 20


class SimilarThrottle(AnonReadThrottle):
    """The similarity lookup reads the index: its own, lower rate for anonymous clients
    (settings.NEWSROOM_SIMILAR_THROTTLE, default 60/minute)."""

    scope = "similar"

    def get_rate(self):
        from django.conf import settings

        return getattr(settings, "NEWSROOM_SIMILAR_THROTTLE", None) or "60/minute"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SimilarClaimSerializer(serializers.Serializer):
    claim = serializers.DictField(
        help_text="The published claim, as `GET /api/v1/claims/<id>/` shows it to anonymous readers."
    )
    score = serializers.FloatField(help_text="0..1: how much of the claim the text says.")


class SimilarClaimsView(ApiViewMixin, generics.ListAPIView):
    """Published claims like a text, in either script: the lookup a chat bot or a CMS makes
    (“has the desk checked this?”). Anonymous; throttled."""

    serializer_class = SimilarClaimSerializer
    throttle_classes = [AnonReadThrottle, SimilarThrottle]
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        from claims.api.serializers import public_claim
        from sources.text import refuse_control_characters

        text = self.request.query_params.get("text", "")
        if not text.strip():
            raise ValidationError({"text": [_("Give the text to look up: ?text=…")]})
        if len(text) > MAX_SIMILAR_TEXT:
            raise ValidationError(
                {"text": [_("At most %(most)s characters.") % {"most": MAX_SIMILAR_TEXT}]}
            )
        try:
            refuse_control_characters(text)
        except DjangoValidationError as refused:
            raise ValidationError({"text": refused.messages}) from None
        limit = self.request.query_params.get("limit", "5")
        if not limit.isdecimal() or not 1 <= int(limit) <= MAX_SIMILAR:
            raise limit_refused(MAX_SIMILAR)
        found = assistant.similar_claims(text, limit=int(limit), published_only=True)
        return [
            {"claim": public_claim(claim, self.request), "score": score} for claim, score in found
        ]

    @extend_schema(
        auth=[{}],
        parameters=[
            OpenApiParameter(
                "text",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_SIMILAR_TEXT,
                    "pattern": NOT_BLANK,
                },
                required=True,
                description=f"The text to look up (either script, at most {MAX_SIMILAR_TEXT} characters).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_SIMILAR},
                description=f"At most this many claims (1–{MAX_SIMILAR}, default 5).",
            ),
            SCRIPT_PARAM,
        ],
        responses={
            200: SimilarClaimSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer, description="No text, too long, bad limit or script."
            ),
            429: ErrorSerializer,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
