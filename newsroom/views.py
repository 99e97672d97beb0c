import logging
import sys
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache

from claims.access import FORM_ONLY, refuse
from claims.api.errors import INTERNAL
from newsroom import script

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """`{"status": "ok"}` (200) when the database answers, `{"status": "unavailable"}` (503)
    when it does not. The reason goes to the log, never to the caller: a database's error
    text names hosts, users and paths."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        logger.exception("healthz: the database does not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _api(request):
    return request.path_info.startswith("/api/")


# A database that does not answer is a 503 that says when to try again, as in the API
# (claims/api/errors.py): the request was fine, and crawlers and caches keep no error page.
UNAVAILABLE_RETRY_AFTER = 30


def _stylesheet():
    """The site's stylesheet for the error page, or None when its address cannot be had (the
    static files were not collected): the error page must not fail in its turn."""
    try:
        return static("base.css")
    except ValueError:
        return None


def server_error(request):
    """handler500: the API's callers get JSON; a person gets a page in her reading, rendered
    without the request's context processors or any query (the database may be what failed).
    Django calls it while the exception is being handled: a database that does not answer
    makes it a 503 with Retry-After, anything else a 500."""
    failure = sys.exc_info()[1]
    unavailable = isinstance(failure, (OperationalError, InterfaceError))
    if _api(request):
        return JsonResponse({"detail": str(INTERNAL)}, status=500)
    request.script = script.chosen_script(request)
    reading = script.reading_of(request.script)
    with translation.override(script.words_language(request)):
        body = loader.get_template("500.html").render(
            {"stylesheet": _stylesheet(), "desk": request.path_info.startswith("/review/")}
        )
    response = HttpResponse(body, status=503 if unavailable else 500)
    response.headers["Content-Language"] = reading.tag
    if unavailable:
        response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response


# The editors' pages, where an address with nothing there is the desk's page; and the desk's
# addresses (not the public site's), where a wrong method is.
EDITORS_PAGES = ("/review/", "/admin/")
DESK_PREFIXES = (*EDITORS_PAGES, "/accounts/", "/i18n/")


def page_not_found(request, exception):
    """handler404: an address under /api/ that nothing serves is a JSON 404 too."""
    if _api(request):
        return JsonResponse(
            {
                "detail": _(
                    "Nothing is served at %(path)s: see /api/v1/schema/ for the API's addresses."
                )
                % {"path": request.path_info[:200]}
            },
            status=404,
        )
    if request.path_info.startswith(EDITORS_PAGES):
        # An editor on the desk or in the admin (a claim or a job that is not there, a mistyped
        # address): the desk's page, in the desk's language, back to the work queue.
        return refuse(
            request,
            _(
                "There is nothing at this address on the desk: the link may be mistyped, or "
                "what it pointed to is no longer there."
            ),
            status=404,
            rule=False,
        )
    # A person gets a public page in her reading (templates/404.html): the site's header, a
    # skip link, landmarks, and words she can read.
    return _public_page(request, "404.html", status=404)


def _public_page(request, template, status, **context):
    """A public page for an error, in the reader's reading (the query's, else her cookie's),
    saying its language, outside the views that script_page wraps."""
    request.script = script.chosen_script(request)
    reading = script.reading_of(request.script)
    with translation.override(script.words_language(request)):
        body = loader.render_to_string(
            template, {**script.reading_context(request), **context}, request
        )
    response = HttpResponse(body, status=status)
    response.headers["Content-Language"] = reading.tag
    patch_vary_headers(response, ["Cookie"])
    return response


READING_ONLY = gettext_lazy("This page is for reading: nothing can be sent to it.")


def method_not_allowed(request, refused):
    """Django answers a request made with a method an address does not take (require_safe,
    require_POST, a class-based view's http_method_names) with an empty 405: outside /api/ a
    person gets a page instead, in her language, that says so, keeping the 405 and its Allow.
    On the public site it is a public page in her reading (as templates/404.html); on the
    desk's addresses, the desk's refusal page."""
    allowed = refused["Allow"]
    opens = "GET" in {method.strip() for method in allowed.split(",")}
    if request.path_info.startswith(DESK_PREFIXES):
        response = refuse(request, READING_ONLY if opens else FORM_ONLY, status=405)
    else:
        page = request.get_full_path() if opens else None
        response = _public_page(request, "405.html", status=405, page=page)
    response["Allow"] = allowed
    return response


class LogoutView(auth_views.LogoutView):
    """/accounts/logout/, and the admin's: logging out is a form sent with POST (Django's
    LogoutView: CSRF-checked, so that no link or image on another site can log an editor
    out). The address opened as a page (typed, bookmarked, a link followed) asks first, with
    the button, rather than answering an empty 405."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout.html")


