"""/api/v1/auth/ — tokens for scripts (newsroom.models.ApiToken, newsroom.tokens).

    POST   auth/token/         username + password → {"token", "id", "expires"}; 401 if wrong,
                               429 while the login is locked out (newsroom.logins)
    DELETE auth/token/         revokes the token the request is made with (204)
    GET    auth/tokens/        the caller's tokens: prefix, name, created, expires, last used
    GET    auth/tokens/<id>/   one of them
    DELETE auth/tokens/<id>/   revokes one of them (204)

A key is shown once, when it is issued; afterwards only its first characters (`prefix`).
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.base import MAX_ID
from claims.api.inputs import TextField
from claims.api.serializers import ErrorSerializer
from claims.api.throttles import AnonReadThrottle
from newsroom import logins
from newsroom.models import ApiToken
from newsroom.tokens import ExpiringTokenAuthentication

ERROR = ErrorSerializer
WRONG_CREDENTIALS = gettext_lazy("Wrong username or password.")


class TokenRequestSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = serializers.CharField(
        max_length=1024, trim_whitespace=False, style={"input_type": "password"}
    )
    name = TextField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the token is for (shown in the token list).",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Token <token>`. Shown only once."
    )
    id = serializers.IntegerField()
    expires = serializers.DateTimeField()


class TokenSerializer(serializers.ModelSerializer):
    expires = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField(
        help_text="Whether this request is made with this token."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "name", "created", "expires", "last_used", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return token == self.context["request"].auth


class TokenView(APIView):
    """A token for scripts: POST username and password, then send `Authorization: Token <key>`.
    DELETE with that header revokes it."""

    throttle_classes = [AnonReadThrottle]

    def get_authenticators(self):
        # Logging in needs no credentials (a stale token in the header must not stand in the
        # way of getting a new one); revoking needs the token that is revoked.
        request = getattr(self, "request", None)
        if request is not None and request.method == "POST":
            return []
        return [ExpiringTokenAuthentication()]

    def get_permissions(self):
        # Revoking needs the token; any other method than POST and DELETE is a 405.
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def get_authenticate_header(self, request):
        # 401, never 403, for wrong credentials: say how to authenticate.
        return ExpiringTokenAuthentication().authenticate_header(request)

    @extend_schema(
        request=TokenRequestSerializer,
        auth=[],
        responses={
            200: IssuedTokenSerializer,
            400: ERROR,
            401: OpenApiResponse(ERROR, description="Wrong username or password."),
            429: OpenApiResponse(
                ERROR, description="Too many failed logins or requests: see Retry-After."
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Django's own request: django-axes counts the failure and flags a lockout on it.
        django_request = request._request
        user = authenticate(
            django_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if logins.is_locked_out(django_request):
            return logins.lockout_response(django_request)
        if user is None:
            raise exceptions.AuthenticationFailed(WRONG_CREDENTIALS)
        logins.forget_failures(django_request, user)
        token, key = ApiToken.objects.issue(user, name=data.validated_data["name"])
        return Response({"token": key, "id": token.pk, "expires": token.expires})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            400: ERROR,
            401: ERROR,
            429: ERROR,
        },
    )
    def delete(self, request, *args, **kwargs):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class OwnTokens:
    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = TokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        responses={200: TokenSerializer(many=True), 400: ERROR, 401: ERROR, 404: ERROR}
    )
)
class TokenListView(OwnTokens, generics.ListAPIView):
    """The caller's API tokens (the key itself is never shown again, only its prefix)."""


@extend_schema_view(
    get=extend_schema(responses={200: TokenSerializer, 400: ERROR, 401: ERROR, 404: ERROR}),
    delete=extend_schema(
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        }
    ),
)
class TokenDetailView(OwnTokens, generics.RetrieveDestroyAPIView):
    """One of the caller's tokens; DELETE revokes it."""

    lookup_url_kwarg = "pk"

    def get_object(self):
        raw = self.kwargs["pk"]
        if not raw.isdecimal() or int(raw) > MAX_ID:
            raise exceptions.NotFound(_("No such token."))
        token = self.get_queryset().filter(pk=int(raw)).first()
        if token is None:
            raise exceptions.NotFound(_("No such token."))
        return token
