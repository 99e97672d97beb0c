"""What the API answers, in the shapes of docs/contracts.md (extra fields are extras, never renames).

A published claim is shown to anonymous readers from its frozen snapshot
(`published_entry.snapshot`), exactly as the digest published it; editors see the live claim
(its text now, its verdict in force or null). Both go through the same serializer so the
shape is one. The declared fields document the shape for the OpenAPI schema; the dicts are
built by `to_representation` because a snapshot is not a model instance.
"""

from django.urls import reverse
from rest_framework import serializers

from claims import published
from claims.models import CLAIMANT_KINDS, Evidence, Verdict


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def claim_url(request, pk):
    return absolute(request, published.claim_path(pk))


def digest_url(request, digest):
    return (
        absolute(request, reverse("public:digest", args=[digest.slug]))
        if digest.is_published
        else None
    )


# --- documented shapes -----------------------------------------------------------------------


class EvidenceArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField(help_text="The source's name.")
    filename = serializers.CharField()
    source_id = serializers.IntegerField(required=False)
    published_on = serializers.DateField(required=False, allow_null=True)
    url = serializers.CharField(required=False, allow_blank=True)


class EvidenceSerializer(serializers.Serializer):
    article = EvidenceArticleSerializer(allow_null=True, help_text="null for an outside citation.")
    quote = serializers.CharField(allow_blank=True, help_text="The article's words, as written.")
    quote_converted = serializers.CharField(
        required=False, help_text="With ?script=: the quote as that reading shows it."
    )
    start = serializers.IntegerField(
        allow_null=True, help_text="Code-point offset in the article body."
    )
    end = serializers.IntegerField(allow_null=True)
    stance = serializers.ChoiceField(choices=Evidence.Stance.values)
    url = serializers.CharField(
        allow_blank=True, help_text="The citation's URL, else the article's."
    )
    citation_title = serializers.CharField(required=False, allow_blank=True)
    publisher = serializers.CharField(required=False, allow_blank=True)
    cited_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    id = serializers.IntegerField(required=False, help_text="Editors only.")

    def to_representation(self, item):
        return evidence_from_model(item)


class ClaimVerdictSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Verdict.Rating.values)
    label = serializers.CharField()
    rationale = serializers.CharField()
    approved_at = serializers.DateTimeField()
    label_zh = serializers.CharField(required=False)


class DigestRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(allow_null=True)


class VerdictSerializer(serializers.Serializer):
    """A verdict as editors see it in the review workflow."""

    id = serializers.IntegerField()
    claim = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Verdict.Rating.values)
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=Verdict.Status.values)
    rationale = serializers.CharField()
    proposed_by = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    reviewed_by = serializers.CharField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField(allow_blank=True)

    def to_representation(self, verdict):
        return {
            "id": verdict.pk,
            "claim": verdict.claim_id,
            "rating": verdict.rating,
            "label": verdict.label,
            "status": verdict.status,
            "rationale": verdict.rationale,
            "proposed_by": verdict.proposed_by.get_username(),
            "proposed_at": verdict.proposed_at.isoformat(),
            "reviewed_by": verdict.reviewed_by.get_username() if verdict.reviewed_by else None,
            "reviewed_at": verdict.reviewed_at.isoformat() if verdict.reviewed_at else None,
            "review_comment": verdict.review_comment,
        }


class ClaimantSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=CLAIMANT_KINDS)


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    claimant = ClaimantSerializer(allow_null=True, help_text="Who made the claim, if recorded.")
    claimed_on = serializers.DateField(allow_null=True, help_text="When it was made, if known.")
    first_appearance = serializers.IntegerField(
        allow_null=True,
        help_text="The id of the article where it first appeared, if the editors chose one.",
    )
    url = serializers.URLField(help_text="The public claim page (it exists once published).")
    verdict = ClaimVerdictSerializer(
        allow_null=True, help_text="The approved verdict in force; null until one is approved."
    )
    evidence = EvidenceSerializer(many=True)
    gloss = serializers.CharField(allow_blank=True)
    published = serializers.BooleanField()
    published_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the digest that published this form of the claim was published.",
    )
    digests = DigestRefSerializer(
        many=True, help_text="Published digests that contain the claim (editors also see drafts)."
    )
    version = serializers.IntegerField(
        required=False, help_text="Editors only: send it back with an edit."
    )
    verdicts = VerdictSerializer(
        many=True, required=False, help_text="Editors only: every verdict, newest first."
    )

    def to_representation(self, claim):
        request = self.context.get("request")
        if self.context.get("public", True):
            return public_claim(claim, request)
        return live_claim(claim, request)


class ResemblingClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    url = serializers.URLField(help_text="The claim in the API.")
    score = serializers.FloatField(help_text="0..1: how much of that claim this one says.")