def _over_the_limits(exception):
    """What a form or an upload sent beyond the request's limits, in the user's language; None
    for any other bad request."""
    if isinstance(exception, TooManyFilesSent):  # an upload form (/review/import/, the admin)
        return _(
            "Too many files in one upload (the limit is %(limit)s); nothing was imported: put "
            "them in one .zip."
        ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exception, TooManyFieldsSent):
        return _("The form sent too many fields (the limit is %(limit)s); nothing was saved.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, RequestDataTooBig):
        return _(
            "The form sent is too large (the limit is %(size)s MB, files apart); nothing was saved."
        ) % {"size": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024)}
    return None


def bad_request(request, exception):
    """handler400: JSON under /api/. A form or an upload beyond the request's limits (too many
    files, too many fields, too large) gets the desk's refusal page saying so in the user's
    language; any other bad request (a disallowed host among them: nothing of the request is
    trusted to draw a page) gets Django's own."""
    if _api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    message = _over_the_limits(exception)
    if message is not None:
        return refuse(request, message, status=400)
    return defaults.bad_request(request, exception)


# Never shown back on the CSRF failure page: the token itself, and passwords.
_NOT_SHOWN_BACK = ("csrfmiddlewaretoken", "password")
_SHOWN_BACK_FIELDS = 30
_SHOWN_BACK_CHARACTERS = 20_000


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent with a security token that is missing or out of date (its
    page stayed open while the editor logged out, or logged in again in another tab). The
    answer says so in the editor's language, renews the token, and shows back what a form of
    this site held, so that nothing typed is lost: as text, never as markup."""
    logger.warning("CSRF refused %s %s: %s", request.method, request.path_info[:200], reason)
    if _api(request):
        return JsonResponse(
            {"detail": _("CSRF check failed: send the form again from a fresh page.")}, status=403
        )
    # Only a form of this site is shown back: a forged one, posted from another site (which is
    # what the check is for), would otherwise put its own words on the desk's page.
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(
        request.META.get("HTTP_ORIGIN") or referer,
        {request.get_host()},
        require_https=request.is_secure(),
    )
    written = []
    try:
        fields = list(request.POST.lists()) if ours else []
    except Exception:  # a body that cannot be read (too large, malformed): nothing to show
        fields = []
    for name, values in fields:
        if any(word in name.lower() for word in _NOT_SHOWN_BACK):
            continue
        written.extend(
            (name[:100], value[:_SHOWN_BACK_CHARACTERS]) for value in values if value.strip()
        )
    back = referer if ours and referer else ""
    response = render(
        request,
        "403_csrf.html",
        {"written": written[:_SHOWN_BACK_FIELDS], "back": back},
        status=403,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def permission_denied(request, exception):
    """handler403 (the admin's refusals among them: a page the account may not open, a verdict's
    history that may not be reverted): JSON under /api/, else the desk's refusal page in the
    user's language rather than Django's bare English one."""
    if _api(request):
        return JsonResponse({"detail": _("Forbidden.")}, status=403)
    return refuse(
        request, _("Your account may not do this; nothing was changed."), status=403, rule=False
    )


@lru_cache(maxsize=64)
def _floor_body(size):
    return b"x" * size


def bench_floor(request, size):
    """Benchmark floor (only routed with NEWSROOM_BENCH=1): a precomputed body of `size` bytes
    through the same middleware as every page, so a page's figures can be read against it."""
    return HttpResponse(_floor_body(min(size, 10_000_000)), content_type="text/html; charset=utf-8")
