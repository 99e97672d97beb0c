"""The digest composer under /review/digests/: reviewers compose, preview, publish and correct;
editors may look. Every change goes through claims/services.py; a published digest is never
offered for editing, and a request to change one is answered 409 with a message."""

from django.contrib import messages
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from claims import published, services
from claims.access import is_editor, is_reviewer, refuse, reviewer_required, role_required
from claims.days import day_range
from claims.forms import ComposerFilterForm, CorrectionForm, DigestForm
from claims.models import Claim, Digest, Verdict
from claims.paging import BadPage, page_number, paginate
from claims.search import search
from claims.views.public import digest_context

FROZEN_MESSAGE = gettext_lazy(
    "This digest is published: it can no longer be changed or deleted. To change it, publish "
    "a corrected version."
)


def _render(request, template, context=None, status=200):
    return render(request, template, context or {}, status=status)


_refuse = refuse
desk_member = role_required(
    lambda user: is_editor(user) or is_reviewer(user),
    gettext_lazy("Only editors and reviewers can see the digests."),
)


PICKER_SIZE = 20  # approved claims offered per page of the composer's "add claims" list


def _in_force():
    return Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.APPROVED)


def _with_verdict(claims):
    """`claims` with their verdict in force (prefetched) and the digest that published them."""
    return claims.select_related("published_entry__digest").prefetch_related(
        Prefetch("verdicts", queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED))
    )


def _row(claim):
    verdict = next(iter(claim.verdicts.all()), None)
    return {
        "claim": claim,
        "verdict": verdict,
        "rating": verdict.rating if verdict else "",
        "published_in": claim.published_entry.digest if claim.published_entry_id else None,
    }


def _offered(ids, filters, number):
    """One page of the approved claims that are not in the draft (`ids`), newest first,
    narrowed by the composer's filters (ComposerFilterForm's cleaned data): text in either
    script or a claim's number, published or not, the verdict, the date it was approved."""
    in_force = _in_force()
    if filters.get("rating"):
        in_force = in_force.filter(rating=filters["rating"])
    in_force = in_force.filter(
        day_range("reviewed_at", filters.get("approved_from"), filters.get("approved_to"))
    )
    others = Claim.objects.filter(Exists(in_force)).exclude(pk__in=ids)
    published = filters.get("published", "no")
    if published in ("no", "yes"):
        others = others.filter(published_entry__isnull=published == "no")
    find = (filters.get("find") or "").strip().lstrip("#")
    order = ["-id"]
    if find.isdecimal() and len(find) < 19:  # the claim of that number first, then the words
        others = others.filter(
            Q(pk=int(find)) | Q(pk__in=search(Claim.objects.all(), find).values("pk"))
        )
        order.insert(0, Case(When(pk=int(find), then=0), default=1))
    elif find:
        others = search(others, find)
    page = paginate(_with_verdict(others).order_by(*order), number, PICKER_SIZE)
    page.items = [_row(claim) for claim in page.items]
    return page


class BadChoice(services.ReviewError):
    pass


def _claim_id(raw):
    raw = str(raw).strip()
    if not raw.isdecimal() or len(raw) > 18:
        raise BadChoice(
            _("“%(value)s” is not a claim number.") % {"value": raw[:20]}, field="claims"
        )
    return int(raw)


def _posted_order(post):
    """The draft's claims in the order the form lists them (one `claims` value per entry),
    with the change a picker button asks for applied: `add` (a claim, at the end), `remove`
    (a claim) or `move` (`up:<id>` / `down:<id>`: one place). Returns (ids, what was done, in
    words); raises BadChoice on values that are not claim numbers or moves."""
    ids = list(dict.fromkeys(_claim_id(value) for value in post.getlist("claims")))
    note = ""
    if post.get("add"):
        pk = _claim_id(post["add"])
        if pk not in ids:
            ids.append(pk)
        note = _("Added #%(id)s, now in place %(place)s.") % {
            "id": pk,
            "place": ids.index(pk) + 1,
        }
    elif post.get("remove"):
        pk = _claim_id(post["remove"])
        if pk in ids:
            ids.remove(pk)
        note = _("Removed #%(id)s.") % {"id": pk}
    elif post.get("move"):
        direction, _colon, raw = post["move"].partition(":")
        if direction not in ("up", "down"):
            raise BadChoice(_("A move is either up or down."), field="claims")
        pk = _claim_id(raw)
        if pk not in ids:
            raise BadChoice(
                _("Claim #%(id)s is not in this digest and cannot be moved.") % {"id": pk},
                field="claims",
            )
        here = ids.index(pk)
        there = here - 1 if direction == "up" else here + 1
        if 0 <= there < len(ids):
            ids[here], ids[there] = ids[there], ids[here]
            if direction == "up":
                note = _("Moved #%(id)s up to place %(place)s.")
            else:
                note = _("Moved #%(id)s down to place %(place)s.")
            note = note % {"id": pk, "place": there + 1}
        elif direction == "up":
            note = _("#%(id)s is already first.") % {"id": pk}
        else:
            note = _("#%(id)s is already last.") % {"id": pk}
    return ids, note