class CreatedClaimSerializer(ClaimSerializer):
    similar_claims = ResemblingClaimSerializer(
        many=True,
        help_text="The desk's claims most like the new one, best first (empty when none is "
        "close): check them before working on a duplicate.",
    )


def resembling_claims(claim, request):
    from claims import assistant

    return [
        {
            "id": other.pk,
            "text": other.text,
            "url": absolute(request, reverse("api-claim-detail", args=[other.pk])),
            "score": round(float(score), 3),
        }
        for other, score in assistant.resembling(claim)
    ]


class StaleCurrentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    text = serializers.CharField()
    gloss = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    """Every error: a readable `detail`, and a list of messages under each input at fault."""

    detail = serializers.CharField()


class StaleErrorSerializer(ErrorSerializer):
    version = serializers.ListField(child=serializers.CharField())
    current = StaleCurrentSerializer(help_text="The claim as the other editor saved it.")


class ReviewConflictSerializer(ErrorSerializer):
    """An approval refused by the state: the verdict no longer waits (`detail` only), or the
    claim changed after the reviewer read it (`claim_version` and `current` as well)."""

    claim_version = serializers.ListField(child=serializers.CharField(), required=False)
    current = StaleCurrentSerializer(
        required=False, help_text="The claim as it is now, when it changed since it was read."
    )


# --- building the dicts ----------------------------------------------------------------------


def _digest_refs(claim, request, public):
    refs = []
    for entry in claim.digest_entries.all():  # prefetched, with the digest
        digest = entry.digest
        if public and not digest.is_published:
            continue
        refs.append(
            {
                "id": digest.pk,
                "slug": digest.slug,
                "title": digest.title,
                "version": digest.version,
                "published_at": digest.published_at.isoformat() if digest.published_at else None,
                "url": digest_url(request, digest),
            }
        )
    return refs


def evidence_from_snapshot(item):
    article = item.get("article")
    return {
        "article": None
        if not article
        else {
            "id": article["id"],
            "title": article.get("title", ""),
            "source": article.get("source", ""),
            "filename": article.get("filename", ""),
            "source_id": article.get("source_id"),
            "published_on": article.get("published_on"),
            "url": article.get("url", ""),
        },
        "quote": item.get("quote", ""),
        "start": item.get("start"),
        "end": item.get("end"),
        "stance": item.get("stance", Evidence.Stance.SUPPORTS),
        "url": item.get("url") or (article or {}).get("url") or "",
        "citation_title": item.get("citation_title", ""),
        "publisher": item.get("publisher", ""),
        "cited_on": item.get("cited_on"),
        "note": item.get("note", ""),
    }


def evidence_from_model(item):
    data = published.evidence_data(item)
    data["url"] = item.url or (item.article.url if item.article else "")
    data["id"] = item.pk
    return data


def public_claim(claim, request):
    """The claim as its latest published digest froze it."""
    entry = claim.published_entry
    snapshot = entry.snapshot
    verdict = published.snapshot_verdict(snapshot)
    return {
        "id": claim.pk,
        "text": snapshot["text"],
        "claimant": snapshot.get("claimant"),
        "claimed_on": snapshot.get("claimed_on"),
        "first_appearance": snapshot.get("first_appearance"),
        "url": claim_url(request, claim.pk),
        "verdict": {
            "rating": verdict["rating"],
            "label": verdict["label"],
            "rationale": verdict["rationale"],
            "approved_at": verdict["approved_at"],
            "label_zh": verdict["label_zh"],
        },
        "evidence": [evidence_from_snapshot(item) for item in snapshot.get("evidence", [])],
        "gloss": snapshot.get("gloss", ""),
        "published": True,
        "published_at": entry.digest.published_at.isoformat(),
        "digests": _digest_refs(claim, request, public=True),
    }


def live_claim(claim, request):
    """The claim as it is now, for editors: the verdict in force or null."""
    verdict = claim.approved_verdict
    entry = claim.published_entry
    return {
        "id": claim.pk,
        "text": claim.text,
        **published.claim_origin(claim),
        "url": claim_url(request, claim.pk),
        "verdict": None
        if verdict is None
        else {
            "rating": verdict.rating,
            "label": verdict.label,
            "rationale": verdict.rationale,
            "approved_at": verdict.reviewed_at.isoformat(),
            "label_zh": verdict.label_zh,
        },
        "evidence": [evidence_from_model(item) for item in claim.evidence.all()],
        "gloss": claim.gloss,
        "published": entry is not None,
        "published_at": entry.digest.published_at.isoformat() if entry is not None else None,
        "digests": _digest_refs(claim, request, public=False),
        "version": claim.version,
        "verdicts": [VerdictSerializer(v).data for v in claim.verdicts.all()],
    }
