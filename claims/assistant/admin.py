"""The desk's glossary in the admin (registered from claims/admin.py)."""

from django.contrib import admin

from claims.assistant.models import GlossaryEntry
from sources.admin import cross_script_filter


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(admin.ModelAdmin):
    list_display = ("term", "canonical", "note", "updated_at")
    search_fields = ("term", "canonical", "note")  # the box; get_search_results does the work
    ordering = ("canonical", "term")

    def get_search_results(self, request, queryset, search_term):
        """Each word in any of its spellings: 台积电 finds the entry written 台積電."""
        if not search_term.strip():
            return queryset, False
        condition = cross_script_filter(search_term, "term", "canonical", "note")
        return queryset.filter(condition), False
