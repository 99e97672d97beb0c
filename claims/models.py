from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

from sources import text as scripts
from sources.models import Article, PlainText


class _HistoryDescriptor(HistoryDescriptor):
    """`Model.history` with its manager class made once. simple_history's descriptor makes the
    class anew at every access (`Manager.from_queryset`, which walks the queryset class with
    `inspect.getmembers`), and it is accessed at every save of a tracked row: 0.11 ms of each
    claim, verdict or evidence saved (0.003 ms here)."""

    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self.manager_of = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self.manager_of(self.model, instance)


class History(HistoricalRecords):
    """simple_history's HistoricalRecords, with `_HistoryDescriptor` as the `history` attribute."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        made = sender.__dict__.get(self.manager_name)
        if type(made) is HistoryDescriptor:
            setattr(
                sender,
                self.manager_name,
                _HistoryDescriptor(made.model, made.manager_class, made.queryset_class),
            )


# Who makes a claim (ClaimReview's itemReviewed.author is a Person or an Organization).
CLAIMANT_KINDS = [("person", _("a person")), ("organization", _("an organization or outlet"))]
# Who made a claim, when, and where it first appeared: the claim's origin fields.
ORIGIN_FIELDS = ("claimant", "claimant_kind", "claimed_on", "first_appearance")


class Claim(PlainText, models.Model):
    """One checkable statement, in the words of the article that makes it."""

    text = models.TextField(verbose_name=_("text"))
    gloss = models.CharField(_("English gloss"), max_length=500, blank=True)
    # Who made the claim and when (ClaimReview's itemReviewed.author and datePublished): a
    # person, an outlet, or "social media posts"; the date it was first made, if known.
    claimant = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimant_kind = models.CharField(
        _("the claimant is"),
        max_length=12,
        choices=CLAIMANT_KINDS,
        default="organization",
    )
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    # The article where the claim first appeared, when the editor knows it (one of the claim's
    # evidence articles); without it, readers are told the earliest dated one.
    first_appearance = models.ForeignKey(
        Article,
        verbose_name=_("first appeared in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A stable name for the claim in a review file (seeds/review.yaml), so loading is idempotent.
    review_key = models.CharField(
        max_length=100, blank=True, db_index=True, editable=False, verbose_name=_("review key")
    )
    search_text = models.TextField(editable=False, verbose_name=_("search text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # The editor or reviewer who looks after the claim now (services.assign_claims); the
    # queue shows it and filters by it. Not part of what the claim says: no new version.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        editable=False,
    )
    # Bumped on every edit; an edit made against an older version is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    # The frozen form readers see: the entry of the latest published digest that holds it.
    published_entry = models.ForeignKey(
        "DigestEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("published entry"),
    )
    # When that form was published (its digest's published_at), kept on the claim so that
    # "changed since its publication" (a correction is needed: claims.waiting) is a comparison
    # of two columns of one row, which a partial index answers at once.
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("published at")
    )
    history = History()

    class Meta:
        ordering = ["id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            # The API's ?ordering=-published_at and the public search's newest first.
            models.Index(fields=["-published_at", "-id"], name="claim_published_at"),
            # The API's ?ordering=created_at / -created_at: a page read in order, not all sorted.
            models.Index(fields=["-created_at", "-id"], name="claim_created_at"),
            models.Index(
                fields=["-updated_at"],
                name="claim_changed_since_published",
                condition=Q(updated_at__gt=F("published_at")),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("public:claim", args=[self.pk])

    def save(self, *args, **kwargs):
        scripts.refresh_aliases()
        self.search_text = scripts.fold(self.text)
        super().save(*args, **kwargs)

    @property
    def approved_verdict(self):
        """The verdict in force: approved and not superseded (None if there is none)."""
        return next((v for v in self.verdicts.all() if v.status == Verdict.Status.APPROVED), None)


class Evidence(PlainText, models.Model):
    """A claim's anchor: a span of an article, or an outside citation."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", pgettext_lazy("stance", "Supports")
        CONTRADICTS = "contradicts", pgettext_lazy("stance", "Contradicts")
        CONTEXT = "context", pgettext_lazy("stance", "Context")
        # Where the claim is made (the sentence it was taken from): neither for nor against.
        SOURCE = "source", pgettext_lazy("stance", "Where it is claimed")

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("claim")
    )
    stance = models.CharField(
        max_length=12, choices=Stance.choices, default=Stance.SUPPORTS, verbose_name=_("stance")
    )
    # An article span: offsets in code points of Article.body, and the exact quote.
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("article"),
    )
    start = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("start"))
    end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("end"))
    quote = models.TextField(blank=True, verbose_name=_("quote"))
    # An outside citation: a newspaper report, a memo, a post that an article cites.
    url = models.URLField(max_length=1000, blank=True, verbose_name=_("url"))
    citation_title = models.CharField(max_length=500, blank=True, verbose_name=_("citation title"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    cited_on = models.DateField(null=True, blank=True, verbose_name=_("cited on"))
    cited_in = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
        help_text=_("The article that names this outside citation."),
        verbose_name=_("cited in"),
    )
    note = models.TextField(
        blank=True, help_text=_("What the article says of the citation."), verbose_name=_("note")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))
    history = History()

    class Meta:
        ordering = ["claim_id", "article_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                name="evidence_span_or_citation",
                condition=(
                    Q(article__isnull=False, start__isnull=False, end__gt=F("start"))
                    | (
                        Q(article__isnull=True, start__isnull=True, end__isnull=True)
                        & (~Q(url="") | ~Q(citation_title=""))
                    )
                ),
                violation_error_message=_(
                    "Evidence is either an article span whose end is after its start, "
                    "or an outside citation with a URL or a title."
                ),
            ),
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.quote[:60] if self.article_id else (self.citation_title or self.url)

    @property
    def is_citation(self):
        return self.article_id is None

    def clean(self):
        super().clean()
        if self.article_id is not None and self.start is not None and self.end is not None:
            actual = self.article.body[self.start : self.end]
            if actual != self.quote:
                raise ValidationError(
                    {
                        "quote": gettext(
                            "The quote does not match the article at %(start)s–%(end)s: "
                            "the article has “%(actual)s”."
                        )
                        % {"start": self.start, "end": self.end, "actual": actual[:80]}
                    }
                )


