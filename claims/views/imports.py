"""Importing articles from the desk: /review/import/ takes many files or .zip files and starts a
background import (sources.uploads expands the zips, sources.jobs stores the files and runs
the import); /review/import/<id>/ shows the job's progress and what happened to each file, in
the editor's language (gettext), and `status.json` is what its script polls while the job runs.
A job whose worker stopped in the middle is started again from its page (`resume/`).

Each file's outcome is worded here from the importer's `code` and `params` (sources.importer,
sources.decoding.REFUSAL_CODES), not from its English message, which stays the command's.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache

from claims.access import editor_required, json_refusal, post_only
from claims.assistant.models import KnownClaim
from claims.models import Verdict
from claims.paging import BadPage, page_number, paginate
from sources import jobs, outcomes
from sources.forms import ArticleUploadForm
from sources.importer import REFUSED, max_bytes_setting
from sources.jobs import job_status, start_upload_import
from sources.models import Article, ImportJob
from sources.uploads import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    MAX_ZIP_MEMBERS,
    UploadRefused,
    expand,
    megabytes,
)

# The recent jobs listed under the form.
RECENT_JOBS = 20
# The known claims shown for one file (the strongest first).
KNOWN_CLAIMS_SHOWN = 5
# Files' results on a page of a job (and at most in one answer of its status.json).
RESULTS_PER_PAGE = 100
# The job page's views of its list, by the key of their count.
OUTCOME_NAMES = {
    "imported": pgettext_lazy("import count", "Imported"),
    "unchanged": pgettext_lazy("import count", "Duplicates"),
    "refused": pgettext_lazy("import count", "Refused"),
    "known_claims": pgettext_lazy("import count", "Repeat a known claim"),
}

# --- each file's result, as the page and its poll show it --------------------------------------


def _articles(results):
    """{id: title} of the results' articles (one query; bodies are not read)."""
    ids = {r["article"] for r in results if r.get("article")}
    if not ids:
        return {}
    return dict(Article.objects.filter(pk__in=ids).values_list("id", "title"))


def _known_claims(article_ids):
    """{article id: [{"claim", "text", "url", "verdict", "state"}]}: the desk's claims each
    article repeats (KnownClaim rows, stored when the article arrived), the strongest first,
    with the verdict in force, or else the one proposed."""
    if not article_ids:
        return {}
    rows = list(
        KnownClaim.objects.filter(article_id__in=article_ids)
        .select_related("claim")
        .only("article_id", "claim_id", "score", "claim__text")
        .order_by("article_id", "-score", "claim_id")
    )
    verdicts: dict[int, Verdict] = {}
    for verdict in Verdict.objects.filter(
        claim_id__in={r.claim_id for r in rows},
        status__in=[Verdict.Status.APPROVED, Verdict.Status.PROPOSED],
    ).order_by("-proposed_at", "-id"):
        kept = verdicts.get(verdict.claim_id)
        if kept is None or (
            verdict.status == Verdict.Status.APPROVED and kept.status != Verdict.Status.APPROVED
        ):
            verdicts[verdict.claim_id] = verdict
    found: dict[int, list[dict]] = {}
    for row in rows:
        items = found.setdefault(row.article_id, [])
        if len(items) >= KNOWN_CLAIMS_SHOWN:
            continue
        in_force = verdicts.get(row.claim_id)
        if in_force is None:
            state, label, rating = "unrated", _("Not rated yet"), ""
        elif in_force.status == Verdict.Status.APPROVED:
            state, rating = "approved", in_force.rating
            label = _("Rated: %(verdict)s") % {"verdict": in_force.get_rating_display()}
        else:
            state, rating = "proposed", in_force.rating
            label = _("Verdict awaiting review: %(verdict)s") % {
                "verdict": in_force.get_rating_display()
            }
        items.append(
            {
                "claim": row.claim_id,
                "text": row.claim.text,
                "url": reverse("review:claim", args=[row.claim_id]),
                "state": state,
                "verdict": label,
                "rating": rating,
            }
        )
    return found


def file_items(rows):
    """The results `rows` ([(position in the job, result)]) as the page shows them (each with
    its own `row_html`): three queries (articles, the claims they repeat, their verdicts),
    whatever the number of files."""
    results = [result for _index, result in rows]
    articles = _articles(results)
    known = _known_claims(list(articles))
    items = []
    for index, result in rows:
        status = result.get("status", REFUSED)
        article_id = result.get("article")
        exists = article_id in articles
        item = {
            "index": index,
            "filename": result.get("filename", ""),
            "status": status,
            "code": result.get("code", ""),
            "label": outcomes.OUTCOME_LABELS.get(status, status),
            "detail": outcomes.detail(result),
            "article": None,
            "known_claims": known.get(article_id, []) if article_id else [],
        }
        if article_id:
            item["article"] = {
                "id": article_id,
                "title": (articles[article_id] or _("Article #%(id)s") % {"id": article_id})
                if exists
                else "",
                "url": reverse("review:article", args=[article_id]) if exists else "",
            }
        item["row_html"] = render_to_string("review/_import_result.html", {"item": item})
        items.append(item)
    return items


