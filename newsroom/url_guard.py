"""A control character in a URL's path or query string is a 400, before any view runs.

No page, parameter or API filter takes one, and NUL (`%00`) is worse than useless: PostgreSQL
refuses it in a query, so `/digests/%00/` was a 500 there. The rule on which characters are
control characters is sources.text's, the same that refuses them in what editors send.
"""

from django.http import HttpResponseBadRequest, JsonResponse

from sources.text import control_character_problem

API_PREFIX = "/api/"


def url_problem(request):
    """What is wrong with the request's URL, or "" if nothing is."""
    problem = control_character_problem(request.path)
    if problem:
        return f"The address {problem}."
    # The parameters as the views read them: the WSGI query string is Latin-1 text, so raw
    # UTF-8 bytes in it (clients that do not percent-encode Chinese) only read right decoded.
    for key, values in request.GET.lists():
        for text in (key, *values):
            problem = control_character_problem(text)
            if problem:
                return f"The query string {problem}."
    return ""


class RefuseControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = url_problem(request)
        if not problem:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": problem}, status=400)
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
