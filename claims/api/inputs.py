"""What editors send. These serializers check the form of the input only (types, lengths,
known choices); the desk's rules are applied by claims.services, called by the views."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from claims.api.base import MAX_ID
from claims.models import CLAIMANT_KINDS, Evidence, Verdict
from sources.models import Article
from sources.text import refuse_control_characters


class RefusesControlCharacters:
    """Field mixin for text that the desk stores: a JSON string only (a number is refused, not
    stored as its digits, as the schema's type says), and control characters are refused
    (sources.text), before the surrounding whitespace is trimmed, so none is dropped silently.
    The schema declares it (claims.api.base.IdSchema)."""

    refuses_control_characters = True

    def run_validation(self, data=serializers.empty):
        if data is not serializers.empty and data is not None and not isinstance(data, str):
            self.fail("invalid")
        try:
            refuse_control_characters(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="control_character") from None
        return super().run_validation(data)


class TextField(RefusesControlCharacters, serializers.CharField):
    pass


class URLField(RefusesControlCharacters, serializers.URLField):
    pass


class ArticleField(serializers.PrimaryKeyRelatedField):
    """An article by its id: a whole number from 1 to MAX_ID, as the schema declares (1.5 or
    "1e3" is refused, not read as article 1), and a 400 when no article has it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Article.objects.all())
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)


class EvidenceInputSerializer(serializers.Serializer):
    article = ArticleField(
        required=False,
        allow_null=True,
        help_text="The article that holds the quote (omit for an outside citation).",
    )
    quote = TextField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="The exact words of the article; the server finds them (across scripts).",
    )
    start = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=10_000_000,
        help_text="Where to look first, when the quote occurs more than once (code points).",
    )
    stance = serializers.ChoiceField(
        choices=Evidence.Stance.values, default=Evidence.Stance.SUPPORTS
    )
    url = URLField(required=False, allow_blank=True, max_length=1000)
    citation_title = TextField(required=False, allow_blank=True, max_length=500)
    publisher = TextField(required=False, allow_blank=True, max_length=200)
    cited_on = serializers.DateField(required=False, allow_null=True)
    cited_in = ArticleField(
        required=False,
        allow_null=True,
        help_text="The article that names the outside citation.",
    )
    note = TextField(required=False, allow_blank=True, max_length=5000)


class ClaimOriginFields(serializers.Serializer):
    """Who made the claim, when, and where it first appeared (ClaimReview's itemReviewed)."""

    claimant = TextField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Who made the claim: a person, an outlet, or e.g. “social media posts”.",
    )
    claimant_kind = serializers.ChoiceField(
        choices=CLAIMANT_KINDS,
        required=False,
        help_text="Whether the claimant is a person or an organization (the default).",
    )
    claimed_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the claim was made, if known."
    )
    first_appearance = ArticleField(
        required=False,
        allow_null=True,
        help_text="The article where the claim first appeared: one its evidence quotes.",
    )


class ClaimCreateSerializer(ClaimOriginFields):
    text = TextField(max_length=5000)
    gloss = TextField(required=False, allow_blank=True, max_length=500)
    evidence = EvidenceInputSerializer(many=True, required=False, max_length=200)


class ClaimUpdateSerializer(ClaimOriginFields):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version the edit was made against; an older one is refused with a 409.",
    )
    text = TextField(required=False, max_length=5000)
    gloss = TextField(required=False, allow_blank=True, max_length=500)


class VerdictInputSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Verdict.Rating.values)
    rationale = TextField(max_length=10000)


class ReviewInputSerializer(serializers.Serializer):
    comment = TextField(required=False, allow_blank=True, max_length=5000)
    claim_version = serializers.IntegerField(
        min_value=1,
        help_text="The claim version the reviewer read (the claim's `version`). The approval is "
        "for that version: a claim changed since is a 409 with the claim as it is now.",
    )


class SendBackInputSerializer(serializers.Serializer):
    comment = TextField(max_length=5000, help_text="Why the verdict is sent back.")


class DigestInputSerializer(serializers.Serializer):
    title = TextField(max_length=300)
    intro = TextField(required=False, allow_blank=True, max_length=20000)
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=200,
        help_text="The digest's claims, in order, by id. Each must have an approved verdict; "
        "the list replaces the draft's claims.",
    )


class CorrectionInputSerializer(serializers.Serializer):
    note = TextField(max_length=5000, help_text="What the correction corrects (shown to readers).")
    title = TextField(
        required=False,
        max_length=300,
        help_text="The corrected version's title (default: the same title).",
    )
