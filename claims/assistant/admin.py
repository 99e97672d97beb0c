"""The desk's glossary in the admin (registered from claims/admin.py)."""

from django.contrib import admin

from claims.assistant.models import GlossaryEntry
from sources.admin import CrossScriptSearch


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(CrossScriptSearch, admin.ModelAdmin):
    list_display = ("term", "canonical", "note", "updated_at")
    search_fields = ("term", "canonical", "note")
    ordering = ("canonical", "term")
