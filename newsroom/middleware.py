"""`Cache-Control: private, no-store` on every editor's answer.

Review pages, the admin, the login pages and the API's token endpoints answer with unpublished
drafts, personal data or credentials: no browser cache, proxy or CDN may keep a copy. The same
holds for every API answer to a signed-in caller (token or session). Anonymous readers' public
pages and API reads keep the caching headers their views set.
"""

from django.db import DatabaseError
from django.utils.functional import empty

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
        if path.startswith(PRIVATE_PREFIXES) or (path.startswith(API_PREFIX) and _signed_in(request)):
            response["Cache-Control"] = PRIVATE
            # An Expires date from a public view must not outlive the no-store either.
            if "Expires" in response:
                del response["Expires"]
        return response
