"""Staff see every API token and can revoke one (delete); keys are issued only by the API.
The admin's titles name the desk, and the lists of users and of failed logins say yes and no,
in the editor's language, as does the form that changes a user's password."""

from axes.admin import AccessFailureLogAdmin
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import User
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from newsroom.admin_booleans import with_boolean_columns
from newsroom.admin_people import PeopleByName
from newsroom.models import ApiToken
from sources.admin import CrossScriptSearch

admin.site.site_header = _("Fact-check desk · Admin")
admin.site.site_title = _("Fact-check desk admin")
admin.site.index_title = _("Site administration")


# Django's and django-axes' lists of users and of failed logins, with their yes/no columns named
# in the editor's language (newsroom.admin_booleans).
admin.site.unregister(User)


class DeskPasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with the warning it adds to the help text in the editor's language:
    Django 5.2 appends it as an English string, outside gettext."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    list_display = with_boolean_columns(User, UserAdmin.list_display)
    change_password_form = DeskPasswordChangeForm


if admin.site.is_registered(AccessFailureLog):  # AXES_ENABLE_ADMIN
    admin.site.unregister(AccessFailureLog)

    @admin.register(AccessFailureLog)
    class DeskAccessFailureLogAdmin(AccessFailureLogAdmin):
        list_display = with_boolean_columns(AccessFailureLog, AccessFailureLogAdmin.list_display)


@admin.register(ApiToken)
class ApiTokenAdmin(PeopleByName, CrossScriptSearch, admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created", "expires", "last_used"]
    list_filter = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "prefix", "name", "created", "expires", "last_used"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
