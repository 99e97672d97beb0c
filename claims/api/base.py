"""What every API view shares: the public/editor split, `?script=`, throttling, auth, and
validators (ETag, Last-Modified) with 304s on reads."""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import authentication, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims import services
from claims.api.parsers import JSONParser
from claims.api.permissions import EditorsWrite
from claims.api.throttles import AnonReadThrottle
from claims.published import cache_key, publication_stamp
from newsroom.tokens import ExpiringTokenAuthentication
from sources import text as scripts

SCRIPT_PARAM = OpenApiParameter(
    "script",
    OpenApiTypes.STR,
    enum=list(scripts.READINGS),
    description="Show every text field in Simplified (`hans`), Taiwan Traditional with Taiwan "
    "phrases (`hant`) or Hong Kong Traditional (`hk`); by default texts are as "
    "written. Each text is converted only if it is in the other script. A quote "
    "keeps its original words in `quote` and is shown converted in "
    "`quote_converted`.",
)

# Values that are identifiers, machine codes, dates or addresses: never script-converted.
MACHINE_KEYS = frozenset(
    {
        "url",
        "homepage",
        "slug",
        "filename",
        "rating",
        "stance",
        "script",
        "kind",
        "status",
        "label",
        "approved_at",
        "published_at",
        "published_on",
        "proposed_at",
        "reviewed_at",
        "cited_on",
        "created_at",
        "next",
        "previous",
        "proposed_by",
        "reviewed_by",
        "approved_by",
        "created_by",
        "source_slug",
        "@context",
        "@type",
        "@id",
    }
)

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


# Text without the control characters every input path refuses (sources.text, url_guard).
_CONTROL_RANGES = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
NO_CONTROL_CHARACTERS = f"^[^{_CONTROL_RANGES}]*$"
# The same, for text that may not be blank once trimmed (DRF trims surrounding whitespace).
NOT_BLANK = f"^[^{_CONTROL_RANGES}]*[^\\s{_CONTROL_RANGES}][^{_CONTROL_RANGES}]*$"
# Text that DRF's CharField takes: anything but NUL.
NO_NUL = "^[^\\u0000]*$"


def _declare_no_control_characters(schema, pattern=NO_CONTROL_CHARACTERS):
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys():
        schema["pattern"] = pattern
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        _declare_no_control_characters(schema["items"])


class IdSchema(AutoSchema):
    """The schema as the server behaves (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

    - A path id is an integer from 1 to MAX_ID. The URL patterns take any segment (so that
      /claims/0.5/ or a number too large for the database is a JSON 404, never a 500), which
      drf-spectacular would otherwise publish as a string. A view whose path also takes a
      slug says so in `path_id_schema`.
    - PATCH bodies are validated whole by these views (no partial serializers): the schema
      keeps the input's required fields instead of drf-spectacular's all-optional "Patched"
      component.
    - Text (query and path parameters, the JSON fields that refuse them) is declared without
      the control characters that the server refuses with a 400.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            _declare_no_control_characters(parameter.get("schema", {}))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request":
            return schema
        if getattr(field, "refuses_control_characters", False):
            blank = getattr(field, "allow_blank", True) or not getattr(
                field, "trim_whitespace", False
            )
            _declare_no_control_characters(schema, NO_CONTROL_CHARACTERS if blank else NOT_BLANK)
        elif isinstance(field, serializers.CharField):
            # Every other text field refuses NUL, as DRF's CharField does (a password).
            _declare_no_control_characters(schema, NO_NUL)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # drf-spectacular offers a blank text field's "" as a second alternative of a `oneOf`
        # when the field has a pattern; where the pattern takes "" already, "" then matches
        # both, which `oneOf` forbids, and a client that validates refuses what the server
        # takes. The one alternative is enough.
        alternatives = schema.get("oneOf") or []
        if len(alternatives) != 2 or alternatives[1] != {"type": "string", "maxLength": 0}:
            return
        inner = alternatives[0]
        if (
            "pattern" in inner
            and not {"format", "minLength"} & inner.keys()
            and re.search(inner["pattern"], "")
        ):
            del schema["oneOf"]
            schema.update(inner)

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] in ("id", "pk") and parameter["schema"].get("type") == "string":
                parameter["schema"] = dict(
                    getattr(self.view, "path_id_schema", None)
                    or {"type": "integer", "minimum": 1, "maximum": MAX_ID}
                )
        return parameters

    def _get_filter_parameters(self):
        """Filters' bounds (an id filter's minimum 1) declared as enforced."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset_class, "base_filters", {})
        for parameter in parameters:
            schema = parameter["schema"]
            # django-filter reads an empty value as "no filter" (`?kind=` lists every kind).
            for choices in (schema, schema.get("items") or {}):
                if "enum" in choices and "" not in choices["enum"]:
                    choices["enum"] = [*choices["enum"], ""]
            found = filters.get(parameter["name"])
            if found is None:
                continue
            if schema.get("type") == "integer":
                for key, name in (("min_value", "minimum"), ("max_value", "maximum")):
                    if found.extra.get(key) is not None:
                        schema.setdefault(name, found.extra[key])
            if schema.get("type") == "integer" or "format" in schema:
                # An empty id or date is no filter either.
                parameter["schema"] = {"oneOf": [schema, {"type": "string", "maxLength": 0}]}
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        if self.method != "PATCH":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "POST"  # drf-spectacular marks a PATCH serializer partial; ours is not
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"


