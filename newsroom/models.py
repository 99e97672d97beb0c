"""API tokens: several per person (one per script or machine), each expiring, listed and
revoked one by one. Only a SHA-256 digest of the key is stored: a database dump or backup does
not hand out working tokens. The key itself is shown once, when it is issued."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Tokens kept per person; issuing one more drops the oldest.
MAX_TOKENS_PER_USER = 20
PREFIX_LENGTH = 8


def digest_of(key):
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenManager(models.Manager):
    def issue(self, user, name=""):
        """A new token for `user`: returns (token, key). Expired tokens of the user go, and
        the oldest beyond MAX_TOKENS_PER_USER."""
        self.filter(user=user, created__lte=timezone.now() - ttl()).delete()
        key = secrets.token_urlsafe(32)
        token = self.create(user=user, digest=digest_of(key), prefix=key[:PREFIX_LENGTH], name=name)
        surplus = (
            self.filter(user=user)
            .order_by("-created", "-pk")
            .values_list("pk", flat=True)[MAX_TOKENS_PER_USER:]
        )
        if surplus:
            self.filter(pk__in=list(surplus)).delete()
        return token, key


def ttl():
    return timedelta(seconds=settings.NEWSROOM_TOKEN_TTL)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("token hash")
    )
    prefix = models.CharField(
        max_length=PREFIX_LENGTH,
        editable=False,
        help_text=_("The key's first characters, to tell tokens apart."),
        verbose_name=_("prefix"),
    )
    name = models.CharField(
        max_length=100, blank=True, help_text=_("What the token is for."), verbose_name=_("name")
    )
    created = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created"))
    last_used = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last used")
    )

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def expires(self):
        """Computed from the current NEWSROOM_TOKEN_TTL: shortening it takes effect at once."""
        return self.created + ttl()

    @property
    def expired(self):
        return timezone.now() >= self.expires
