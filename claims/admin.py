"""Admin for claims, evidence, verdicts and digests.

The admin is a staff tool, not a second rulebook: anchoring quotes, proposing and approving
verdicts, editing claims and publishing digests all go through claims.services, and its
errors come back as admin messages or form errors.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import display_for_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from claims import claim_export, services
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.search import search
from newsroom.admin_booleans import boolean_icon
from newsroom.admin_people import PeopleByName, may_view_users
from newsroom.admin_widgets import CheckedAutocompleteFields
from newsroom.db import count_per_row
from sources.admin import CrossScriptSearch


def _short(text, length=60):
    return text if len(text) <= length else text[: length - 1] + "…"


class HistoryValues(HistoricalRecordContextHelper):
    """The values of a change in a history list as the admin's forms and lists show them: a
    choice by its name, a time in the desk's time zone and the reader's format, nothing as
    the admin's empty value. django-simple-history writes Python's own forms: None,
    2026-12-07 13:28:37.895474+00:00, proposed, "Deleted user (pk=None)"."""

    def __init__(self, model, record, *, empty):
        super().__init__(model, record)
        self.empty = empty

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject):
            if value.pk is None:
                return self.empty
            return _("%(name)s #%(id)s (deleted)") % {
                "name": value.model._meta.verbose_name,
                "id": value.pk,
            }
        if field.is_relation:
            return self.empty if value is None else str(value)
        return display_for_field(value, field, self.empty)


class DeskHistoryAdmin(PeopleByName, SimpleHistoryAdmin):
    """History pages that cannot be used to go around the desk's rules.

    django-simple-history's "revert" form checks only the view permission and saves with a
    plain `save()`. Here a revert is refused outright (GET shows the old version read-only,
    POST is a 403) unless `history_revert` is set, and then only for a user who may change
    the row; the save goes through the admin's own `save_model`, that is, the services.
    """

    history_revert = False
    object_history_form_template = "admin/desk_history_form.html"

    def revert_disabled(self, request, obj=None):
        return not (self.history_revert and self.has_change_permission(request, obj))

    def _unknown(self, request, object_id, version_id=None):
        """The admin's answer to an address whose ids are not ids (…/abc/history/): as for its
        change page, back to the admin's index saying there is no such row, not a 500
        (django-simple-history filters on them as given)."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                history._meta.pk.to_python(version_id)
        except ValidationError:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return None

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record, empty=self.get_empty_value_display())

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            # The one reason the desk records, an assignment's, in the reader's words; most
            # rows have none, and their column stays empty rather than saying None.
            record.history_change_reason = services.assignment_shown(record.history_change_reason)

    def history_view(self, request, object_id, extra_context=None):
        if not may_view_users(request):
            # The "changed by" column names the user without linking to a page they cannot
            # open (PeopleByName): a view name that does not resolve leaves the name alone.
            extra_context = {**(extra_context or {}), "admin_user_view": ""}
        return self._unknown(request, object_id) or super().history_view(
            request, object_id, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        unknown = self._unknown(request, object_id, version_id)
        if unknown:
            return unknown
        if request.method == "POST" and self.revert_disabled(
            request, self.get_object(request, unquote(object_id))
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- evidence --------------------------------------------------------------------------------


class ReadOnlyAdmin:
    """Rows that only the desk's rules write: shown in the admin, never added, edited or
    deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceForm(forms.ModelForm):
    """An article quote is anchored by services.anchor_quote when no offsets are given;
    Evidence.clean then re-checks the quote against the article at its offsets."""

    class Meta:
        model = Evidence
        fields = (
            "article",
            "quote",
            "start",
            "end",
            "stance",
            "url",
            "citation_title",
            "publisher",
            "cited_on",
            "cited_in",
            "note",
        )
        help_texts = {
            "quote": gettext_lazy(
                "The quote, in the article's own words. The quote alone is enough: its start "
                "and end are found automatically (in Simplified or Traditional)."
            ),
            "start": gettext_lazy("Leave empty to find it automatically."),
        }

    def clean(self):
        data = super().clean()
        article, quote = data.get("article"), data.get("quote")
        if article is not None and quote and (data.get("start") is None or data.get("end") is None):
            try:
                data["start"], data["end"], data["quote"] = services.anchor_quote(
                    article, quote, data.get("start")
                )
            except services.ReviewError as exc:
                raise forms.ValidationError({"quote": exc.message}) from None
        return data


class EvidenceInline(PeopleByName, CheckedAutocompleteFields, admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ("article", "cited_in")
    readonly_fields = ("added_by", "added_at")


def _evidence_changes(form):
    """What an evidence form changed, in the arguments of services.update_evidence."""
    return {
        name: form.cleaned_data.get(name)
        for name in services.EVIDENCE_FIELDS
        if name in form.changed_data or (name == "start" and "quote" in form.changed_data)
    }


def _save_evidence(request, form, claim=None):
    """A new or changed piece of evidence, through the services (a new claim version)."""
    data = form.cleaned_data
    if form.instance.pk is None:
        return services.add_evidence(
            claim or data["claim"],
            actor=request.user,
            **{
                name: data.get(name)
                for name in services.EVIDENCE_FIELDS
                if data.get(name) is not None
            },
        )
    changes = _evidence_changes(form)
    if not changes:
        return form.instance
    return services.update_evidence(
        Evidence.objects.get(pk=form.instance.pk), actor=request.user, **changes
    )


@admin.register(Evidence)
class EvidenceAdmin(CrossScriptSearch, CheckedAutocompleteFields, DeskHistoryAdmin):
    form = EvidenceForm
    list_display = ("short_quote", "claim", "article", "stance", "added_at")
    list_filter = ("stance",)
    list_select_related = ("claim", "article")
    autocomplete_fields = ("claim", "article", "cited_in")
    readonly_fields = ("added_by", "added_at")
    search_fields = ("quote", "note", "citation_title")
    fields = ("claim", *EvidenceForm.Meta.fields, "added_by", "added_at")

    @admin.display(description=gettext_lazy("Quote"))
    def short_quote(self, evidence):
        return _short(str(evidence))

    history_revert = True  # through services.update_evidence, with its checks

    def save_model(self, request, obj, form, change):
        saved = _save_evidence(request, form)
        obj.pk, obj.added_by = saved.pk, saved.added_by

    def delete_model(self, request, obj):
        services.remove_evidence(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for evidence in queryset:
            services.remove_evidence(evidence, actor=request.user)


# --- verdicts --------------------------------------------------------------------------------


class VerdictInline(PeopleByName, admin.TabularInline):
    """Existing verdicts are read-only (history is never overwritten); a new row is a
    proposal, saved through services.propose_verdict."""

    model = Verdict
    extra = 0
    fields = (
        "rating",
        "rationale",
        "status",
        "proposed_by",
        "proposed_at",
        "reviewed_by",
        "reviewed_at",
    )
    readonly_fields = ("status", "proposed_by", "proposed_at", "reviewed_by", "reviewed_at")
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Verdicts are proposed on their claim's page and approved with the action below; no hand
# edits of a rating, a status or a reviewer, and no deletions.
@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin, DeskHistoryAdmin):
    list_display = ("claim_text", "rating", "status", "proposed_by", "reviewed_by", "proposed_at")
    list_filter = ("status", "rating")
    list_select_related = ("claim", "proposed_by", "reviewed_by")
    search_fields = ("claim__text",)
    # No bulk approval: an approval is for the claim version the reviewer read on the
    # verdict's page (the button there sends it).
    readonly_fields = (
        "claim",
        "rating",
        "rationale",
        "status",
        "proposed_by",
        "proposed_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )

    @admin.display(description=gettext_lazy("Claim"))
    def claim_text(self, verdict):
        return _short(verdict.claim.text)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search(queryset, search_term, field="claim__search_text"), False

    def get_urls(self):
        approve = path(
            "<path:object_id>/approve/",
            self.admin_site.admin_view(self.approve_view),
            name="claims_verdict_approve",
        )
        return [approve, *super().get_urls()]

    def approve_view(self, request, object_id):
        """The button on a verdict's page: services.approve_verdict for the claim version the
        page showed."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        verdict = self.get_object(request, unquote(object_id))
        if verdict is None:
            raise Http404
        try:
            services.approve_verdict(
                verdict,
                actor=request.user,
                claim_version=request.POST.get("claim_version"),
            )
        except services.ReviewError as exc:
            self.message_user(
                request,
                _("Verdict #%(id)s was not approved: %(reason)s")
                % {"id": verdict.pk, "reason": exc.message},
                messages.ERROR,
            )
        else:
            self.message_user(
                request, _("Verdict #%(id)s approved.") % {"id": verdict.pk}, messages.SUCCESS
            )
        return redirect(reverse("admin:claims_verdict_change", args=[verdict.pk]))


# --- claims ----------------------------------------------------------------------------------


class ClaimForm(forms.ModelForm):
    """Carries the version the editor started from, so that services.update_claim can refuse
    an edit made over someone else's newer one."""

    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label=gettext_lazy("version")
    )

    class Meta:
        model = Claim
        fields = ("text", "gloss")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The stored version, not the instance's: a history page's form holds an old one.
            self.fields["base_version"].initial = (
                Claim.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            )

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = (
                Claim.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            )
            if data.get("base_version") != current:
                raise forms.ValidationError(services.StaleEdit(Claim(version=current)).message)
        return data


@admin.register(Claim)
class ClaimAdmin(DeskHistoryAdmin):
    form = ClaimForm
    history_revert = True  # through services.update_claim: version check, approval reopened

    def view_on_site(self, claim):
        """ "View on site": the public page once a digest has published the claim; before, the
        desk's page for it (the public address answers 404 to everyone until then)."""
        if claim.published_entry_id:
            return claim.get_absolute_url()
        return reverse("review:claim", args=[claim.pk])

    list_display = ("short_text", "verdict_in_force", "evidence_count", "updated_at")
    search_fields = ("text",)  # shows the search box; get_search_results does the work
    search_help_text = gettext_lazy("The claim's text (Simplified and Traditional find each other)")
    # Who made the claim, when and where it first appeared are recorded on the workbench or
    # through the API (services.update_claim checks them); the admin shows them.
    readonly_fields = (
        *services.ORIGIN_FIELDS,
        "created_by",
        "created_at",
        "updated_at",
        "published_entry",
    )
    fields = ("text", "gloss", "base_version", *readonly_fields)
    inlines = [EvidenceInline, VerdictInline]
    actions = ["export_selected_csv"]

    @admin.action(permissions=["view"], description=gettext_lazy("Export selected claims as CSV"))
    def export_selected_csv(self, request, queryset):
        """The same file as the desk's /review/claims/export.csv, for the selected claims."""
        return claim_export.csv_response(Claim.objects.filter(pk__in=queryset.values("pk")))

    def get_queryset(self, request):
        approved = Verdict.objects.filter(status=Verdict.Status.APPROVED)
        # Each row's evidence counted for the rows shown (newsroom.db.count_per_row), not by a
        # join with GROUP BY that the page's two counts of all claims carried too.
        return (
            super()
            .get_queryset(request)
            .annotate(evidence_count=count_per_row(Evidence, "claim"))
            .prefetch_related(Prefetch("verdicts", queryset=approved))
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search(queryset, search_term), False

    @admin.display(description=gettext_lazy("Claim"), ordering="text")
    def short_text(self, claim):
        return _short(claim.text, 80)

    @admin.display(description=gettext_lazy("Verdict in force"))
    def verdict_in_force(self, claim):
        verdict = claim.approved_verdict
        return verdict.get_rating_display() if verdict else "—"

    @admin.display(description=gettext_lazy("Pieces of evidence"), ordering="evidence_count")
    def evidence_count(self, claim):
        return claim.evidence_count

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.update_claim(
                obj,
                actor=request.user,
                version=form.cleaned_data["base_version"],
                text=obj.text,
                gloss=obj.gloss,
            )
        else:
            saved = services.create_claim(actor=request.user, text=obj.text, gloss=obj.gloss)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is Verdict:
            self._propose_verdicts(request, form.instance, formset)
            return
        # Evidence: each added, changed or removed piece through the services.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for evidence_form in formset.forms:
            if evidence_form in formset.deleted_forms:
                if evidence_form.instance.pk:
                    services.remove_evidence(evidence_form.instance, actor=request.user)
                    formset.deleted_objects.append(evidence_form.instance)
            elif evidence_form.has_changed():
                new = evidence_form.instance.pk is None
                saved = _save_evidence(request, evidence_form, claim=form.instance)
                if new:
                    formset.new_objects.append(saved)
                else:
                    formset.changed_objects.append((saved, evidence_form.changed_data))

    def _propose_verdicts(self, request, claim, formset):
        # What formset.save() would record, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for verdict_form in formset.extra_forms:
            if not verdict_form.has_changed():
                continue
            try:
                formset.new_objects.append(
                    services.propose_verdict(
                        claim,
                        actor=request.user,
                        rating=verdict_form.cleaned_data["rating"],
                        rationale=verdict_form.cleaned_data["rationale"],
                    )
                )
            except services.ReviewError as exc:
                self.message_user(
                    request,
                    _("The verdict was not proposed: %(reason)s") % {"reason": exc.message},
                    messages.ERROR,
                )


# --- digests ---------------------------------------------------------------------------------


class DigestEntryInline(ReadOnlyAdmin, admin.TabularInline):
    """A digest's claims, shown; they are composed in the review pages' digest composer
    (/review/digests/), where services.set_digest_claims checks every claim's approval."""

    model = DigestEntry
    extra = 0
    fields = ("claim", "position", "rating")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim", "digest")  # not one a row


@admin.register(Digest)
class DigestAdmin(PeopleByName, CrossScriptSearch, admin.ModelAdmin):
    list_display = ("title", "version", "is_published", "published_at", "entry_count")

    def view_on_site(self, digest):
        """ "View on site": a published digest's public page; a draft's page on the desk (the
        public address answers 404 to everyone until it is published)."""
        if digest.is_published:
            return digest.get_absolute_url()
        return reverse("review:digest_detail", args=[digest.pk])

    list_select_related = ("corrects",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "version",
        "corrects",
        "correction_note",
        "published_at",
        "published_by",
        "created_by",
        "created_at",
    )
    inlines = [DigestEntryInline]
    actions = ["publish_selected", "delete_selected"]

    def get_queryset(self, request):
        # For the rows shown only (newsroom.db.count_per_row).
        return (
            super().get_queryset(request).annotate(entry_count=count_per_row(DigestEntry, "digest"))
        )

    @admin.display(description=gettext_lazy("Published"), ordering="published_at")
    def is_published(self, digest):
        return boolean_icon(digest.is_published)

    @admin.display(description=gettext_lazy("Number of claims"), ordering="entry_count")
    def entry_count(self, digest):
        return digest.entry_count

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The address of an existing digest does not change (links to it must keep working).
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "slug") if obj else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            claims = [e.claim for e in obj.entries.select_related("claim")]
            saved = services.update_draft_digest(
                obj,
                actor=request.user,
                title=data["title"],
                intro=data["intro"],
                claims=claims,
            )
        else:
            saved = services.create_digest(
                actor=request.user,
                title=data["title"],
                intro=data["intro"],
                slug=data["slug"],
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(
        description=gettext_lazy(
            "Publish the selected digests (every claim needs an approved verdict)"
        )
    )
    def publish_selected(self, request, queryset):
        for digest in queryset:
            try:
                services.publish_digest(digest, actor=request.user)
            except services.ReviewError as exc:
                self.message_user(
                    request,
                    _("“%(digest)s” was not published: %(reason)s")
                    % {"digest": digest, "reason": exc.message},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("“%(digest)s” published.") % {"digest": digest}, messages.SUCCESS
                )

    @admin.action(
        permissions=["delete"], description=gettext_lazy("Delete the selected draft digests")
    )
    def delete_selected(self, request, queryset):
        published = [str(d) for d in queryset if d.is_published]
        if published:
            self.message_user(
                request,
                _(
                    "Published digests cannot be deleted (publish a new version to correct "
                    "one): %(digests)s"
                )
                % {"digests": pgettext("list separator", "; ").join(published)},
                messages.ERROR,
            )
            return None
        return django_delete_selected(self, request, queryset)


@admin.register(DigestEntry)
class DigestEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Entries are composed on their digest's page; here they can only be read."""

    list_display = ("digest", "claim", "rating", "position")
    list_select_related = ("digest", "claim")
    list_filter = ("rating",)


# The claim assistant's glossary (aliases editors keep): claims/assistant/admin.py.
from claims.assistant import admin as _assistant_admin  # noqa: E402,F401