class ApiSchema(IdSchema):
    def get_auth(self):
        auths = super().get_auth()
        # Reads need no credentials (EditorsWrite lets them through): say so in the schema.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auths:
            auths.append({})
        return auths


class ApiViewMixin:
    schema = ApiSchema()
    # JSON only (settings.REST_FRAMEWORK says the same for every API view): a form or multipart
    # body is a 415, never half-read; the schema lists application/json alone.
    parser_classes = [JSONParser]
    # Token first: an anonymous write then gets a 401 with `WWW-Authenticate: Token`.
    authentication_classes = [ExpiringTokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [EditorsWrite]
    throttle_classes = [AnonReadThrottle]
    # Any path segment reaches the view, so that /claims/0.5/ is a JSON 404 like /claims/9/.
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # The body's media type is checked before any rule of the desk: a body that is not
            # JSON is a 415 on every write, whatever state the object is in.
            request.data  # noqa: B018
        raw = request.query_params.get("script", "")
        if "script" in request.query_params and raw not in scripts.READINGS:
            # An empty `?script=` too: leave the parameter out to get texts as written.
            raise ValidationError(
                {
                    "script": [
                        _(
                            "Unknown script “%(script)s”: use hans (Simplified), hant "
                            "(Traditional, Taiwan) or hk (Traditional, Hong Kong)."
                        )
                        % {"script": raw[:20]}
                    ]
                }
            )
        self.script = raw or None
        override = api_settings.URL_FORMAT_OVERRIDE
        if override in request.query_params and not request.query_params[override]:
            # DRF reads an empty `?format=` as none asked; the schema lists the formats only.
            formats = pgettext("between the names of a list", " or ").join(
                renderer.format for renderer in self.get_renderers()
            )
            raise ValidationError(
                {
                    override: [
                        _("No format named: use %(formats)s, or leave the parameter out.")
                        % {"formats": formats}
                    ]
                }
            )

    @property
    def public(self):
        return is_public(self.request)

    def get_object(self):
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(raw).isdecimal() or int(raw) > MAX_ID:
            raise NotFound()
        try:
            return super().get_object()
        except Http404:
            # Django's own message names the model's class, in English whatever was asked.
            thing = self.get_queryset().model._meta.verbose_name
            raise NotFound(_("No %(thing)s has this id.") % {"thing": thing}) from None

    def finalize_response(self, request, response, *args, **kwargs):
        script = getattr(self, "script", None)
        if script and response.status_code < 400 and isinstance(response.data, (dict, list)):
            response.data = convert_texts(response.data, script)
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
        ):
            return self.conditional(request, response)
        return response

    def validators(self, request, response):
        """(ETag, Last-Modified or None) of a read: by default a digest of the body, so that
        an editor's live read changes its ETag exactly when its answer changes."""
        if self.public and isinstance(self, PublishedReadCache):
            return self.published_validators(request)
        # The body as it will be sent (rendered once: the response keeps it).
        response.render()
        digest = hashlib.sha256(getattr(request, "accepted_media_type", "").encode() + b"|")
        digest.update(response.content)
        return "b" + digest.hexdigest()[:32], None

    def conditional(self, request, response):
        """ETag and Last-Modified on a 200 read, and a 304 when the caller's copy is current."""
        etag, last_modified = self.validators(request, response)
        response["ETag"] = quote_etag(etag)
        timestamp = None
        if last_modified is not None:
            timestamp = int(last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request._request, etag=response["ETag"], last_modified=timestamp, response=response
        )


class PublishedReadCache:
    """Anonymous reads of claims and digests show published snapshots only, which change only
    when a digest is published: their answers are kept under the publication stamp and the
    URL. Authentication, throttling and `?script=` still run on every request."""

    def list(self, request, *args, **kwargs):
        return self._cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(super().retrieve, request, *args, **kwargs)

    def published_validators(self, request):
        # What an anonymous reader sees changes only with a publication: the ETag follows the
        # publication stamp (as the public pages' do), the address and the media type.
        count, latest = publication_stamp(request)
        raw = (
            f"{count}|{latest.isoformat() if latest else '-'}|{request.build_absolute_uri()}|"
            f"{getattr(request, 'accepted_media_type', '')}|{settings.DESK_TRADITIONAL}"
        )
        return "p" + hashlib.sha256(raw.encode()).hexdigest()[:32], latest

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
