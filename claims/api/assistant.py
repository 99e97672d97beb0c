"""The claim assistant's findings for editors: a claim's matches in other articles, and the
figure conflicts across all imported articles. Editors only: both read unpublished articles."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError

from claims import assistant, services
from claims.api.base import MAX_ID, SCRIPT_PARAM, ApiViewMixin
from claims.api.serializers import ErrorSerializer
from claims.models import Claim

MAX_LIMIT = 50


class IsEditor(permissions.BasePermission):
    message = "Only editors can read the claim assistant's findings."

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
    hedged = serializers.BooleanField(help_text="Given as hearsay (据说, 爆料, 传言…): a rumour's figure.")


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
            raise NotFound("Not found.")
        claim = assistant.with_evidence(Claim.objects.filter(pk=int(raw))).first()
        if claim is None:
            raise NotFound("Not found.")
        limit = self.request.query_params.get("limit", "10")
        if not limit.isdecimal() or not 1 <= int(limit) <= MAX_LIMIT:
            raise ValidationError({"limit": [f"limit is a whole number from 1 to {MAX_LIMIT}."]})
        return [_Match(m) for m in assistant.matches(claim, limit=int(limit))]

    @extend_schema(
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The claim's id."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"At most this many matches (1–{MAX_LIMIT}, default 10)."),
            SCRIPT_PARAM,
        ],
        responses={200: MatchSerializer(many=True),
                   400: OpenApiResponse(ErrorSerializer, description="Bad limit or script."),
                   **ERRORS},
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
        responses={200: ConflictSerializer(many=True),
                   400: OpenApiResponse(ErrorSerializer, description="Bad script."), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
