"""/review/notices/: the signed-in editor turns their email notices (claims.notices) off, all
of them or kind by kind, and chooses their language. Stored in their NoticeSettings; a POST
(CSRF protected) saves and comes back to the page.

/i18n/setlang/: the desk's language switch (Django's set_language); a signed-in user's choice
also becomes the language of their e-mails."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from claims import notices
from claims.access import editor_required, is_reviewer, page_of_form
from claims.models import NoticeSettings


class NoticeSettingsForm(forms.ModelForm):
    class Meta:
        model = NoticeSettings
        fields = ["enabled", *notices.KINDS, "language"]

    def __init__(self, *args, reviewer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"].label = _(
            "Receive e-mail notices (when off, none of those below is sent)"
        )
        for kind, label in notices.KINDS.items():
            self.fields[kind].label = label
        # Each language named in its own words (as the switch names them); blank: the desk's.
        desk = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        self.fields["language"].choices = [
            ("", _("The desk's language (%(language)s)") % {"language": desk}),
            *settings.LANGUAGES,
        ]
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


@require_POST
def set_language(request):
    """Django's set_language (the cookie the locale middleware reads, then back to the page);
    for a signed-in user the language is also stored as that of their e-mail notices. Back from
    a page a form was sent to (a form's own address, which answers nothing else: the Referer of a
    form sent back with errors) is back to the page that form is on."""
    response = django_set_language(request)
    if response.has_header("Location"):
        response["Location"] = page_of_form(response["Location"])
    if request.user.is_authenticated:
        notices.store_language(request.user, request.POST.get("language", ""))
    return response
