"""Who may do what on the desk, and the one page that says no.

Roles are Django groups with permissions (see the data migration): editors add claims and
evidence and propose verdicts; reviewers also approve the verdicts of others and publish
digests. Staff use the admin. The four-eyes rule itself is `services.can_approve`.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.translation import gettext_lazy as _

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"


def is_editor(user):
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("claims.add_claim"))
    )


def is_reviewer(user):
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("claims.approve_verdict")
    )


def desk_members(active_only=True):
    """The accounts that can make claims and be given claims to look after
    (services.can_be_assigned): the desk's editors and reviewers and superusers, by name; the
    active ones only, unless asked (a search by who made a claim finds former editors too).
    One query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    people = get_user_model().objects.all()
    if active_only:
        people = people.filter(is_active=True)
    return (
        people.filter(
            Q(is_superuser=True)
            | Q(groups__name__in=[EDITORS_GROUP, REVIEWERS_GROUP])
            | Q(
                user_permissions__codename="add_claim",
                user_permissions__content_type__app_label="claims",
            )
        )
        .distinct()
        .order_by("username")
    )


def refuse(request, message, status=403, back=None, rule=True):
    """The desk's one refusal page: what was refused and why, in the review layout; `back`, a
    page to go to instead; `rule`: a 403 recalls the four-eyes rule, unless it is not why."""
    return render(
        request,
        "review/refused.html",
        {"message": message, "response_status": status, "back": back, "rule": rule},
        status=status,
    )


# A form's address opened as a page (post_only; newsroom.views.method_not_allowed for the rest).
FORM_ONLY = _("This address takes a form sent from a page; it does not open by itself.")


def post_only(page):
    """For a view that takes a form sent from a page and shows no page of its own (in place of
    Django's require_POST): opened any other way (a link, the address entered again, a tab
    restored) it answers 405, allowing POST, with the refusal page saying so and linking to the
    page the form is on, rather than with an empty page. `page` is that page's URL name, given
    the view's own URL arguments, or a callable that takes them and returns its address."""

    def form_page(*args, **kwargs):
        return page(*args, **kwargs) if callable(page) else reverse(page, args=args, kwargs=kwargs)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            response = refuse(request, FORM_ONLY, status=405, back=form_page(*args, **kwargs))
            response["Allow"] = "POST"
            return response

        # Kept by the decorators around it (functools.wraps copies a function's attributes).
        wrapped.form_page = form_page  # type: ignore[attr-defined]
        return wrapped

    return decorator


def page_of_form(address):
    """The address to go back to instead of `address`: the page a form is on when `address` is
    that form's own (post_only), else `address` itself."""
    path = urlsplit(address).path
    prefix = get_script_prefix()
    try:
        match = resolve("/" + path.removeprefix(prefix) if path.startswith(prefix) else path)
    except Resolver404:
        return address
    form_page = getattr(match.func, "form_page", None)
    return address if form_page is None else form_page(*match.args, **match.kwargs)


def json_refusal(request, forbidden):
    """For the desk's JSON endpoints (a page's script asks them): a 401 for a caller who is not
    signed in, a 403 saying `forbidden` for one who is not an editor, None for an editor."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Please log in first.")}, status=401)
    if not is_editor(request.user):
        return JsonResponse({"detail": forbidden}, status=403)
    return None


def role_required(allowed, message):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            from claims.services import NotAllowed

            if not allowed(request.user):
                return refuse(request, message)
            try:
                return view(request, *args, **kwargs)
            except NotAllowed as exc:  # a rule below refused: the same page, its reason
                return refuse(request, exc.message)

        return wrapped

    return decorator


editor_required = role_required(
    is_editor, _("Only editors and reviewers can use the review pages.")
)
reviewer_required = role_required(
    is_reviewer, _("Only reviewers can compose, publish and correct digests.")
)
