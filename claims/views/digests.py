"""The digest composer under /review/digests/: reviewers compose, preview, publish and correct;
editors may look. Every change goes through claims/services.py; a published digest is never
offered for editing, and a request to change one is answered 409 with a message."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from claims import published, services
from claims.access import is_editor, is_reviewer, refuse, reviewer_required, role_required
from claims.forms import CorrectionForm, DigestForm
from claims.models import Claim, Digest, Verdict
from claims.paging import BadPage, page_number, paginate
from claims.search import search
from claims.views.public import digest_context

FROZEN_MESSAGE = "这份摘要已经发布，不能再修改或删除。如需改动，请发布更正版本。"


def _render(request, template, context=None, status=200):
    return render(request, template, context or {}, status=status)


_refuse = refuse
desk_member = role_required(
    lambda user: is_editor(user) or is_reviewer(user), "只有编辑和审核编辑可以查看摘要编排。"
)


PICKER_SIZE = 50  # approved claims offered per page of the composer's picker


def _approved_claims():
    """Claims with a verdict in force: the ones a digest may hold."""
    in_force = Verdict.objects.filter(claim=OuterRef("pk"), status=Verdict.Status.APPROVED)
    return (
        Claim.objects.filter(Exists(in_force))
        .prefetch_related(
            Prefetch("verdicts", queryset=Verdict.objects.filter(status=Verdict.Status.APPROVED))
        )
        .order_by("-id")
    )


def _row(claim, selected_positions):
    verdict = claim.verdicts.all()[0]
    return {
        "claim": claim,
        "label_zh": verdict.label_zh,
        "rating": verdict.rating,
        "checked": claim.pk in selected_positions,
        "position": selected_positions.get(claim.pk, ""),
    }


def _choices(selected_positions, find="", number=1, query=None):
    """The claim picker: every chosen claim (in its order), then one page of the other approved
    claims, newest first, narrowed by `find` (text in either script, or a claim's number).
    Returns (chosen rows, page of rows to add)."""
    chosen = [
        _row(claim, selected_positions)
        for claim in _approved_claims().filter(pk__in=list(selected_positions))
    ]
    chosen.sort(key=lambda r: (r["position"], -r["claim"].pk))
    others = _approved_claims().exclude(pk__in=list(selected_positions))
    find = find.strip().lstrip("#")
    if find.isdecimal() and len(find) < 19:
        others = others.filter(
            Q(pk=int(find)) | Q(pk__in=search(Claim.objects.all(), find).values("pk"))
        )
    elif find:
        others = search(others, find)
    page = paginate(others, number, PICKER_SIZE, query=query, param="picker_page")
    page.items = [_row(claim, selected_positions) for claim in page.items]
    return chosen, page


class BadChoice(services.ReviewError):
    pass


def _chosen_claims(post):
    """The checked claims, ordered by their position numbers (ties keep the list order).

    Returns (claims, {claim_id: position}); raises BadChoice on ids or positions that are not
    numbers or claims that do not exist.
    """
    try:
        ids = [int(value) for value in post.getlist("claims")]
    except ValueError:
        raise BadChoice("所选的说法编号无效。", field="claims") from None
    positions = {}
    for index, pk in enumerate(dict.fromkeys(ids)):
        raw = (post.get(f"position-{pk}") or "").strip()
        try:
            positions[pk] = int(raw) if raw else 1000 + index
        except ValueError:
            raise BadChoice(f"说法 #{pk} 的排序“{raw}”不是数字。", field="claims") from None
    found = Claim.objects.prefetch_related("verdicts").in_bulk(list(positions))
    unknown = [pk for pk in positions if pk not in found]
    if unknown:
        raise BadChoice(f"没有编号为 {', '.join(map(str, unknown))} 的说法。", field="claims")
    ordered = sorted(positions, key=lambda pk: positions[pk])
    return [found[pk] for pk in ordered], positions


def _form_page(request, form, digest=None, positions=None, error=None, status=200):
    data = request.POST if request.method == "POST" else request.GET
    find = (data.get("find") or "")[:200]
    try:
        number = page_number(data, "picker_page")
        chosen, page = _choices(positions or {}, find, number, data)
    except BadPage as exc:
        error, status = str(exc), 400
        chosen, page = _choices(positions or {}, find, 1, data)
    return _render(
        request,
        "review/digest_form.html",
        {
            "form": form,
            "digest": digest,
            "chosen": chosen,
            "page": page,
            "rows": chosen + page.items,
            "find": find,
            "error": error,
        },
        status=status,
    )


def _picking(request):
    """A POST from the picker's own buttons (find, another page): show the form again with
    what was typed and chosen, save nothing."""
    return request.POST.get("action") == "find" or "picker_page" in request.POST


def _picker_again(request, digest=None):
    form = DigestForm(
        initial={"title": request.POST.get("title", ""), "intro": request.POST.get("intro", "")}
    )
    try:
        _claims, positions = _chosen_claims(request.POST)
    except services.ReviewError as exc:
        return _form_page(request, form, digest, error=exc.message, status=exc.status_code)
    return _form_page(request, form, digest, positions)


LIST_PAGE_SIZE = 50  # digests per page of the composer's lists (drafts, published)


def _with_claim_count(digests):
    """Each digest's number of entries (the rows of the page only), and who made it."""
    return digests.annotate(claim_count=published.claim_count()).select_related(
        "corrects", "created_by", "published_by"
    )


@desk_member
def digest_list(request):
    try:
        # Digests are few next to claims: their counts are exact, every page reachable.
        unpublished = Digest.objects.filter(published_at__isnull=True)
        drafts = paginate(
            _with_claim_count(unpublished).order_by("-created_at", "-id"),
            page_number(request.GET, "drafts_page"),
            LIST_PAGE_SIZE,
            count=unpublished.count(),
            query=request.GET,
            param="drafts_page",
            anchor="#drafts",
        )
        published = paginate(
            _with_claim_count(Digest.objects.published()).order_by("-published_at", "-id"),
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
            "drafts": drafts.items,
            "drafts_page": drafts,
            "published": published.items,
            "published_page": published,
            "can_compose": services.is_reviewer(request.user),
        },
    )