def _entries(ids):
    """The draft's claims as rows, in the order of `ids`; BadChoice for ids of no claim."""
    found = {claim.pk: claim for claim in _with_verdict(Claim.objects.filter(pk__in=ids))}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise BadChoice(
            _("No claim has the number %(ids)s.") % {"ids": ", ".join(unknown)}, field="claims"
        )
    return [_row(found[pk]) for pk in ids]


def _form_page(request, form, digest=None, ids=(), note="", error=None, status=200):
    """The composer: the draft's title and introduction, its claims in order (each with
    buttons to move it up or down or take it out), and a page of approved claims to add,
    narrowed by the filters."""
    data = request.POST if request.method == "POST" else request.GET
    filters = ComposerFilterForm.from_query(data)
    try:
        entries = _entries(list(ids))
    except BadChoice as exc:
        entries, error, status = [], exc.message, 400
    page = None
    if filters.is_valid():
        try:
            page = _offered(ids, filters.cleaned_data, page_number(data, "picker_page"))
        except BadPage as exc:
            error, status = str(exc), 400
    else:
        status = 400  # the filters' messages are shown beside them; nothing is searched
    return _render(
        request,
        "review/digest_form.html",
        {
            "form": form,
            "digest": digest,
            "entries": entries,
            "filters": filters,
            "page": page,
            "note": note,
            "error": error,
        },
        status=status,
    )


PICKER_BUTTONS = ("picker_page", "add", "remove", "move")


def _picking(request):
    """A POST from the composer's own buttons (filter, another page, add, remove, move up or
    down): the form again with what was typed and the order as changed, nothing saved."""
    return request.POST.get("action") == "find" or any(
        name in request.POST for name in PICKER_BUTTONS
    )


def _picker_again(request, digest=None):
    form = DigestForm(
        initial={"title": request.POST.get("title", ""), "intro": request.POST.get("intro", "")}
    )
    try:
        ids, note = _posted_order(request.POST)
    except services.ReviewError as exc:
        ids = _ids_or_nothing(request.POST)
        return _form_page(request, form, digest, ids, error=exc.message, status=400)
    return _form_page(request, form, digest, ids, note=note)


def _ids_or_nothing(post):
    """The posted order without the change asked for, or nothing when it is not readable."""
    try:
        return list(dict.fromkeys(_claim_id(value) for value in post.getlist("claims")))
    except BadChoice:
        return []


def _save(request, digest=None):
    """Save the composer's form: a new draft (`digest` None) or the draft's new title,
    introduction and claims in the order listed, through claims.services. Returns the saved
    digest, or the form page with the reason (nothing saved)."""
    form = DigestForm(request.POST)
    ids = _ids_or_nothing(request.POST)
    try:
        ids, _note = _posted_order(request.POST)
        claims = [row["claim"] for row in _entries(ids)]
        filters = ComposerFilterForm.from_query(request.POST)
        if not form.is_valid() or not filters.is_valid():
            return None, _form_page(request, form, digest, ids, status=400)
        if digest is None:
            services.require_approved_verdicts(claims)
            digest = services.create_digest(
                actor=request.user,
                title=form.cleaned_data["title"],
                claims=claims,
                intro=form.cleaned_data["intro"],
            )
        else:
            services.update_draft_digest(
                digest,
                actor=request.user,
                title=form.cleaned_data["title"],
                intro=form.cleaned_data["intro"],
                claims=claims,
            )
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        return None, _form_page(
            request, form, digest, ids, error=exc.message, status=exc.status_code
        )
    return digest, len(claims)


LIST_PAGE_SIZE = 50  # digests per page of the composer's lists (drafts, published)


def _listed(digests):
    """Digests with who made them (the page's rows get their claim counts once read)."""
    return digests.select_related("corrects", "created_by", "published_by")


