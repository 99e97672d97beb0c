"""The editors' pages: queue, article reader, claim workbench.

Each view loads, checks, acts through claims/services.py, and renders. A rule's refusal
(`services.NotAllowed`) becomes a 403 page with its message; any other `ReviewError` shows the
page again with the message and the editor's input kept.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims import claim_export, selectors, services
from claims import waiting as waiting_lists
from claims.access import (
    desk_members,
    editor_required,
    is_reviewer,
    json_refusal,
    post_only,
    refuse,
)
from claims.forms import (
    AddEvidenceForm,
    ApproveForm,
    ArticleQuoteForm,
    BulkActionForm,
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
    members = list(desk_members())  # the filter's and the bulk form's "who" (one query)
    form = QueueFilterForm(request.GET or None, user=request.user, members=members)
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
        assignee=filters.get("assignee", ""),
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
    can_compose = is_reviewer(request.user)
    back = request.GET.copy()
    back.pop("select", None)
    bulk_form = BulkActionForm(
        user=request.user,
        members=members,
        drafts=None if can_compose else [],  # only reviewers compose digests
        initial={"back": back.urlencode()},
    )
    _select_links(sections, request.GET)
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "sections": sections,
            "error": error,
            "export_query": export_query.urlencode(),
            "bulk_form": bulk_form,
            "can_compose": can_compose,
        },
        status=status,
    )


CLAIM_SECTIONS = ("no_evidence", "waiting", "approved")  # the sections whose rows are claims


def _select_links(sections, query):
    """Each claim section's "select all on this page" link (`?select=<key>`: the page comes
    back with the section's boxes ticked, no JavaScript needed) and the link that undoes it;
    the queue's script turns them into a checkbox."""
    chosen = query.get("select", "")
    for section in sections:
        section.selectable = section.key in CLAIM_SECTIONS
        section.selected = section.selectable and chosen == section.key
        other = query.copy()
        other.pop("select", None)
        if not section.selected:
            other["select"] = section.key
        section.select_url = f"?{other.urlencode()}#{section.key}"


def _queue_url(back):
    """The queue with the filters and pages of `back` (the query string it was shown with)."""
    query = QueryDict(back or "", mutable=True)
    query.pop("select", None)
    url = reverse("review:queue")
    return f"{url}?{query.urlencode()}" if query else url


def _listed(items):
    """Items as a list in the user's language (#1、#2 in Chinese, #1, #2 in English)."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def _numbers(claims, limit=20):
    """#1、#2、#3 … (at most `limit` numbers, then how many more)."""
    shown = _listed(f"#{c.pk}" for c in claims[:limit])
    if len(claims) > limit:
        return _("%(numbers)s and more (%(count)s in all)") % {
            "numbers": shown,
            "count": len(claims),
        }
    return shown


def _with_html(message, **values):
    """A translated message (trusted, plain text) with values put in: the values are escaped
    unless they are already safe HTML (links)."""
    return mark_safe(
        conditional_escape(message) % {k: conditional_escape(v) for k, v in values.items()}
    )


# Why a bulk action left a claim out, in the desk's words (services.Refusal.code).
REFUSALS = {
    "no_approved_verdict": gettext_lazy(
        "No approved verdict yet (another reviewer must approve one first)"
    ),
    "already_in_digest": gettext_lazy("Already in this draft"),
}


@editor_required
@post_only("review:queue")
def claims_bulk(request):
    """The queue's bulk actions on the ticked claims, each one service call in one
    transaction: add them to a draft digest (services.add_claims_to_digest; reviewers) or give
    them to an editor or reviewer (services.assign_claims). Back to the queue with what was
    done and what was left out and why; bad input is a 400 page and changes nothing."""
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        problems = pgettext("list separator", "; ").join(
            str(e) for errors in form.errors.values() for e in errors
        )
        return refuse(
            request, _("Bulk action not done: %(problems)s") % {"problems": problems}, 400
        )
    data = form.cleaned_data
    found = Claim.objects.in_bulk(data["claims"])
    unknown = [str(pk) for pk in data["claims"] if pk not in found]
    if unknown:
        return refuse(
            request,
            _("There is no claim numbered %(numbers)s; the bulk action was not done.")
            % {"numbers": _listed(unknown[:20])},
            400,
        )
    claims = [found[pk] for pk in data["claims"]]
    try:
        if data["action"] == "assign":
            _bulk_assign(request, claims, data["assignee"])
        else:
            _bulk_add_to_digest(request, claims, data["digest"], data["title"])
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        return refuse(
            request,
            _("Bulk action not done: %(problems)s") % {"problems": exc.message},
            exc.status_code,
        )
    return redirect(_queue_url(data["back"]))


