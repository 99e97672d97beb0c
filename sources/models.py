import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sources import text as scripts
from sources import titles


class PlainText:
    """Model mixin: `full_clean` (the admin's forms, services that validate) refuses control
    characters in every text field, by the one rule of sources.text."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.error_dict
        for field in self._meta.concrete_fields:
            if (
                isinstance(field, (models.CharField, models.TextField))
                and field.name not in errors
                and field.name not in (exclude or ())
            ):
                try:
                    scripts.refuse_control_characters(getattr(self, field.attname))
                except ValidationError as exc:
                    errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


class Source(PlainText, models.Model):
    class Kind(models.TextChoices):
        OUTLET = "outlet", pgettext_lazy("source kind", "News outlet")
        SELF_MEDIA = "self_media", pgettext_lazy("source kind", "Self-media account")
        SOCIAL = "social", pgettext_lazy("source kind", "Social media author")
        WIRE = "wire", pgettext_lazy("source kind", "News agency")
        OFFICIAL = "official", pgettext_lazy("source kind", "Official statement")
        UNKNOWN = "unknown", pgettext_lazy("source kind", "Unknown")

    UNKNOWN_SLUG = "unknown-source"
    # The placeholder's stored name (published snapshots and import results keep it): pages
    # name it in the reader's language instead (`named`).
    UNKNOWN_NAME = "未知来源 (unknown source)"

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, verbose_name=_("slug"))
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.OUTLET, verbose_name=_("kind")
    )
    homepage = models.URLField(blank=True, verbose_name=_("homepage"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    class Meta:
        ordering = [Lower("name")]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return str(self.shown_name)

    @property
    def is_unknown(self):
        """The placeholder of the articles that credit no outlet (rumour messages, posts)."""
        return self.slug == self.UNKNOWN_SLUG

    @property
    def shown_name(self):
        """The name pages show: the placeholder for articles without an outlet credit is named
        in the reader's language; every other source by its own name."""
        if self.is_unknown:
            return gettext("Unknown source")
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True) or f"source-{abs(hash(self.name))}"
        super().save(*args, **kwargs)

    @classmethod
    def is_unknown_name(cls, name):
        """Whether a name kept in a snapshot or an import result is the placeholder's."""
        return name == cls.UNKNOWN_NAME

    @classmethod
    def named(cls, name):
        """A source's name as kept in a snapshot or an import result, as pages show it: the
        placeholder's in the reader's language, any other as written."""
        return gettext("Unknown source") if cls.is_unknown_name(name) else name

    @classmethod
    def unknown(cls):
        source, _ = cls.objects.get_or_create(
            slug=cls.UNKNOWN_SLUG,
            defaults={"name": cls.UNKNOWN_NAME, "kind": cls.Kind.UNKNOWN},
        )
        return source


class Article(PlainText, models.Model):
    class Script(models.TextChoices):
        HANS = scripts.HANS, pgettext_lazy("script", "Simplified")
        HANT = scripts.HANT, pgettext_lazy("script", "Traditional")
        MIXED = scripts.MIXED, pgettext_lazy("script", "Mixed")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles", verbose_name=_("source")
    )
    title = models.CharField(max_length=500, blank=True, verbose_name=_("title"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    url = models.URLField(max_length=1000, blank=True, verbose_name=_("url"))
    tags = models.JSONField(default=list, blank=True, verbose_name=_("tags"))
    body = models.TextField(
        help_text=_("The article's text, without boilerplate."), verbose_name=_("body")
    )
    boilerplate = models.TextField(
        blank=True,
        help_text=_("Disclaimers, image placeholders and reposting notices, kept apart."),
        verbose_name=_("boilerplate"),
    )
    script = models.CharField(max_length=5, choices=Script.choices, verbose_name=_("script"))
    search_text = models.TextField(
        editable=False,
        help_text=_("Title and body, with Simplified and Traditional folded."),
        verbose_name=_("search text"),
    )
    fingerprint = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("fingerprint")
    )
    filename = models.CharField(max_length=500, blank=True, verbose_name=_("filename"))
    encoding = models.CharField(max_length=20, blank=True, verbose_name=_("encoding"))
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("imported at"))

    class Meta:
        ordering = ["-published_on", "id"]
        indexes = [models.Index(fields=["published_on"])]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.display_title or f"Article #{self.pk}"

    def get_absolute_url(self):
        return reverse("review:article", args=[self.pk])

    def use_search_text(self, folded):
        """Take an already folded search text for the current title and body: the importer
        folds each text once, for the fingerprint and the search text both."""
        self._folded_for = (self.title, self.body)
        self.search_text = folded

    def save(self, *args, **kwargs):
        if not self.title.strip() and self.body.strip():
            self.title = titles.title_for(self.body, self.boilerplate)[:500]
        if getattr(self, "_folded_for", None) != (self.title, self.body):
            scripts.refresh_aliases()
            self.search_text = scripts.fold(f"{self.title}\n{self.body}")
        if not self.fingerprint:
            self.fingerprint = content_fingerprint(self.body)
        super().save(*args, **kwargs)

    @property
    def display_title(self):
        """What readers see as the article's name: its title, or for an article stored before
        titles were always set (see `manage.py retitle`), the one its text gives. Never the file
        name."""
        return self.title or titles.title_for(self.body, self.boilerplate)