def _repeating(results):
    """The ids of the results' articles that repeat a known claim (one query)."""
    ids = {r.get("article") for r in results if r.get("article")}
    if not ids:
        return set()
    return set(KnownClaim.objects.filter(article_id__in=ids).values_list("article_id", flat=True))


def _counts(job, repeating):
    """The job's counts, with the files whose article repeats a known claim (`repeating`)."""
    return {
        "imported": job.imported,
        "unchanged": job.unchanged,
        "refused": job.refused,
        "known_claims": sum(1 for r in job.results if r.get("article") in repeating),
    }


def _with_outcome(results, outcome, repeating):
    """[(position, result)] of the results that have `outcome` (a key of the counts; all of
    them for "")."""
    rows = list(enumerate(results))
    if outcome == "known_claims":
        return [(i, r) for i, r in rows if r.get("article") in repeating]
    if outcome:
        return [(i, r) for i, r in rows if r.get("status", REFUSED) == outcome]
    return rows


def _progress_label(job):
    if job.total:
        return ngettext("%(done)s / %(total)s file", "%(done)s / %(total)s files", job.total) % {
            "done": job.done,
            "total": job.total,
        }
    if job.done:
        return ngettext("%(done)s file processed", "%(done)s files processed", job.done) % {
            "done": job.done
        }
    return _("Counting the files")


# --- the pages -----------------------------------------------------------------------------


class ImportForm(ArticleUploadForm):
    """The admin's upload form (files, encoding), where a .zip is expanded into its files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        files = self.fields["files"]
        files.label = _("Article files or zip")
        files.help_text = _(
            "You can choose several text files at once, or .zip files (their files are "
            "imported one by one; hidden files and data files such as .yaml and .json are not "
            "imported). Each file is imported on its own: one that fails does not affect the "
            "others. Choose at most %(chosen)s files at a time, and pack more into a zip; one "
            "import takes at most %(files)s files, %(total)s together (a zip counted unpacked, "
            "at most %(members)s entries per zip); one file at most %(one)s."
        ) % {
            "chosen": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            "files": MAX_FILES,
            "total": megabytes(MAX_TOTAL_BYTES),
            "members": MAX_ZIP_MEMBERS,
            "one": megabytes(max_bytes_setting()),
        }
        files.error_messages["required"] = _("Choose the files to import.")
        files.widget.attrs["aria-describedby"] = "import-files-help"
        encoding = self.fields["encoding"]
        encoding.error_messages["invalid_choice"] = _("Choose an encoding from the list.")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            data["expanded"] = expand(data["files"])
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc), code="upload_refused") from None
        return data


def _recent_jobs():
    return list(
        ImportJob.objects.select_related("created_by")
        .defer("results", "paths", "error")
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )


@editor_required
def upload(request):
    """The form, and the recent imports; a good upload starts a job and shows its page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            expanded = form.cleaned_data["expanded"]
            job = start_upload_import(
                expanded.files,
                user=request.user,
                encoding=form.cleaned_data["encoding"] or None,
            )
            messages.success(
                request,
                ngettext(
                    "Started importing %(n)s file (import job #%(id)s).",
                    "Started importing %(n)s files (import job #%(id)s).",
                    job.total,
                )
                % {"n": job.total, "id": job.pk},
            )
            if expanded.skipped:
                skipped = len(expanded.skipped)
                names = pgettext("punctuation", ", ").join(expanded.skipped[:5])
                if skipped > 5:
                    text = ngettext(
                        "%(n)s hidden or data file in the zip was not imported: %(names)s and "
                        "others.",
                        "%(n)s hidden or data files in the zip were not imported: %(names)s and "
                        "others.",
                        skipped,
                    )
                else:
                    text = ngettext(
                        "%(n)s hidden or data file in the zip was not imported: %(names)s.",
                        "%(n)s hidden or data files in the zip were not imported: %(names)s.",
                        skipped,
                    )
                messages.info(request, text % {"n": skipped, "names": names})
            return redirect("review:import_job", job.pk)
        status = 400
    jobs = _recent_jobs()
    for job in jobs:
        job.status_label = outcomes.STATUS_LABELS.get(job.status, job.status)
    return render(
        request,
        "review/import.html",
        {"form": form, "jobs": jobs, "recent_jobs": RECENT_JOBS},
        status=status,
    )


