"""The API's one place that turns refusals into HTTP answers.

Every error is JSON with a readable `detail` and, where an input is at fault, a list of
messages under that input's name: `{"detail": "...", "quote": ["..."]}`. The desk's rules
raise `services.ReviewError` subclasses; their `status_code` says which HTTP status they are.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.utils import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from claims import services
from claims.models import PublishedDigestError


def _first_message(data, prefix=""):
    """The first message in a (possibly nested) DRF error structure, with the field it is for."""
    if isinstance(data, dict):
        for key, value in data.items():
            found = _first_message(value, key if key not in ("non_field_errors", "detail") else "")
            if found:
                return found
        return ""
    if isinstance(data, (list, tuple)):
        for value in data:
            found = _first_message(value, prefix)
            if found:
                return found
        return ""
    text = str(data)
    return f"{prefix}: {text}" if prefix and text else text


def review_error_data(exc):
    data = {"detail": exc.message}
    if exc.field:
        data[exc.field] = [exc.message]
    if isinstance(exc, (services.StaleEdit, services.StaleApproval)):
        # The claim as it is now (another editor saved it, or it changed after the reviewer
        # read it), so that a client can show it and merge.
        current = exc.current
        data["current"] = {
            "id": current.pk,
            "version": current.version,
            "text": current.text,
            "gloss": current.gloss,
        }
    return data


logger = logging.getLogger(__name__)

# In the caller's language (English unless the client asks for another).
UNAVAILABLE = gettext_lazy("The database is unavailable; try again in a minute.")
INTERNAL = gettext_lazy("Internal server error: the desk has logged it.")
RETRY_AFTER_SECONDS = 30


def exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is down or unreachable: the caller's request was fine, so a 503 with
        # a hint when to retry; the database's own message (hosts, users) goes to the log only.
        logger.exception("API: the database is unavailable")
        set_rollback()
        return Response(
            {"detail": str(UNAVAILABLE)},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, services.ReviewError):
        return Response(review_error_data(exc), status=exc.status_code)
    if isinstance(exc, PublishedDigestError):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        # A model's own check (full_clean) refused the input: keep its per-field messages.
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        data = {"detail": _first_message(fields) or " ".join(exc.messages)}
        data.update({name: list(messages) for name, messages in fields.items() if name != "detail"})
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        # Form and multipart bodies would lose the nested input (evidence): say what to send.
        media_type = str(getattr(context.get("request"), "content_type", "") or "").split(";")[0]
        return Response(
            {
                "detail": _(
                    "Unsupported media type “%(type)s”: send a JSON body with Content-Type: "
                    "application/json."
                )
                % {"type": media_type[:100] or "none"}
            },
            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        # Anything else is our fault: a JSON 500 (not Django's HTML page), the traceback logged.
        logger.exception("API: unhandled error")
        set_rollback()
        return Response({"detail": str(INTERNAL)}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    data = response.data
    if isinstance(data, list):
        response.data = {"detail": _first_message(data), "non_field_errors": data}
    elif isinstance(data, dict) and "detail" not in data:
        response.data = {"detail": _first_message(data) or _("Invalid input."), **data}
    return response
