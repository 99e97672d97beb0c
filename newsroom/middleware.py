"""`Cache-Control: private, no-store` on every editor's answer; the CSP header built once.

Review pages, the admin, the login pages and the API's token endpoints answer with unpublished
drafts, personal data or credentials: no browser cache, proxy or CDN may keep a copy. The same
holds for every API answer to a signed-in caller (token or session). Anonymous readers' public
pages and API reads keep the caching headers their views set.
"""

from csp import middleware as csp_middleware
from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponseNotAllowed
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import empty
from django.utils.translation.trans_real import parse_accept_lang_header

PRIVATE_PREFIXES = ("/review/", "/admin/", "/accounts/", "/api/v1/auth/")
API_PREFIX = "/api/"
PRIVATE = "private, no-store"


def _signed_in(request):
    """Whether the request was authenticated, without authenticating it now: DRF puts the
    user it authenticated (token or session) on the request; an untouched lazy user means
    nobody asked, so nobody was signed in for this answer."""
    user = getattr(request, "user", None)
    if user is None:
        return False
    if getattr(user, "_wrapped", None) is empty:
        return False
    try:
        return bool(user.is_authenticated)
    except DatabaseError:  # the database went away mid-request: say nothing about caching
        return False


class PrivateEditorAnswers:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(PRIVATE_PREFIXES) or (
            path.startswith(API_PREFIX) and _signed_in(request)
        ):
            response["Cache-Control"] = PRIVATE
            # An Expires date from a public view must not outlive the no-store either.
            if "Expires" in response:
                del response["Expires"]
        return response


class MethodNotAllowedPage:
    """An empty 405 from Django (a wrong method on a page) becomes a page that says so
    (newsroom.views.method_not_allowed); the API's 405s are its own JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path_info.startswith(API_PREFIX)
        ):
            from newsroom.views import method_not_allowed

            return method_not_allowed(request, response)
        return response


# --- the language of an answer ----------------------------------------------------------------


# Chinese as written in Hong Kong and Macau (zh-HK, zh-MO, zh-Hant-HK, …): Django's table of
# languages sends them to zh-hant, whose words here are Taiwan's; the desk has Hong Kong's.
HONG_KONG_REGIONS = ("hk", "mo")


def language_of_tag(tag):
    """The desk's language a language tag of Accept-Language asks for (None: none of them):
    Django's choice, except Hong Kong's and Macau's Chinese, which Django takes for Taiwan's."""
    try:
        chosen = translation.get_supported_language_variant(tag)
    except LookupError:
        return None
    if chosen == "zh-hant" and tag.rsplit("-", 1)[-1].lower() in HONG_KONG_REGIONS:
        return "zh-hant-hk"
    return chosen


def languages_asked(request):
    """The desk's languages the browser's Accept-Language asks for, most wanted first."""
    for tag, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if tag == "*":
            return
        language = language_of_tag(tag)
        if language is not None:
            yield language


def _hong_kong_chinese_asked(request):
    """Whether the language Django chose from Accept-Language (no switch's choice in the
    cookie) was asked for as Hong Kong's or Macau's Chinese."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        try:
            translation.get_supported_language_variant(cookie)
            return False  # the user chose with the switch
        except LookupError:
            pass
    return next(languages_asked(request), None) == "zh-hant-hk"


class DeskLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware: the language the user chose with the switch (its cookie),
    else the browser's Accept-Language, else LANGUAGE_CODE (Simplified Chinese). The API is
    the exception: a client that names no language gets English, the integrators' language,
    rather than the desk's default."""

    def process_request(self, request):
        super().process_request(request)
        if translation.get_language() == "zh-hant" and _hong_kong_chinese_asked(request):
            translation.activate("zh-hant-hk")
            request.LANGUAGE_CODE = "zh-hant-hk"
        if (
            request.path_info.startswith(API_PREFIX)
            and "HTTP_ACCEPT_LANGUAGE" not in request.META
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"


# --- the Content-Security-Policy header, built once -------------------------------------------


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the site's own policy built once per process instead of on
    every response. An answer that changes its policy (csp_update, csp_replace, a nonce) still
    gets it built by django-csp; so do the debug pages django-csp leaves alone."""

    def process_response(self, request, response):
        plain = PolicyParts()
        if (
            self.get_policy_parts(request=request, response=response) != plain
            or self.get_policy_parts(request=request, response=response, report_only=True) != plain
            or response.status_code in (500, 404)
            or getattr(response, "_csp_exempt", False)
            or getattr(response, "_csp_exempt_ro", False)
        ):
            return super().process_response(request, response)
        policies = _default_policies()
        if policies is None:  # per-path exclusions: django-csp decides
            return super().process_response(request, response)
        policy, report_only = policies
        if policy and CSP_HEADER not in response:
            response[CSP_HEADER] = policy
        if report_only and CSP_HEADER_REPORT_ONLY not in response:
            response[CSP_HEADER_REPORT_ONLY] = report_only
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


_policies = {}


def _default_policies():
    """The site's policy and report-only policy (settings), as header values; None when the
    settings exclude paths (django-csp then decides per request)."""
    if not _policies:
        prefixes = [
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        ]
        if any(prefixes):
            return None
        _policies["both"] = (build_policy(), build_policy(report_only=True))
    return _policies["both"]


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()
