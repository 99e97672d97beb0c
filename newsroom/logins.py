"""Login limits (django-axes) for every way in: the admin, the review pages' login and the
API's token endpoint.

Failures are kept in the database (axes' AccessAttempt), so every worker process sees the same
count, staff can see and clear them in the admin, and `manage.py axes_reset_ip` /
`axes_reset_username` lift a lockout. Two limits, both counted over the cool-off window
(settings.AXES_COOLOFF_TIME since the last failure):

- an account, from one address: NEWSROOM_LOGIN_FAILURES failures (5). Somebody guessing an
  editor's password from one place is stopped, and the editor can still log in from the
  newsroom: a stranger cannot lock them out.
- an address, for every account: NEWSROOM_LOGIN_ADDRESS_FAILURES failures (30). Somebody
  trying one password on many accounts is stopped, while a newsroom behind one NAT address
  is not locked out by a few colleagues' typos.

While locked out even the right password is refused; HTML logins get a page in the user's
language, the API a JSON 429; both say when to try again (Retry-After).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


class DeskAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the address-only count.

    Axes compares one number with one limit (AXES_FAILURE_LIMIT, the per-account limit), so
    get_failures reports each count in units of that limit: an address with
    NEWSROOM_LOGIN_ADDRESS_FAILURES failures weighs as much as an account at its limit."""

    def get_failures(self, request, credentials=None):
        account_limit = get_failure_limit(request, credentials)
        address_limit = max(1, settings.NEWSROOM_LOGIN_ADDRESS_FAILURES)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials)):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                count = count * account_limit // address_limit
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request, credentials=None):
        """After a successful login: forget that account's failures from that address, not
        the address's failures with other accounts (else one valid account would reset a
        spray's count)."""
        return _forget(get_client_username(request, credentials), request.axes_ip_address)


def _forget(username, ip_address):
    count, _ = AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    return count


def forget_failures(request, user):
    """What a successful login does (AXES_RESET_ON_SUCCESS), for logins that do not go through
    django.contrib.auth.login (the API's token endpoint)."""
    if (
        settings.AXES_ENABLED
        and settings.AXES_RESET_ON_SUCCESS
        and hasattr(request, "axes_ip_address")
    ):
        _forget(user.get_username(), request.axes_ip_address)


def cool_off_minutes(request=None):
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else None


def locked_out_message(request=None):
    """In the request's language (the API's is English unless the client asks for another)."""
    minutes = cool_off_minutes(request) or 15
    return ngettext(
        "Too many failed logins: try again in %(minutes)s minute, or ask a desk administrator "
        "to unlock the account.",
        "Too many failed logins: try again in %(minutes)s minutes, or ask a desk administrator "
        "to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def is_locked_out(request):
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: JSON for the API, a page for people."""
    cool_off = get_cool_off(request)
    retry_after = str(int(cool_off.total_seconds())) if cool_off else None
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": locked_out_message(request)}, status=status)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": cool_off_minutes(request)},
            status=status,
        )
    if retry_after:
        response["Retry-After"] = retry_after
    return response
