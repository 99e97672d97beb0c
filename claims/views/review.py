"""The editors' pages: queue, article reader, claim workbench.

Each view loads, checks, acts through claims/services.py, and renders. A rule's refusal
(`services.NotAllowed`) becomes a 403 page with its message; any other `ReviewError` shows the
page again with the message and the editor's input kept.
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from claims import claim_export, selectors, services
from claims import waiting as waiting_lists
from claims.access import editor_required, is_reviewer
from claims.forms import (
    AddEvidenceForm,
    ApproveForm,
    ArticleQuoteForm,
    CitationForm,
    ClaimEditForm,
    ExportFilterForm,
    NewClaimForm,
    QueueFilterForm,
    ReviewForm,
    VerdictForm,
)
from claims.models import Claim, Verdict
from claims.paging import BadPage, page_number
from sources import markdown
from sources import text as scripts
from sources.models import Article


def _add_error(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- queue -----------------------------------------------------------------------------------


@editor_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters, status = {}, 200
    if form.is_bound:
        if form.is_valid():
            filters = form.cleaned_data
        else:
            status = 400
    pages, error = {}, ""
    for key in selectors.QUEUE_SECTIONS:
        try:
            pages[key] = page_number(request.GET, f"{key}_page")
        except BadPage as exc:
            error, status = str(exc), 400
    arguments = dict(
        q=filters.get("q", ""),
        source=filters.get("source"),
        original_script=filters.get("original_script", ""),
        rating=filters.get("rating", ""),
    )
    try:
        sections = selectors.queue(request.user, pages=pages, query=request.GET, **arguments)
    except BadPage as exc:  # a page beyond the counted rows: show the first pages
        error, status = str(exc), 400
        sections = selectors.queue(request.user, query=request.GET, **arguments)
    # The export links carry the filters (not the page numbers).
    export_query = request.GET.copy()
    for key in list(export_query):
        if key not in ExportFilterForm.base_fields:
            del export_query[key]
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "sections": sections,
            "error": error,
            "export_query": export_query.urlencode(),
        },
        status=status,
    )


@editor_required
def claims_export(request, fmt):
    """The claims the filters keep (the queue's, and `status`), with their verdict and
    evidence, as a CSV or JSON download (claims.claim_export); 400 for a filter it cannot
    read."""
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(
            f"筛选条件无效，未导出 (invalid filter): {problems}\n",
            content_type="text/plain; charset=utf-8",
        )
    claims = claim_export.filtered_claims(**form.cleaned_data)
    return claim_export.RESPONSES[fmt](claims)


@editor_required
def waiting(request):
    """What waits for the signed-in editor (claims.waiting): verdicts to review, their own
    verdicts sent back, published claims that need a correction; each section paged."""
    pages, error, status = {}, "", 200
    for key in waiting_lists.SECTIONS:
        try:
            pages[key] = page_number(request.GET, f"{key}_page")
        except BadPage as exc:
            error, status = str(exc), 400
    try:
        sections = waiting_lists.sections(request, pages)
    except BadPage as exc:  # a page beyond the counted rows: show the first pages
        error, status = str(exc), 400
        sections = waiting_lists.sections(request)
    return render(
        request,
        "review/waiting.html",
        {
            "sections": sections,
            "error": error,
            "is_reviewer": is_reviewer(request.user),
            "limit": waiting_lists.LIMIT,
        },
        status=status,
    )


# --- article reader --------------------------------------------------------------------------


def _script(request):
    value = request.POST.get("script") or request.GET.get("script", "")
    return value if value in scripts.READINGS else None


def _find(form):
    """The text of a picker's search field, bound or initial (at most 200 characters)."""
    return str(form["find"].value() or "")[:200]


def _reader_url(article, script):
    url = reverse("review:article", args=[article.pk])
    return f"{url}?script={script}" if script else url


def _render_reader(request, article, status=200, new_claim_form=None, evidence_form=None):
    script = _script(request)
    blocks, evidence, suggested = selectors.reader(article, script)
    evidence_form = evidence_form or AddEvidenceForm(initial={"find": request.GET.get("find", "")})
    # The claim picker offers a short list, narrowed by its search field (no JavaScript needed).
    evidence_form.offer(*selectors.claim_choices(_find(evidence_form)), empty_label="选择主张…")
    context = {
        "article": article,
        "script": script,
        "title": scripts.to_script(article.display_title, script),
        "boilerplate": scripts.to_script(article.boilerplate, script),
        "blocks": blocks,
        "evidence": evidence,
        "suggested": suggested,
        "new_claim_form": new_claim_form or NewClaimForm(),
        "evidence_form": evidence_form,
    }
    return render(request, "review/article.html", context, status=status)


@editor_required
def article(request, pk):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    return _render_reader(request, article)


@require_POST
@editor_required
def article_new_claim(request, pk):
    """A new claim from a selection or a suggestion, anchored where the editor pointed."""
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    form = NewClaimForm(request.POST)
    if not form.is_valid():
        return _render_reader(request, article, 400, new_claim_form=form)
    data = form.cleaned_data
    try:
        start, end, exact = services.anchor_quote(article, data["quote"], data["start"])
        # A claim is a statement, not a quote: taken from the quote, it leaves the quote's
        # Markdown markup characters out (the evidence keeps the exact quote).
        plain = markdown.plain_slice(article.body, start, end).strip()
        claim = services.create_claim(
            actor=request.user,
            text=data["text"] or plain or exact,
            evidence=[
                {
                    "article": article,
                    "quote": data["quote"],
                    "start": data["start"],
                    "stance": data["stance"],
                }
            ],
        )
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        _add_error(form, exc)
        return _render_reader(request, article, exc.status_code, new_claim_form=form)
    messages.success(request, f"已新建主张 #{claim.pk}，并附上文章中的证据。")
    _warn_of_resembling(request, claim)
    return redirect("review:claim", pk=claim.pk)


def _warn_of_resembling(request, claim):
    """The desk may have this claim already: say which, with links, before work starts."""
    from claims import assistant

    found = assistant.resembling(claim)
    if found:
        links = format_html_join(
            "、",
            '<a href="{}">#{} {}</a>',
            (
                (reverse("review:claim", args=[other.pk]), other.pk, other.text[:40])
                for other, _score in found
            ),
        )
        messages.warning(
            request, format_html("这条主张与已有主张相似：{}。请先看看，避免重复核查。", links)
        )


@require_POST
@editor_required
def article_add_evidence(request, pk):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    if request.POST.get("action") == "find":  # the picker's search: show the form again, narrowed
        return _render_reader(
            request, article, evidence_form=AddEvidenceForm(initial=request.POST.dict())
        )
    form = AddEvidenceForm(request.POST)
    if not form.is_valid():
        return _render_reader(request, article, 400, evidence_form=form)
    data = form.cleaned_data
    try:
        evidence = services.add_evidence(
            data["claim"],
            actor=request.user,
            article=article,
            quote=data["quote"],
            start=data["start"],
            stance=data["stance"],
        )
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        _add_error(form, exc)
        return _render_reader(request, article, exc.status_code, evidence_form=form)
    messages.success(request, f"已把引文加为主张 #{evidence.claim_id} 的证据。")
    return redirect(_reader_url(article, _script(request)) + f"#e-{evidence.pk}")


# --- claim workbench -------------------------------------------------------------------------


def _render_workbench(
    request, claim, status=200, error=None, conflict=None, quote_open=False, **forms
):
    evidence, verdicts, history = selectors.workbench(claim)
    quote_form = forms.get("quote_form") or ArticleQuoteForm(
        initial={"find": request.GET.get("find", "")}
    )
    quote_form.offer(*selectors.article_choices(_find(quote_form)), empty_label="选择文章…")
    for verdict in verdicts:
        verdict.user_can_review = services.can_approve(verdict, actor=request.user)
        verdict.is_own = verdict.proposed_by_id == request.user.pk
    context = {
        "claim": claim,
        "evidence": evidence,
        "verdicts": verdicts,
        "history": history,
        "appearances": selectors.other_appearances(claim, evidence),
        "error": error,
        "conflict": conflict,
        "edit_form": forms.get("edit_form")
        or ClaimEditForm(initial=ClaimEditForm.initial_of(claim), claim=claim, evidence=evidence),
        "quote_form": quote_form,
        "citation_form": forms.get("citation_form") or CitationForm(),
        "verdict_form": forms.get("verdict_form") or VerdictForm(),
        "review_form": ReviewForm(),
        "quote_open": quote_open,
    }
    return render(request, "review/claim.html", context, status=status)


@editor_required
def claim(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    return _render_workbench(request, claim)


@require_POST
@editor_required
def claim_edit(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimEditForm(request.POST, claim=claim)
    if not form.is_valid():
        return _render_workbench(request, claim, 400, edit_form=form)
    data = form.cleaned_data
    try:
        origin = {name: data[name] for name in services.ORIGIN_FIELDS}
        if origin["first_appearance"] is not None:
            origin["first_appearance"] = Article.objects.get(pk=origin["first_appearance"])
        services.update_claim(
            claim,
            actor=request.user,
            version=data["version"],
            text=data["text"],
            gloss=data["gloss"],
            **origin,
        )
    except services.StaleEdit as exc:
        # Nothing is lost: the colleague's text is shown, the editor's text stays in the form,
        # now against the current version, to be saved again on purpose.
        current = exc.current
        form = ClaimEditForm(initial={**data, "version": current.version}, claim=current)
        return _render_workbench(
            request,
            current,
            409,
            edit_form=form,
            conflict={
                "current": current,
                "text": data["text"],
                "gloss": data["gloss"],
            },
        )
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        _add_error(form, exc)
        return _render_workbench(request, claim, exc.status_code, edit_form=form)
    messages.success(request, "主张文字已保存。")
    return redirect("review:claim", pk=claim.pk)


def _workbench_form(request, pk, form_class, form_name, action, done_message, anchor):
    """A workbench form: validate it, hand its data to `action` (a service call); a refusal
    is shown on the workbench with the editor's input kept (NotAllowed goes to the 403 page)."""
    claim = get_object_or_404(Claim, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_workbench(request, claim, 400, **{form_name: form})
    try:
        action(claim, actor=request.user, **form.cleaned_data)
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        _add_error(form, exc)
        return _render_workbench(request, claim, exc.status_code, **{form_name: form})
    messages.success(request, done_message)
    return redirect(reverse("review:claim", args=[claim.pk]) + anchor)


@require_POST
@editor_required
def claim_add_quote(request, pk):
    if request.POST.get("action") == "find":  # the picker's search: show the form again, narrowed
        claim = get_object_or_404(Claim, pk=pk)
        form = ArticleQuoteForm(initial=request.POST.dict())
        return _render_workbench(request, claim, quote_form=form, quote_open=True)
    return _workbench_form(
        request,
        pk,
        ArticleQuoteForm,
        "quote_form",
        services.add_evidence,
        "证据已添加。",
        "#evidence",
    )


@require_POST
@editor_required
def claim_add_citation(request, pk):
    return _workbench_form(
        request,
        pk,
        CitationForm,
        "citation_form",
        services.add_evidence,
        "证据已添加。",
        "#evidence",
    )


@require_POST
@editor_required
def verdict_propose(request, pk):
    return _workbench_form(
        request,
        pk,
        VerdictForm,
        "verdict_form",
        services.propose_verdict,
        "结论已提出，等待审核员批准（提出者本人不能批准）。",
        "#verdicts",
    )


def _review(request, pk, form_class, action, done_message):
    verdict = get_object_or_404(Verdict.objects.select_related("claim"), pk=pk)
    try:
        services.check_reviewable(verdict, actor=request.user)  # who may, before what
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        return _render_workbench(request, verdict.claim, exc.status_code, error=exc.message)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_workbench(request, verdict.claim, 400, error=_first_error(form))
    try:
        action(verdict, actor=request.user, **form.cleaned_data)
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        return _render_workbench(request, verdict.claim, exc.status_code, error=exc.message)
    messages.success(request, done_message)
    return redirect(reverse("review:claim", args=[verdict.claim_id]) + "#verdicts")


def _first_error(form):
    if "claim_version" in form.errors:
        return "页面上的主张版本缺失或无效，请重新打开主张页面后再批准。"
    return "意见太长（最多 5000 字）。"


@require_POST
@editor_required
def verdict_approve(request, pk):
    return _review(request, pk, ApproveForm, services.approve_verdict, "结论已批准生效。")


@require_POST
@editor_required
def verdict_send_back(request, pk):
    return _review(request, pk, ReviewForm, services.send_back_verdict, "结论已退回，并附上意见。")
