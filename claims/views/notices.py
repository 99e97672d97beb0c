"""/review/notices/: the signed-in editor turns their email notices (claims.notices) off, all
of them or kind by kind. Stored in their NoticeSettings; a POST (CSRF protected) saves and
comes back to the page."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import notices
from claims.access import editor_required, is_reviewer
from claims.models import NoticeSettings


class NoticeSettingsForm(forms.ModelForm):
    class Meta:
        model = NoticeSettings
        fields = ["enabled", *notices.KINDS]

    def __init__(self, *args, reviewer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].label = _(
            "Receive e-mail notices (when off, none of those below is sent)"
        )
        for kind, label in notices.KINDS.items():
            self.fields[kind].label = label
        if not reviewer:  # kinds only reviewers are sent: not offered, and kept as they are
            for kind in notices.REVIEWER_KINDS:
                del self.fields[kind]

    def kind_fields(self):
        return [self[name] for name in notices.KINDS if name in self.fields]


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def notice_settings(request):
    reviewer = is_reviewer(request.user)
    instance = notices.settings_of(request.user)
    # Unticked boxes are not sent at all: a POST with none ticked is still the form's.
    posted = request.POST if request.method == "POST" else None
    form = NoticeSettingsForm(posted, instance=instance, reviewer=reviewer)
    if posted is not None and form.is_valid():
        form.save()
        messages.success(request, _("E-mail notice settings saved."))
        return redirect("review:notices")
    return render(
        request,
        "review/notices.html",
        {"form": form, "email": (request.user.email or "").strip(), "is_reviewer": reviewer},
        status=400 if form.errors else 200,
    )