def _bulk_assign(request, claims, assignee):
    changed, unchanged = services.assign_claims(claims, actor=request.user, assignee=assignee)
    name = assignee.get_username() if assignee else ""
    if changed:
        values = {"count": len(changed), "name": name, "numbers": _numbers(changed)}
        if assignee:
            done = ngettext(
                "Assigned %(count)s claim to %(name)s: %(numbers)s.",
                "Assigned %(count)s claims to %(name)s: %(numbers)s.",
                len(changed),
            )
        else:
            done = ngettext(
                "Unassigned %(count)s claim: %(numbers)s.",
                "Unassigned %(count)s claims: %(numbers)s.",
                len(changed),
            )
        messages.success(request, done % values)
    if unchanged:
        values = {"count": len(unchanged), "name": name, "numbers": _numbers(unchanged)}
        if assignee:
            state = ngettext(
                "%(count)s claim was already assigned to %(name)s, left unchanged: %(numbers)s.",
                "%(count)s claims were already assigned to %(name)s, left unchanged: %(numbers)s.",
                len(unchanged),
            )
        else:
            state = ngettext(
                "%(count)s claim had no assignee already, left unchanged: %(numbers)s.",
                "%(count)s claims had no assignee already, left unchanged: %(numbers)s.",
                len(unchanged),
            )
        messages.info(request, state % values)


def _bulk_add_to_digest(request, claims, digest, title):
    new = digest is None
    digest, added, refused = services.add_claims_to_digest(
        digest, actor=request.user, claims=claims, title=title
    )
    if added:
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("review:digest_edit", args=[digest.pk]),
            pgettext("title quotes", "“%(title)s”") % {"title": digest.title},
        )
        if new:
            done = ngettext(
                "Made the new draft %(link)s with %(count)s claim (%(numbers)s). You can "
                "reorder the claims in the draft.",
                "Made the new draft %(link)s with %(count)s claims (%(numbers)s). You can "
                "reorder the claims in the draft.",
                len(added),
            )
        else:
            done = ngettext(
                "Added to the draft %(link)s: %(count)s claim (%(numbers)s). You can reorder "
                "the claims in the draft.",
                "Added to the draft %(link)s: %(count)s claims (%(numbers)s). You can reorder "
                "the claims in the draft.",
                len(added),
            )
        messages.success(
            request, _with_html(done, link=link, count=len(added), numbers=_numbers(added))
        )
    if refused:
        reasons = pgettext("list separator", "; ").join(
            _("%(numbers)s: %(reason)s")
            % {"numbers": _numbers([r.claim for r in group]), "reason": REFUSALS.get(code, code)}
            for code, group in _grouped(refused)
        )
        if new and not added:
            left_out = ngettext(
                "No draft was made; %(count)s claim was not added: %(reasons)s.",
                "No draft was made; %(count)s claims were not added: %(reasons)s.",
                len(refused),
            )
        else:
            left_out = ngettext(
                "%(count)s claim was not added: %(reasons)s.",
                "%(count)s claims were not added: %(reasons)s.",
                len(refused),
            )
        messages.error(request, left_out % {"count": len(refused), "reasons": reasons})


def _grouped(refused):
    """The refusals grouped by reason, in the order the reasons first occur."""
    groups: dict = {}
    for refusal in refused:
        groups.setdefault(refusal.code, []).append(refusal)
    return groups.items()


