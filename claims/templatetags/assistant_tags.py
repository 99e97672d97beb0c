"""The claim assistant's panels, included in the review pages:
`{% claim_assistant claim evidence %}` on the workbench; `{% known_claims_panel article %}` in
the article reader (the desk's claims the article repeats, their sentences marked). (The queue
loads its panel from claims.views.assistant.queue_panel after the page.)"""

from django import template

from claims import assistant
from claims.models import Evidence

register = template.Library()


@register.inclusion_tag("review/_assistant_claim.html")
def claim_assistant(claim, evidence=None):
    return {
        "claim": claim,
        "stances": Evidence.Stance.choices,
        **assistant.workbench(claim, evidence),
    }


@register.inclusion_tag("review/_known_claims.html")
def known_claims_panel(article):
    # The claim's verdict and date are shown in the page's language (the API's `note` is
    # English, for integrators).
    items = [
        {"hit": hit, "claim": hit.claim, "verdict": hit.claim.approved_verdict}
        for hit in assistant.known_claims(article)
    ]
    return {"article": article, "items": items}