@desk_member
def digest_list(request):
    try:
        # Digests are few next to claims: their counts are exact, every page reachable.
        unpublished = Digest.objects.filter(published_at__isnull=True)
        drafts = paginate(
            _listed(unpublished).order_by("-created_at", "-id"),
            page_number(request.GET, "drafts_page"),
            LIST_PAGE_SIZE,
            count=unpublished.count(),
            query=request.GET,
            param="drafts_page",
            anchor="#drafts",
        )
        done = paginate(
            _listed(Digest.objects.published()).order_by("-published_at", "-id"),
            page_number(request.GET),
            LIST_PAGE_SIZE,
            count=Digest.objects.published().count(),
            query=request.GET,
            anchor="#published",
        )
    except BadPage as exc:
        return _refuse(request, str(exc), 400)
    return _render(
        request,
        "review/digest_list.html",
        {
            "drafts": published.with_claim_counts(drafts.items),
            "drafts_page": drafts,
            "published": published.with_claim_counts(done.items),
            "published_page": done,
            "can_compose": services.is_reviewer(request.user),
        },
    )


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_new(request):
    if request.method != "POST":
        return _form_page(request, DigestForm())
    if _picking(request):
        return _picker_again(request)
    digest, result = _save(request)
    if digest is None:
        return result
    messages.success(
        request,
        ngettext(
            "The draft “%(title)s” is saved, with %(n)s claim. Preview it, then publish it.",
            "The draft “%(title)s” is saved, with %(n)s claims. Preview it, then publish it.",
            result,
        )
        % {"title": digest.title, "n": result},
    )
    return redirect("review:digest_detail", pk=digest.pk)


@desk_member
def digest_detail(request, pk):
    digest = get_object_or_404(
        Digest.objects.select_related("corrects", "created_by", "published_by"), pk=pk
    )
    entries = (
        digest.entries.select_related("claim", "verdict")
        .prefetch_related(
            Prefetch(
                "claim__verdicts", queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED)
            )
        )
        .order_by("position", "id")
    )
    rows = []
    for entry in entries:
        # A published entry shows its frozen snapshot; a draft shows the claim as it is now.
        verdict = entry.snapshot.get("verdict") if digest.is_published else None
        if not digest.is_published:
            approved = next(iter(entry.claim.verdicts.all()), None)
            verdict = {"rating": approved.rating} if approved else None
        rows.append(
            {
                "entry": entry,
                "rating": verdict["rating"] if verdict else "",
                "text": entry.text if digest.is_published else entry.claim.text,
            }
        )
    correction = Digest.objects.filter(corrects=digest).first()
    return _render(
        request,
        "review/digest_detail.html",
        {
            "digest": digest,
            "rows": rows,
            "correction": correction,
            "can_compose": services.is_reviewer(request.user),
        },
    )


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_edit(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if digest.is_published:
        return _refuse(request, FROZEN_MESSAGE, 409)
    if request.method != "POST":
        ids = list(digest.entries.order_by("position", "id").values_list("claim_id", flat=True))
        form = DigestForm(initial={"title": digest.title, "intro": digest.intro})
        return _form_page(request, form, digest, ids)
    if _picking(request):
        return _picker_again(request, digest)
    saved, result = _save(request, digest)
    if saved is None:
        return result
    messages.success(request, _("Draft saved."))
    return redirect("review:digest_detail", pk=digest.pk)


@desk_member
def digest_preview(request, pk):
    """The public digest page, rendered from snapshots computed now and not saved."""
    digest = get_object_or_404(Digest.objects.select_related("corrects"), pk=pk)
    if digest.is_published:
        return redirect(digest.get_absolute_url())
    entries, unready = [], []
    for entry in published.freezable_entries(digest):
        if not published.freeze_entry(entry):
            unready.append(entry.claim)
            continue
        entry.shown = published.present(entry.snapshot)
        entries.append(entry)
    context = digest_context(request, digest, entries, preview=True)
    context["unready"] = unready
    return render(request, "public/digest.html", context)


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_publish(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if digest.is_published:
        return _refuse(
            request,
            _(
                "This digest has already been published. It can no longer be changed or "
                "deleted. To change it, publish a corrected version."
            ),
            409,
        )
    context = {
        "digest": digest,
        "entries": digest.entries.select_related("claim").order_by("position", "id"),
    }
    if request.method != "POST":
        return _render(request, "review/digest_publish.html", context)
    if request.POST.get("confirm") != "yes":
        context["error"] = _("Tick the confirmation, then publish.")
        return _render(request, "review/digest_publish.html", context, status=400)
    try:
        services.publish_digest(digest, actor=request.user)
    except services.ReviewError as exc:
        context["error"] = exc.message
        return _render(request, "review/digest_publish.html", context, status=exc.status_code)
    messages.success(
        request, _("“%(title)s” is published: readers can see it now.") % {"title": digest.title}
    )
    return redirect("review:digest_detail", pk=digest.pk)


@reviewer_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_correct(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if not digest.is_published:
        return _refuse(
            request,
            _("Only a published digest needs a correction; a draft can simply be edited."),
            400,
        )
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.start_correction(
                digest,
                actor=request.user,
                note=form.cleaned_data["correction_note"],
                title=form.cleaned_data["title"] or None,
            )
        except services.ReviewError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "The correction draft is made: adjust its claims, then preview and publish "
                    "it. The original version stays as it is."
                ),
            )
            return redirect("review:digest_detail", pk=correction.pk)
    status = 400 if request.method == "POST" else 200
    return _render(
        request, "review/digest_correct.html", {"digest": digest, "form": form}, status=status
    )
