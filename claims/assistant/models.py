"""What the claim assistant keeps in the database (models of the `claims` app, imported by
claims/models.py; migration claims/0004).

- `GlossaryEntry`: the desk's aliases (川普 = 特朗普, 杨立昆 = Yann LeCun). Data that editors own:
  edited in the admin, exported with the review file.
- `Passage`: each sentence of an article, read once when the article is stored: its span, its
  words (segmented, script-folded) and the figures it gives. The assistant's in-memory index
  is built from these rows and follows them as they are added (claims/assistant/index.py).
- `KnownClaim`: a sentence of an arriving article that repeats one of the desk's claims, found
  when the article was imported ("new articles that repeat rated claims").
"""

import logging

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from sources.models import Article, PlainText

logger = logging.getLogger(__name__)


class GlossaryEntry(PlainText, models.Model):
    """One alias of a name: `term` is read as `canonical` when texts are compared."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text=_("The alias as articles write it, in either script: 川普"),
        verbose_name=_("term"),
    )
    canonical = models.CharField(
        max_length=100,
        help_text=_("The name the desk compares it as: 特朗普"),
        verbose_name=_("canonical"),
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["canonical", "term"]
        verbose_name = _("glossary entry (alias)")
        verbose_name_plural = _("glossary (aliases)")

    def __str__(self):
        return f"{self.term} = {self.canonical}"


class Passage(models.Model):
    """A sentence of an article as the assistant reads it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    # Space-separated words of the script-folded sentence (function words left out), and the
    # subset that names people, places and organisations (part-of-speech tags).
    words = models.TextField(blank=True, verbose_name=_("words"))
    names = models.TextField(blank=True, verbose_name=_("names"))
    # [[start, end, text, value, unit, qualifier, iso], ...]: offsets in the article body.
    figures = models.JSONField(default=list, blank=True, verbose_name=_("figures"))
    hedged = models.BooleanField(default=False, verbose_name=_("hedged"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        ordering = ["article_id", "start"]
        indexes = [models.Index(fields=["article", "start"])]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self):
        return f"{self.article_id}:{self.start}-{self.end}"


class KnownClaim(models.Model):
    """An imported article repeats one of the desk's claims in the sentence at start:end."""

    # No index of its own: the unique (article, claim) index below serves lookups by article,
    # and each imported article adds up to twenty rows to every index of this table.
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("article"),
    )
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="+", verbose_name=_("claim")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    score = models.FloatField(verbose_name=_("score"))
    found_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("found at"))

    class Meta:
        ordering = ["-found_at", "article_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "claim"], name="known_claim_once_per_article"
            ),
        ]
        verbose_name = _("known claim")
        verbose_name_plural = _("known claims")

    def __str__(self):
        return f"article {self.article_id} repeats claim {self.claim_id}"


# --- keeping the index in step with the articles ---------------------------------------------
# sources/ never imports claims/: the claims app listens to Article's signals instead.


def _article_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return  # loaddata: the dump holds the passages too
    from claims.assistant import arrival

    try:
        # A savepoint of its own: if reading the article fails, nothing of it is half-stored
        # and the article itself is still imported (`manage.py assistant_index` reads it later).
        with transaction.atomic():
            arrival.article_stored(instance, created)
    except Exception:  # noqa: BLE001 - the assistant must never stop an import
        logger.exception("The claim assistant could not read article %s", instance.pk)


def _article_deleted(sender, instance, **kwargs):
    from claims.assistant import index

    index.forget_article(instance.pk)


def _glossary_changed(sender, **kwargs):
    from claims.assistant import glossary

    glossary.changed()
    # Stored search texts and fingerprints were folded with the old aliases: fold them again
    # once the change is committed (once per transaction, however many entries it changed).
    connection = transaction.get_connection()
    if not any(func is _enqueue_refold for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_enqueue_refold)


def _enqueue_refold():
    from claims import tasks

    tasks.refold.enqueue()


def _claims_changed(sender, **kwargs):
    from claims.assistant import arrival, index

    arrival.claims_changed()
    index.changed()


for _model in ("claims.Claim", "claims.Evidence"):
    post_save.connect(_claims_changed, sender=_model, dispatch_uid=f"assistant-{_model}-saved")
    post_delete.connect(_claims_changed, sender=_model, dispatch_uid=f"assistant-{_model}-deleted")

post_save.connect(_glossary_changed, sender=GlossaryEntry, dispatch_uid="assistant-glossary-saved")
post_delete.connect(
    _glossary_changed, sender=GlossaryEntry, dispatch_uid="assistant-glossary-deleted"
)
post_save.connect(_article_saved, sender=Article, dispatch_uid="assistant-article-saved")
post_delete.connect(_article_deleted, sender=Article, dispatch_uid="assistant-article-deleted")
