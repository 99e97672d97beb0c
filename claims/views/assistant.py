"""Attach a passage the claim assistant found as evidence, with a stance, in one click."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims import assistant, services
from claims.access import editor_required, post_only
from claims.models import Claim, Evidence
from claims.views.review import _render_workbench
from sources.models import Article

MAX_QUOTE = 5000


class AttachMatchForm(forms.Form):
    article = forms.ModelChoiceField(queryset=Article.objects.only("id", "body"))
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)

    def clean(self):
        data = super().clean()
        article, start, end = data.get("article"), data.get("start"), data.get("end")
        if article is not None and start is not None and end is not None:
            if not start < end <= len(article.body) or end - start > MAX_QUOTE:
                raise forms.ValidationError(
                    _("This passage is not within the article; reload the page and try again.")
                )
            data["quote"] = article.body[start:end]
        return data


@editor_required
@post_only("review:claim")
def attach_match(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = AttachMatchForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _render_workbench(
            request,
            claim,
            400,
            error=_("The evidence was not added: %(reason)s") % {"reason": message},
        )
    data = form.cleaned_data
    try:
        services.add_evidence(
            claim,
            actor=request.user,
            article=data["article"],
            quote=data["quote"],
            start=data["start"],
            stance=data["stance"],
        )
    except services.NotAllowed:
        raise
    except services.ReviewError as exc:
        return _render_workbench(
            request,
            claim,
            exc.status_code,
            error=_("The evidence was not added: %(reason)s") % {"reason": exc.message},
        )
    messages.success(request, _("The passage found was added as evidence."))
    return redirect(reverse("review:claim", args=[claim.pk]) + "#evidence")


@editor_required
def queue_panel(request):
    """The queue's assistant lists: claims with conflicting figures, claims seen in several
    sources. A page of its own, which the queue fetches after it has shown (fragment=1)."""
    template = (
        "review/_assistant_queue.html"
        if request.GET.get("fragment") == "1"
        else "review/assistant_queue.html"
    )
    return render(request, template, assistant.queue())
