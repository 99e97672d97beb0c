"""The claim assistant's panels, included in the review pages:
`{% claim_assistant claim evidence %}` on the workbench. (The queue loads its panel from
claims.views.assistant.queue_panel after the page: matching every claim takes a moment.)"""

from django import template

from claims import assistant
from claims.models import Evidence

register = template.Library()


@register.inclusion_tag("review/_assistant_claim.html")
def claim_assistant(claim, evidence=None):
    return {"claim": claim, "stances": Evidence.Stance.choices,
            **assistant.workbench(claim, evidence)}