@reviewer_required
@require_http_methods(["GET", "POST"])
def digest_new(request):
    if request.method == "GET":
        return _form_page(request, DigestForm())
    if _picking(request):
        return _picker_again(request)
    form = DigestForm(request.POST)
    positions = {}
    try:
        claims, positions = _chosen_claims(request.POST)
        if not form.is_valid():
            return _form_page(request, form, positions=positions, status=400)
        services.require_approved_verdicts(claims)
        digest = services.create_digest(
            actor=request.user,
            title=form.cleaned_data["title"],
            claims=claims,
            intro=form.cleaned_data["intro"],
        )
    except services.ReviewError as exc:
        return _form_page(
            request, form, positions=positions, error=exc.message, status=exc.status_code
        )
    messages.success(
        request, f"草稿《{digest.title}》已保存，共 {len(claims)} 条说法。请预览后发布。"
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
            verdict = (
                {"rating": approved.rating, "label_zh": approved.label_zh} if approved else None
            )
        rows.append(
            {
                "entry": entry,
                "rating": verdict["rating"] if verdict else "",
                "label_zh": verdict.get("label_zh") if verdict else None,
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
@require_http_methods(["GET", "POST"])
def digest_edit(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if digest.is_published:
        return _refuse(request, FROZEN_MESSAGE, 409)
    if request.method == "GET":
        positions = {e.claim_id: e.position + 1 for e in digest.entries.all()}
        form = DigestForm(initial={"title": digest.title, "intro": digest.intro})
        return _form_page(request, form, digest, positions)
    if _picking(request):
        return _picker_again(request, digest)
    form = DigestForm(request.POST)
    positions = {}
    try:
        claims, positions = _chosen_claims(request.POST)
        if not form.is_valid():
            return _form_page(request, form, digest, positions, status=400)
        services.update_draft_digest(
            digest,
            actor=request.user,
            title=form.cleaned_data["title"],
            intro=form.cleaned_data["intro"],
            claims=claims,
        )
    except services.ReviewError as exc:
        return _form_page(
            request, form, digest, positions, error=exc.message, status=exc.status_code
        )
    messages.success(request, "草稿已保存。")
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
@require_http_methods(["GET", "POST"])
def digest_publish(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if digest.is_published:
        return _refuse(request, "这份摘要已经发布过了。" + FROZEN_MESSAGE, 409)
    context = {
        "digest": digest,
        "entries": digest.entries.select_related("claim").order_by("position", "id"),
    }
    if request.method == "GET":
        return _render(request, "review/digest_publish.html", context)
    if request.POST.get("confirm") != "yes":
        context["error"] = "请勾选确认后再发布。"
        return _render(request, "review/digest_publish.html", context, status=400)
    try:
        services.publish_digest(digest, actor=request.user)
    except services.ReviewError as exc:
        context["error"] = exc.message
        return _render(request, "review/digest_publish.html", context, status=exc.status_code)
    messages.success(request, f"《{digest.title}》已发布，读者现在可以看到。")
    return redirect("review:digest_detail", pk=digest.pk)


@reviewer_required
@require_http_methods(["GET", "POST"])
def digest_correct(request, pk):
    digest = get_object_or_404(Digest, pk=pk)
    if not digest.is_published:
        return _refuse(request, "只有已发布的摘要需要更正；草稿可以直接修改。", 400)
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
            messages.success(request, "更正草稿已建立：调整说法后预览并发布，原版本保持不变。")
            return redirect("review:digest_detail", pk=correction.pk)
    status = 400 if request.method == "POST" else 200
    return _render(
        request, "review/digest_correct.html", {"digest": digest, "form": form}, status=status
    )