class Verdict(PlainText, models.Model):
    """A rating with its rationale: proposed by one editor, approved by another."""

    class Rating(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("rating", "Confirmed")
        DISPUTED = "disputed", pgettext_lazy("rating", "Disputed")
        RUMOUR = "rumour", pgettext_lazy("rating", "Rumour (unverified)")
        FALSE = "false", pgettext_lazy("rating", "False")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("verdict status", "Proposed")
        APPROVED = "approved", pgettext_lazy("verdict status", "Approved")
        SENT_BACK = "sent_back", pgettext_lazy("verdict status", "Sent back")
        SUPERSEDED = "superseded", pgettext_lazy("verdict status", "Superseded")

    # The English labels that published snapshots and the API carry ("label"): data, the
    # same whatever language the publication or the request ran in. Not translated.
    LABELS_EN = {
        Rating.CONFIRMED: "confirmed",
        Rating.DISPUTED: "disputed",
        Rating.RUMOUR: "rumour — unverified",
        Rating.FALSE: "false",
    }

    # Chinese labels for the public pages; badges carry text as well as colour.
    LABELS_ZH = {
        Rating.CONFIRMED: "属实",
        Rating.DISPUTED: "有争议",
        Rating.RUMOUR: "传言（未证实）",
        Rating.FALSE: "不实",
    }
    # schema.org reviewRating: 1 (worst) .. 4 (best).
    RATING_VALUES = {Rating.FALSE: 1, Rating.RUMOUR: 2, Rating.DISPUTED: 3, Rating.CONFIRMED: 4}

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("claim")
    )
    rating = models.CharField(max_length=10, choices=Rating.choices, verbose_name=_("rating"))
    rationale = models.TextField(verbose_name=_("rationale"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED, verbose_name=_("status")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposed_verdicts",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("proposed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_verdicts",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_comment = models.TextField(blank=True, verbose_name=_("review comment"))
    history = History()

    class Meta:
        ordering = ["claim_id", "-proposed_at", "-id"]
        permissions = [("approve_verdict", "Can approve or send back the verdicts of others")]
        constraints = [
            models.CheckConstraint(
                name="verdict_not_reviewed_by_proposer",
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("proposed_by")),
                violation_error_message=_("Nobody approves their own verdict."),
            ),
            models.CheckConstraint(
                name="verdict_approved_has_reviewer",
                condition=~Q(status="approved")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                violation_error_message=_("An approved verdict names its approver."),
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status="approved"),
                name="one_verdict_in_force",
                violation_error_message=_("A claim has one verdict in force."),
            ),
        ]
        indexes = [
            # The verdicts waiting for review (claims.waiting), in their order: a few rows
            # among every verdict the desk ever proposed.
            models.Index(
                fields=["proposed_at", "id"],
                name="verdict_waiting_review",
                condition=Q(status="proposed"),
            ),
        ]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self):
        return f"{self.get_rating_display()} ({self.get_status_display()})"

    @property
    def label(self):
        """The rating's English label, as snapshots and the API carry it (not translated: the
        rating's name in the reader's language is `get_rating_display`)."""
        return self.LABELS_EN[self.rating]

    @property
    def label_zh(self):
        return self.LABELS_ZH[self.rating]

    @property
    def approved_at(self):
        return (
            self.reviewed_at
            if self.status in (self.Status.APPROVED, self.Status.SUPERSEDED) and self.reviewed_by_id
            else None
        )


