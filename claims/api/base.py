"""What every API view shares: the public/editor split, `?script=`, throttling, auth."""

from django.core.cache import cache
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import authentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from claims import services
from claims.api.permissions import EditorsWrite
from claims.api.throttles import AnonReadThrottle
from claims.published import cache_key, publication_stamp
from newsroom.tokens import ExpiringTokenAuthentication
from sources import text as scripts

SCRIPT_PARAM = OpenApiParameter(
    "script", OpenApiTypes.STR, enum=list(scripts.READINGS),
    description="Show every text field in Simplified (`hans`), Taiwan Traditional with Taiwan "
                "phrases (`hant`) or Hong Kong Traditional (`hk`); by default texts are as "
                "written. Each text is converted only if it is in the other script. A quote "
                "keeps its original words in `quote` and is shown converted in "
                "`quote_converted`.",
)

# Values that are identifiers, machine codes, dates or addresses: never script-converted.
MACHINE_KEYS = frozenset({
    "url", "homepage", "slug", "filename", "rating", "stance", "script", "kind", "status",
    "label", "approved_at", "published_at", "published_on", "proposed_at", "reviewed_at",
    "cited_on", "created_at", "next", "previous", "proposed_by", "reviewed_by", "approved_by",
    "created_by", "source_slug", "@context", "@type", "@id",
})

PUBLIC_CACHE_SECONDS = 300

# Ids are bigints: a larger number names nothing (and would overflow the database driver).
MAX_ID = 2**63 - 1


def convert_texts(data, script, key=None):
    """`data` with every human-readable string shown in `script`; a quote keeps its original
    words in `quote`, and its converted form goes in `quote_converted`."""
    if isinstance(data, dict):
        converted = {k: convert_texts(v, script, k) for k, v in data.items()}
        if isinstance(data.get("quote"), str):
            converted["quote"] = data["quote"]
            converted["quote_converted"] = scripts.to_script(data["quote"], script)
        return converted
    if isinstance(data, list):
        return [convert_texts(v, script, key) for v in data]
    if isinstance(data, str) and key not in MACHINE_KEYS:
        return scripts.to_script(data, script)
    return data


def is_public(request):
    """Anonymous readers (and logged-in non-editors) see published data only."""
    return not services.is_editor(request.user)


class ApiSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        # Reads need no credentials (EditorsWrite lets them through): say so in the schema.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})
        return auths


class ApiViewMixin:
    schema = ApiSchema()
    # Token first: an anonymous write then gets a 401 with `WWW-Authenticate: Token`.
    authentication_classes = [ExpiringTokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [EditorsWrite]
    throttle_classes = [AnonReadThrottle]
    # Any path segment reaches the view, so that /claims/0.5/ is a JSON 404 like /claims/9/.
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raw = request.query_params.get("script", "")
        if raw and raw not in scripts.READINGS:
            raise ValidationError({"script": [
                f"Unknown script “{raw[:20]}”: use hans (Simplified), hant (Traditional, "
                "Taiwan) or hk (Traditional, Hong Kong)."
            ]})
        self.script = raw or None

    @property
    def public(self):
        return is_public(self.request)

    def get_object(self):
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(raw).isdecimal() or int(raw) > MAX_ID:
            raise NotFound("Not found.")
        return super().get_object()

    def finalize_response(self, request, response, *args, **kwargs):
        script = getattr(self, "script", None)
        if script and response.status_code < 400 and isinstance(response.data, (dict, list)):
            response.data = convert_texts(response.data, script)
        return super().finalize_response(request, response, *args, **kwargs)


class PublishedReadCache:
    """Anonymous reads of claims and digests show published snapshots only, which change only
    when a digest is published: their answers are kept under the publication stamp and the
    URL. Authentication, throttling and `?script=` still run on every request."""

    def list(self, request, *args, **kwargs):
        return self._cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(super().retrieve, request, *args, **kwargs)

    def _cached(self, read, request, *args, **kwargs):
        if not self.public:
            return read(request, *args, **kwargs)
        key = cache_key("api-read", request, *publication_stamp(request))
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = read(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.data, PUBLIC_CACHE_SECONDS)
        return response
