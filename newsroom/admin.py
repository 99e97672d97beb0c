"""Staff see every API token and can revoke one (delete); keys are issued only by the API."""

from django.contrib import admin

from newsroom.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created", "expires", "last_used"]
    list_filter = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "prefix", "name", "created", "expires", "last_used"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