class PublishedDigestError(Exception):
    """A published digest is frozen: a correction is a new version."""


class DigestQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def update(self, **kwargs):
        if self.published().exists():
            raise PublishedDigestError(gettext("A published digest cannot be changed."))
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise PublishedDigestError(gettext("A published digest cannot be deleted."))
        return super().delete()


class Digest(PlainText, models.Model):
    """A reviewed collection of claims; frozen once published."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, verbose_name=_("slug"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    intro = models.TextField(blank=True, verbose_name=_("intro"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        help_text=_("The published version this one corrects."),
        verbose_name=_("corrects"),
    )
    correction_note = models.TextField(blank=True, verbose_name=_("correction note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("published at")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_digest", "Can publish digests")]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:digest", args=[self.slug])

    @property
    def is_published(self):
        return self.published_at is not None

    def _stored_is_published(self):
        return (
            self.pk is not None
            and Digest.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        )

    def save(self, *args, **kwargs):
        if self._stored_is_published():
            raise PublishedDigestError(
                "A published digest cannot be changed; publish a correction."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_is_published():
            raise PublishedDigestError(gettext("A published digest cannot be deleted."))
        return super().delete(*args, **kwargs)


class DigestEntry(models.Model):
    """A claim in a digest. On publication its text, verdict and evidence are frozen into
    `snapshot` (and the columns readers filter on), so later edits never change it."""

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="entries", verbose_name=_("digest")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="digest_entries", verbose_name=_("claim")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    verdict = models.ForeignKey(
        Verdict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verdict"),
    )
    rating = models.CharField(
        max_length=10, choices=Verdict.Rating.choices, blank=True, verbose_name=_("rating")
    )
    text = models.TextField(blank=True, verbose_name=_("text"))
    search_text = models.TextField(blank=True, editable=False, verbose_name=_("search text"))
    snapshot = models.JSONField(default=dict, blank=True, verbose_name=_("snapshot"))
    articles = models.ManyToManyField(
        Article, blank=True, related_name="+", verbose_name=_("articles")
    )

    class Meta:
        ordering = ["digest_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["digest", "claim"], name="claim_once_per_digest"),
        ]
        verbose_name = _("digest entry")
        verbose_name_plural = _("digest entries")

    def __str__(self):
        return f"{self.digest} · {self.claim}"

    def save(self, *args, **kwargs):
        if self.digest._stored_is_published():
            raise PublishedDigestError(gettext("A published digest cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.digest._stored_is_published():
            raise PublishedDigestError(gettext("A published digest cannot be changed."))
        return super().delete(*args, **kwargs)


class NoticeSettings(models.Model):
    """Which email notices (claims.notices) a user gets, set on /review/notices/. A user
    without a row gets every kind that concerns them; a user without an email address gets
    none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_settings",
        verbose_name=_("user"),
    )
    enabled = models.BooleanField(_("Receive e-mail notices"), default=True)
    # One switch per kind of notice (claims.notices.KINDS), each read only while `enabled`.
    review = models.BooleanField(_("A verdict waits for my review"), default=True)
    sent_back = models.BooleanField(_("My verdict was sent back"), default=True)
    correction = models.BooleanField(
        _("A published claim changed and needs a correction"), default=True
    )
    import_done = models.BooleanField(_("An import I started has finished"), default=True)
    # The language of the user's e-mails: the one they last chose with the desk's language
    # switch (newsroom.views.set_language), or set on /review/notices/; "" is the desk's own
    # (settings.LANGUAGE_CODE).
    language = models.CharField(
        _("Language of the e-mails"), max_length=16, blank=True, choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def __str__(self):
        return f"notices of {self.user}"


# The claim assistant's models (glossary, passages, known claims): claims/assistant/models.py.
from claims.assistant.models import GlossaryEntry, KnownClaim, Passage  # noqa: E402,F401
