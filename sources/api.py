"""`GET /api/v1/imports/<id>/`: an import job's progress, for editors (token or session), so
that an upload page can poll it while the worker imports (sources.jobs)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import is_editor
from claims.api.base import MAX_ID, ApiViewMixin
from claims.api.serializers import ErrorSerializer
from sources.jobs import job_status
from sources.models import ImportJob


class CanImport(permissions.BasePermission):
    message = "Only editors can see imports."

    def has_permission(self, request, view):
        user = request.user
        return is_editor(user) or bool(
            user
            and user.is_authenticated
            and user.is_active
            and user.has_perm("sources.add_article")
        )


class FileResultSerializer(serializers.Serializer):
    filename = serializers.CharField(
        help_text="The file's name (or path, for files on the worker's disk)."
    )
    status = serializers.ChoiceField(["imported", "unchanged", "refused"])
    message = serializers.CharField(help_text="What happened, as `import_articles` prints it.")
    article = serializers.IntegerField(
        allow_null=True, help_text="The article, when imported or already there."
    )
    code = serializers.CharField(
        required=False,
        help_text=(
            "The kind of outcome: `imported`; `same_text` (the same article in another copy, "
            "now listed with its files) or `same_file` (a copy seen before); for a refusal, "
            "its kind (`too_large`, `empty`, `binary`, `undecodable`, `wrong_encoding`, "
            "`front_matter`, `no_text`, … : sources.decoding.REFUSAL_CODES)."
        ),
    )
    params = serializers.DictField(
        required=False, help_text="The outcome's figures (sizes, script, encoding…)."
    )


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(ImportJob.Status.values)
    finished = serializers.BooleanField()
    total = serializers.IntegerField(help_text="Files in the job (0 until a folder is counted).")
    done = serializers.IntegerField(help_text="Files with an outcome so far.")
    imported = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    failed = serializers.IntegerField(help_text="The same as `refused`.")
    error = serializers.CharField(
        allow_blank=True, help_text="Why the job itself stopped, if it did."
    )
    created_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    stopped = serializers.BooleanField(
        help_text=(
            "Running, yet without progress for ten minutes: the worker that ran it has stopped. "
            "An editor can start it again from its page in the desk."
        )
    )
    since = serializers.IntegerField(help_text="The position of the first file in `results`.")
    next = serializers.IntegerField(
        help_text="The position after the last file in `results`: the `since` of the next poll."
    )
    results = FileResultSerializer(
        many=True, help_text="Each file's outcome so far, in the job's order, from `since` on."
    )


class ImportQuerySerializer(serializers.Serializer):
    since = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        required=False,
        default=0,
        help_text=(
            "Only the files from this position on (0, the default: every file so far); a "
            "poller passes the `next` of its last answer and gets only the new outcomes."
        ),
    )


class ImportJobView(ApiViewMixin, APIView):
    """An import job: its status, counts and the outcome of each file so far."""

    schema = AutoSchema()  # credentials are required
    permission_classes = [CanImport]

    @extend_schema(
        operation_id="imports_retrieve",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The job's id."
            ),
            ImportQuerySerializer,
        ],
        responses={
            200: ImportJobSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad script or `since`."),
            401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
            403: OpenApiResponse(ErrorSerializer, description="Not an editor."),
            404: OpenApiResponse(ErrorSerializer, description="No such job."),
            429: ErrorSerializer,
        },
    )
    def get(self, request, pk):
        if not str(pk).isdecimal() or int(pk) > MAX_ID:
            raise NotFound("No such import job.")
        query = ImportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        job = ImportJob.objects.filter(pk=int(pk)).first()
        if job is None:
            raise NotFound("No such import job.")
        data = job_status(job)
        since = min(query.validated_data["since"], len(data["results"]))
        data.update(since=since, next=len(data["results"]), results=data["results"][since:])
        return Response(data)
