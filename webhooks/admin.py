"""Webhooks in the admin: superusers only (the secret is shown here, and an endpoint decides
where the desk's publications are posted). Deliveries are a read-only log with "retry now"."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims.admin import ReadOnlyAdmin
from newsroom.admin_booleans import with_boolean_columns
from sources.admin import CrossScriptSearch
from webhooks import events, sending
from webhooks.models import Delivery, Endpoint, Event
from webhooks.tasks import enqueue


class SuperusersOnly:
    """Every permission (module, view, add, change, delete) is the superuser's alone, whatever
    a group or a user permission says."""

    @staticmethod
    def _superuser(request):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request, obj=None):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


SUBSCRIBABLE_CHOICES = [
    (value, label) for value, label in Event.CHOICES if value in Event.SUBSCRIBABLE
]


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=SUBSCRIBABLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("What this receiver hears about."),
    )

    class Meta:
        model = Endpoint
        fields = ("url", "description", "events", "active")
        help_texts = {
            "url": gettext_lazy(
                "https address of the receiver; loopback, private and link-local addresses "
                "are refused (docs/webhooks.md)."
            ),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            sending.check_url(url)
        except sending.Refused as exc:
            raise forms.ValidationError(str(exc)) from None
        return url


@admin.register(Endpoint)
class EndpointAdmin(CrossScriptSearch, SuperusersOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = with_boolean_columns(
        Endpoint, ("url", "description", "subscribed", "active", "created_at")
    )
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = ("secret", "created_at")
    actions = ["send_test_ping", "delete_selected"]

    def get_fields(self, request, obj=None):
        fields = ("url", "description", "events", "active")
        return (*fields, "secret", "created_at") if obj else fields

    @admin.display(description=gettext_lazy("Events"))
    def subscribed(self, endpoint):
        return ", ".join(endpoint.events or [])

    @admin.action(permissions=["change"], description=gettext_lazy("Send a test ping"))
    def send_test_ping(self, request, queryset):
        for endpoint in queryset:
            events.ping(endpoint)
        self.message_user(
            request,
            _("Test ping queued; see the webhook deliveries for the answer."),
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(CrossScriptSearch, ReadOnlyAdmin, SuperusersOnly, admin.ModelAdmin):
    """What was sent where and how it went: read-only, with "retry now"."""

    list_display = (
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    )
    list_filter = ("status", "event", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("delivery_id",)
    readonly_fields = (
        "endpoint",
        "event",
        "delivery_id",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
        "payload",
    )
    fields = readonly_fields
    actions = ["retry_now"]

    def has_retry_permission(self, request):
        return self._superuser(request)

    @admin.action(permissions=["retry"], description=gettext_lazy("Retry now"))
    def retry_now(self, request, queryset):
        ids = sending.retry_now(queryset)
        for pk in ids:
            enqueue(pk)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.",
                "%(count)d deliveries queued again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS if ids else messages.WARNING,
        )