@require_safe
@never_cache
def claim_picker(request):
    """The claim pickers' search (static/review/claim_picker.js): `?q=` text in either
    script or a claim's number, `?limit=` 1–20 (default 20); answers at most that many claims,
    the claim of that number first, then the newest matches, and whether there are more.
    Editors only: 401 anonymous, 403 others; a query over 200 characters, with a control
    character, or a bad limit is a 400."""
    refused = json_refusal(request, _("Only editors and reviewers can look up claims."))
    if refused is not None:
        return refused
    q = request.GET.get("q", "")
    cap = selectors.CLAIM_CHOICES
    raw = request.GET.get("limit", "").strip()
    problem = ""
    if len(q) > 200:
        problem = _("q is at most 200 characters (got %(count)s).") % {"count": len(q)}
    elif scripts.control_character_problem(q):
        problem = _("q holds control characters; please remove them.")
    elif raw and not (raw.isdecimal() and len(raw) < 4 and 1 <= int(raw) <= cap):
        problem = _("limit must be a whole number from 1 to %(cap)s.") % {"cap": cap}
    if problem:
        return JsonResponse(
            {"detail": problem}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    claims, more = selectors.claim_choices(q, int(raw) if raw else cap)
    results = [
        {
            "id": claim.pk,
            "label": f"#{claim.pk} {claim.text[:60]}",
            "text": claim.text[:300],
            "url": reverse("review:claim", args=[claim.pk]),
        }
        for claim in claims
    ]
    return JsonResponse(
        {"q": q, "count": len(results), "more": more, "results": results},
        json_dumps_params={"ensure_ascii": False},
    )


@editor_required
def claims_export(request, fmt):
    """The claims the filters keep (the queue's, and `status`), with their verdict and
    evidence, as a CSV or JSON download (claims.claim_export); 400 for a filter it cannot
    read."""
    form = ExportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(
            _("Invalid filter, nothing exported: %(problems)s") % {"problems": problems} + "\n",
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
    # The claim is chosen by number; its search field lists what it finds (no JavaScript
    # needed), each with a button that picks it; the script asks review:claim_picker instead.
    find = _find(evidence_form).strip()
    matches, more_matches = selectors.claim_choices(find) if find else ([], False)
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
        "claim_find": find,
        "claim_matches": matches,
        "more_matches": more_matches,
        "chosen_claim": _chosen_claim(evidence_form),
    }
    return render(request, "review/article.html", context, status=status)


def _chosen_claim(form):
    """The claim whose number the evidence form holds, to show its words beside it."""
    try:
        return form.fields["claim"].to_python(form["claim"].value())
    except forms.ValidationError:
        return None


@editor_required
def article(request, pk):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    return _render_reader(request, article)


@editor_required
@post_only("review:article")
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
    messages.success(
        request, _("Claim #%(id)s created, with the evidence from the article.") % {"id": claim.pk}
    )
    _warn_of_resembling(request, claim)
    return redirect("review:claim", pk=claim.pk)


def _warn_of_resembling(request, claim):
    """The desk may have this claim already: say which, with links, before work starts."""
    from claims import assistant

    found = assistant.resembling(claim)
    if found:
        links = format_html_join(
            pgettext("list separator", ", "),
            '<a href="{}">#{} {}</a>',
            (
                (reverse("review:claim", args=[other.pk]), other.pk, other.text[:40])
                for other, _score in found
            ),
        )
        messages.warning(
            request,
            _with_html(
                _(
                    "This claim resembles claims the desk has: %(links)s. Please look at them "
                    "first, to avoid checking it twice."
                ),
                links=links,
            ),
        )


@editor_required
@post_only("review:article")
def article_add_evidence(request, pk):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    if request.POST.get("action") == "find" or "pick" in request.POST:
        # The picker's search, or one of the claims it found picked: the form again, the
        # quote kept, nothing added.
        initial = request.POST.dict()
        pick = initial.pop("pick", None)
        if pick is not None:
            if not pick.isdecimal() or len(pick) > 18:
                return refuse(
                    request,
                    _("“%(pick)s” is not a claim number; no claim was picked.")
                    % {"pick": pick[:20]},
                    400,
                )
            initial["claim"] = pick
        return _render_reader(request, article, evidence_form=AddEvidenceForm(initial=initial))
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
    messages.success(
        request, _("The quote is now evidence for claim #%(id)s.") % {"id": evidence.claim_id}
    )
    return redirect(_reader_url(article, _script(request)) + f"#e-{evidence.pk}")


# --- claim workbench -------------------------------------------------------------------------


APPEARANCES_PARAM = "appearances_page"
APPEARANCES_PAGE_SIZE = 10


def _appearances(request, claim, evidence):
    """(page, error): a page of the other articles where the claim appears; an
    `?appearances_page=` that names no page gives the first page and says why."""
    found = selectors.other_appearances(claim, evidence)
    links = dict(
        query=request.GET,
        param=APPEARANCES_PARAM,
        anchor="#appearances",
        path=reverse("review:claim", args=[claim.pk]),  # a form's answer links there too
    )
    try:
        number = page_number(request.GET, APPEARANCES_PARAM)
        return selectors.appearance_page(found, number, APPEARANCES_PAGE_SIZE, **links), ""
    except BadPage as exc:
        return selectors.appearance_page(found, 1, APPEARANCES_PAGE_SIZE, **links), str(exc)


def _render_workbench(
    request, claim, status=200, error=None, conflict=None, quote_open=False, **forms
):
    evidence, verdicts, history = selectors.workbench(claim)
    quote_form = forms.get("quote_form") or ArticleQuoteForm(
        initial={"find": request.GET.get("find", "")}
    )
    quote_form.offer(
        *selectors.article_choices(_find(quote_form)), empty_label=_("Choose an article…")
    )
    for verdict in verdicts:
        verdict.user_can_review = services.can_approve(verdict, actor=request.user)
        verdict.is_own = verdict.proposed_by_id == request.user.pk
    appearances, page_error = _appearances(request, claim, evidence)
    if page_error and status == 200:
        status = 400
    context = {
        "claim": claim,
        "evidence": evidence,
        "verdicts": verdicts,
        "history": history,
        "appearances": appearances,
        "error": error or page_error,
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


@editor_required
@post_only("review:claim")
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
    messages.success(request, _("The claim's text is saved."))
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


@editor_required
@post_only("review:claim")
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
        _("Evidence added."),
        "#evidence",
    )


@editor_required
@post_only("review:claim")
def claim_add_citation(request, pk):
    return _workbench_form(
        request,
        pk,
        CitationForm,
        "citation_form",
        services.add_evidence,
        _("Evidence added."),
        "#evidence",
    )


@editor_required
@post_only("review:claim")
def verdict_propose(request, pk):
    return _workbench_form(
        request,
        pk,
        VerdictForm,
        "verdict_form",
        services.propose_verdict,
        _("Verdict proposed; it waits for a reviewer's approval (its proposer cannot approve it)."),
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
        return _(
            "The claim version on the page is missing or not valid; open the claim's page "
            "again, then approve."
        )
    return _("The comment is too long (at most 5000 characters).")


def _verdict_page(pk):
    """The page a verdict's approve and send-back forms are on: its claim's (the list of
    verdicts waiting, for a verdict that is not there)."""
    claim_id = Verdict.objects.filter(pk=pk).values_list("claim_id", flat=True).first()
    if claim_id is None:
        return reverse("review:waiting")
    return reverse("review:claim", args=[claim_id])


@editor_required
@post_only(_verdict_page)
def verdict_approve(request, pk):
    return _review(
        request,
        pk,
        ApproveForm,
        services.approve_verdict,
        _("Verdict approved; it is now in force."),
    )


@editor_required
@post_only(_verdict_page)
def verdict_send_back(request, pk):
    return _review(
        request,
        pk,
        ReviewForm,
        services.send_back_verdict,
        _("Verdict sent back, with the comment."),
    )