@editor_required
def job_page(request, pk):
    """The job's status, progress bar, counts and its files' results (as far as it got), a
    hundred a page, all of them or those of one outcome (`?outcome=`, a key of the counts)."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    repeating = _repeating(job.results)
    counts = _counts(job, repeating)
    outcome, error = request.GET.get("outcome", ""), ""
    if outcome not in ("", *counts):
        outcome, error = (
            "",
            _("“%(value)s” is not an outcome this page can show.") % {"value": outcome[:40]},
        )
    rows = _with_outcome(job.results, outcome, repeating)
    links = dict(count=len(rows), query=request.GET, anchor="#import-results-heading")
    try:
        page = paginate(rows, page_number(request.GET), RESULTS_PER_PAGE, **links)
    except BadPage as exc:
        page, error = paginate(rows, 1, RESULTS_PER_PAGE, **links), str(exc)
    # The page takes the job's new rows as they come while it shows the end of the whole
    # list, until it holds a page's worth.
    live = not outcome and not page.has_next and not page.past_end
    return render(
        request,
        "review/import_job.html",
        {
            "job": job,
            "stalled": jobs.waits_for_a_worker(job),
            "stopped": jobs.has_stopped(job),
            "silent_minutes": jobs.SILENT_TOO_LONG // 60,
            "status_label": outcomes.STATUS_LABELS.get(job.status, job.status),
            "progress_label": _progress_label(job),
            "counts": counts,
            "outcome": outcome,
            "outcome_links": _outcome_links(job, counts, outcome),
            "items": file_items(page.items),
            "page": page,
            "live": live,
            "room": RESULTS_PER_PAGE - len(page.items) if live else 0,
            "next_page_url": page.url(page.number + 1),
            "error": error,
        },
        status=400 if error else 200,
    )


def _outcome_links(job, counts, outcome):
    """The list's views: every file, or the files of one outcome, each with its count and its
    address (the first page)."""
    base = reverse("review:import_job", args=[job.pk])
    views = [("", pgettext("import files", "All"), len(job.results))]
    views += [(key, OUTCOME_NAMES[key], counts[key]) for key in counts]
    return [
        {
            "key": key,
            "label": label,
            "count": count,
            "url": f"{base}?outcome={key}#import-results-heading"
            if key
            else f"{base}#import-results-heading",
            "current": key == outcome,
        }
        for key, label, count in views
    ]


@editor_required
@post_only("review:import_job")
def job_resume(request, pk):
    """Start again a job whose worker stopped in the middle (its page offers it then)."""
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        jobs.resume(job.pk)
    except jobs.NotStopped:
        messages.error(
            request,
            _(
                "This import was not started again: it has not stopped (it is queued, running "
                "or finished)."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "The import is queued again. Its files are imported from the start: those "
                "imported before it stopped show as duplicates, and nothing is imported twice."
            ),
        )
    return redirect("review:import_job", pk=job.pk)


@never_cache
def job_status_json(request, pk):
    """The job for the page's script: status, counts, and the files' results from `?since=`
    (the rows the page already has) on, each with its row as HTML. Editors only."""
    refused = json_refusal(request, _("Only editors and reviewers can see imports."))
    if refused is not None:
        return refused
    since = request.GET.get("since", "0")
    if not since.isdecimal() or len(since) > 9:
        return JsonResponse({"detail": _("since must be a non-negative integer.")}, status=400)
    limit = request.GET.get("limit", str(RESULTS_PER_PAGE))
    if not limit.isdecimal() or len(limit) > 9 or int(limit) > RESULTS_PER_PAGE:
        message = _("limit must be a whole number from 0 to %(most)s.")
        return JsonResponse({"detail": message % {"most": RESULTS_PER_PAGE}}, status=400)
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None:
        return JsonResponse({"detail": _("No such import job.")}, status=404)
    data = job_status(job)
    results = data.pop("results")
    start = min(int(since), len(results))
    rows = list(enumerate(results[start : start + int(limit)], start))
    data.update(
        status_label=str(outcomes.STATUS_LABELS.get(job.status, job.status)),
        stalled=jobs.waits_for_a_worker(job),
        progress_label=_progress_label(job),
        counts=_counts(job, _repeating(results)),
        since=int(since),
        next=start + len(rows),
        results=file_items(rows),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