def content_fingerprint(body):
    """The same article in another encoding, script or line layout has the same fingerprint."""
    return fingerprint_of_folded(scripts.fold(body))


def fingerprint_of_folded(folded):
    """The fingerprint of a body already folded with `sources.text.fold`."""
    return hashlib.sha256(re.sub(r"\s+", "", folded).encode("utf-8")).hexdigest()


# --- imports in the background (sources.jobs, sources.tasks) ---------------------------------


class ImportJob(models.Model):
    """One import of many files, run by a background worker; its progress and the outcome of
    each file, for a page (or a poll of the API) to show. See sources.jobs."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import job", "Queued")
        RUNNING = "running", pgettext_lazy("import job", "Importing")
        DONE = "done", pgettext_lazy("import job", "Done")
        FAILED = "failed", pgettext_lazy("import job", "Failed")

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    created_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    # The job's last sign of life: queued (again), started, or its progress saved. A running
    # job silent for long has lost its worker (sources.jobs.has_stopped).
    progressed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("progressed at"))
    encoding = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("The encoding chosen, or empty: detected."),
        verbose_name=_("encoding"),
    )
    # Files on the worker's disk (files and folders, as `import_articles` takes them); uploads
    # are ImportUpload rows instead.
    paths = models.JSONField(default=list, blank=True, verbose_name=_("paths"))
    total = models.PositiveIntegerField(
        default=0, help_text=_("Files to import (known once counted)."), verbose_name=_("total")
    )
    done = models.PositiveIntegerField(
        default=0,
        help_text=_("Files imported, unchanged or refused so far."),
        verbose_name=_("done"),
    )
    imported = models.PositiveIntegerField(default=0, verbose_name=_("imported"))
    unchanged = models.PositiveIntegerField(default=0, verbose_name=_("unchanged"))
    refused = models.PositiveIntegerField(default=0, verbose_name=_("refused"))
    # [{"filename", "status": imported|unchanged|refused, "message", "article": id | null,
    #   "code", "params"}], in order (sources.jobs; worded by sources.outcomes).
    results = models.JSONField(default=list, blank=True, verbose_name=_("results"))
    error = models.TextField(
        blank=True, help_text=_("Why the job itself stopped, if it did."), verbose_name=_("error")
    )
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task id"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return _("Import #%(id)s (%(status)s, %(done)s/%(total)s)") % {
            "id": self.pk,
            "status": self.get_status_display(),
            "done": self.done,
            "total": self.total,
        }

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportUpload(models.Model):
    """An uploaded file waiting for its job: the bytes live in the database, so that a worker
    on any machine can read them. Deleted once the job has imported it."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("job")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"))
    name = models.CharField(max_length=500, verbose_name=_("name"))
    data = models.BinaryField(verbose_name=_("data"))
    # The file's size as uploaded. A file over the import limit is not kept (data is empty)
    # and the job refuses it unread, as the command refuses a large file.
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("size"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "position"], name="sources_importupload_job_position"
            )
        ]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self):
        return _("%(name)s (import #%(id)s)") % {"name": self.name, "id": self.job_id}


class ArticleFile(models.Model):
    """A file that arrived as an article: the one it was imported from, and every later copy
    of the same text (in the other script, another encoding or line layout), which is not
    imported again. Editors see them all on the article's page."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="files", verbose_name=_("article")
    )
    filename = models.CharField(max_length=500, blank=True, verbose_name=_("filename"))
    encoding = models.CharField(max_length=20, blank=True, verbose_name=_("encoding"))
    script = models.CharField(
        max_length=5, choices=Article.Script.choices, verbose_name=_("script")
    )
    # sha256 of the file's bytes: the same file again records nothing.
    checksum = models.CharField(max_length=64, blank=True, verbose_name=_("checksum"))
    arrived_at = models.DateTimeField(auto_now_add=True, verbose_name=_("arrived at"))

    class Meta:
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "checksum"], name="one_row_per_file_of_an_article"
            ),
        ]
        verbose_name = _("article file")
        verbose_name_plural = _("article files")

    def __str__(self):
        return f"{self.filename or '—'} ({self.get_script_display()}, {self.encoding or '?'})"
