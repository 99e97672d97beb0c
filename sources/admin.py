"""Admin for sources and articles: useful columns, search across scripts, and an upload form
that imports through the same function as `manage.py import_articles`."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from newsroom.admin_people import PeopleByName
from newsroom.admin_widgets import CheckedAutocompleteFields
from newsroom.db import count_per_row
from sources import outcomes
from sources import text as scripts
from sources.decoding import too_large
from sources.forms import ArticleAdminForm, ArticleUploadForm
from sources.importer import (
    IMPORTED,
    REFUSED,
    UNCHANGED,
    ImportReport,
    import_bytes,
    max_bytes_setting,
    refusal,
)
from sources.jobs import has_stopped, read_upload, start_upload_import
from sources.models import Article, ImportJob, Source
from sources.publishers import SourceCache


def cross_script_filter(search_term, *plain_fields, folded_field=None):
    """A Q that every word of `search_term` must match: the script-folded word in
    `folded_field` (so 裁員 finds 裁员 and 軟體 finds 软件), or the word in any of its spellings
    (`sources.text.spellings`) in one of `plain_fields`, kept in their original script."""
    condition = Q()
    for word in search_term.split():
        either = Q()
        if folded_field:
            either |= Q(**{f"{folded_field}__contains": scripts.fold(word)})
        for spelling in scripts.spellings(word):
            for field in plain_fields:
                either |= Q(**{f"{field}__icontains": spelling})
        condition &= either
    return condition


class CrossScriptSearch:
    """An admin whose `search_fields` hold text in its original script: each word of a search
    must be in one of them, in any of its spellings (cross_script_filter): 裁员 finds 裁員."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(cross_script_filter(search_term, *self.search_fields)), False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "article_count", "homepage")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    search_help_text = gettext_lazy(
        "The source's name (Simplified and Traditional find each other)"
    )
    prepopulated_fields = {"slug": ("name",)}
    # By name, as the model orders them: the article count's GROUP BY drops a model's default
    # ordering, and the article form's source picker (autocomplete) pages through this list.
    ordering = (Lower("name"), "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=gettext_lazy("Number of articles"), ordering="article_count")
    def article_count(self, source):
        return source.article_count

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        folded = scripts.fold_compact(search_term)
        if not folded:
            return results, duplicates
        # Sources are few: fold their names here rather than store a folded column.
        ids = [
            pk
            for pk, name in Source.objects.values_list("pk", "name")
            if folded in scripts.fold_compact(name)
        ]
        return queryset.filter(Q(pk__in=results.values("pk")) | Q(pk__in=ids)), duplicates


def _evidence_refusal(articles):
    """The message refusing to delete articles that evidence points at, or None."""
    blocked = articles.filter(Q(evidence__isnull=False) | Q(citations__isnull=False)).distinct()
    names = [f"#{a.pk} {a}" for a in blocked[:10]]
    if not names:
        return None
    return _(
        "Cannot delete: these articles are the evidence of claims, and deleting them would leave "
        "reviewed evidence without its source: %(articles)s. Remove this evidence from the "
        "claims first."
    ) % {"articles": pgettext("list separator", "; ").join(names)}


@admin.register(Article)
class ArticleAdmin(CheckedAutocompleteFields, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("shown_title", "source", "published_on", "script", "claim_count", "imported_at")
    list_filter = ("source", "script", "published_on")
    list_select_related = ("source",)
    search_fields = ("title",)  # shows the search box; get_search_results does the work
    search_help_text = gettext_lazy(
        "Title and text (Simplified and Traditional find each other: 裁員 = 裁员, "
        "軟體 = 软件), file name, source"
    )
    autocomplete_fields = ("source",)
    date_hierarchy = "published_on"
    fields = (
        "title",
        "source",
        "published_on",
        "url",
        "tags",
        "script",
        "filename",
        "encoding",
        "imported_at",
        "body",
        "boilerplate",
        "fingerprint",
        "search_text",
    )
    # What the importer derived from the file is not for hand editing.
    readonly_fields = (
        "body",
        "boilerplate",
        "script",
        "fingerprint",
        "search_text",
        "encoding",
        "filename",
        "imported_at",
    )
    actions = ["delete_selected"]

    def get_queryset(self, request):
        # The number of claims quoting each article, for the rows shown (newsroom.db). The
        # evidence model is the claims app's, reached through the relation (sources never
        # imports claims).
        evidence = Article._meta.get_field("evidence").related_model
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=count_per_row(evidence, "article", "claim", distinct=True))
        )

    @admin.display(description=gettext_lazy("Title"), ordering="title")
    def shown_title(self, article):
        return article.display_title

    @admin.display(description=gettext_lazy("Number of claims"), ordering="claim_count")
    def claim_count(self, article):
        return article.claim_count

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        condition = cross_script_filter(
            search_term, "filename", "source__name", folded_field="search_text"
        )
        return queryset.filter(condition), False

    # --- deleting: never an article that evidence points at ---------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            refusal = _evidence_refusal(Article.objects.filter(pk=article.pk))
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return redirect(reverse("admin:sources_article_change", args=[article.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=gettext_lazy("Delete the selected articles"))
    def delete_selected(self, request, queryset):
        refusal = _evidence_refusal(queryset)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    # --- uploading -------------------------------------------------------------------------

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="sources_article_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """Import uploaded files with import_bytes; one message per file, as the command prints."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = form.cleaned_data["files"]
            if len(files) > getattr(settings, "NEWSROOM_IMPORT_BACKGROUND_FILES", 20):
                # Many files: the worker imports them (sources.jobs); the job's page shows how
                # far it got and what happened to each file.
                job = start_upload_import(
                    files, user=request.user, encoding=form.cleaned_data["encoding"] or None
                )
                queued = ngettext(
                    "%(count)s file queued for import (import job #%(id)s).",
                    "%(count)s files queued for import (import job #%(id)s).",
                    job.total,
                ) % {"count": job.total, "id": job.pk}
                messages.add_message(request, messages.INFO, queued)
                return redirect("admin:sources_importjob_change", job.pk)
            report = self._import_uploads(
                form.cleaned_data["files"], form.cleaned_data["encoding"] or None
            )
            for result in report.results:
                messages.add_message(
                    request, _LEVELS[result.status], outcomes.line(result.as_stored())
                )
            messages.add_message(
                request, messages.SUCCESS if report.ok else messages.WARNING, _summary(report)
            )
            return redirect("admin:sources_article_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import article files"),
            "form": form,
            "max_megabytes": round(max_bytes_setting() / 1024 / 1024, 1),
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/sources/article/upload.html", context, status=status
        )

    @staticmethod
    def _import_uploads(uploads, encoding):
        max_bytes = max_bytes_setting()
        sources = SourceCache()
        report = ImportReport([])
        for upload in uploads:
            data = read_upload(upload, max_bytes)
            if data is None:  # refused unread, like the command does
                result = refusal(upload.name, too_large(upload.size, max_bytes))
            else:
                result = import_bytes(
                    data, upload.name, encoding=encoding, max_bytes=max_bytes, sources=sources
                )
            report.add(result)
        return report


@admin.register(ImportJob)
class ImportJobAdmin(PeopleByName, admin.ModelAdmin):
    """Background imports (sources.jobs): read-only, with each file's outcome."""

    list_display = (
        "__str__",
        "status",
        "progress",
        "imported",
        "unchanged",
        "refused",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)
    fields = (
        "status",
        "progress",
        "imported",
        "unchanged",
        "refused",
        "error",
        "encoding",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "file_results",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may upload may follow their imports.
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "sources.add_article"
        )

    @admin.display(description=gettext_lazy("Progress"))
    def progress(self, job):
        if has_stopped(job):
            # Its worker stopped in the middle: the desk's page for the job starts it again.
            return format_html(
                '{} · <a href="{}">{}</a>',
                f"{job.done} / {job.total}",
                reverse("review:import_job", args=[job.pk]),
                _("stopped: start it again from its page"),
            )
        return f"{job.done} / {job.total}"

    # The outcomes listed here; a job of more files lists the rest on its page in the desk,
    # a page at a time and one outcome's files on asking.
    RESULTS_SHOWN = 100

    @admin.display(description=gettext_lazy("Each file's outcome"))
    def file_results(self, job):
        if not job.results:
            return "—"
        rows = format_html_join(
            "",
            "<li>{}</li>",
            ((outcomes.line(r),) for r in job.results[: self.RESULTS_SHOWN]),
        )
        more = len(job.results) - self.RESULTS_SHOWN
        if more > 0:
            rows += format_html(
                '<li><a href="{}">{}</a></li>',
                reverse("review:import_job", args=[job.pk]),
                ngettext(
                    "%(n)s more file: on the job's page in the desk",
                    "%(n)s more files: on the job's page in the desk",
                    more,
                )
                % {"n": more},
            )
        return format_html("<ul>{}</ul>", rows)


def _summary(report):
    """The importer's summary line (ImportReport.summary, the command's), in the editor's
    language."""
    counts = {
        "imported": report.count(IMPORTED),
        "unchanged": report.count(UNCHANGED),
        "refused": report.count(REFUSED),
    }
    if report.total and not counts["imported"]:
        return (
            _(
                "%(imported)s imported, %(unchanged)s unchanged, %(refused)s refused "
                "(nothing changed)"
            )
            % counts
        )
    return _("%(imported)s imported, %(unchanged)s unchanged, %(refused)s refused") % counts


_LEVELS = {IMPORTED: messages.SUCCESS, UNCHANGED: messages.INFO, REFUSED: messages.ERROR}
