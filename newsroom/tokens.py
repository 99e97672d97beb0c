"""`Authorization: Token <key>` for the API, with the desk's rules: a token expires
NEWSROOM_TOKEN_TTL seconds after it was issued, and changing a password (or making it
unusable) revokes every token of that person."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions

from newsroom.models import ApiToken, digest_of

# last_used is written at most this often per token, so that reads stay cheap.
LAST_USED_RESOLUTION_SECONDS = 60

EXPIRED_MESSAGE = gettext_lazy("Token expired: ask for a new one with POST /api/v1/auth/token/.")


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key):
        # DRF's own messages (and their translations) where DRF has them.
        try:
            token = ApiToken.objects.select_related("user").get(digest=digest_of(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.expired:
            raise exceptions.AuthenticationFailed(EXPIRED_MESSAGE, code="token_expired")
        now = timezone.now()
        if (
            token.last_used is None
            or (now - token.last_used).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token.user, token


def _note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Django has no password-changed signal: compare the stored hash before the save.
    (A hash upgrade on login, after a Django upgrade changes the hasher's work factor, counts
    as a change too: the person then asks for a new token once.)"""
    instance._newsroom_password_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    )
    instance._newsroom_password_changed = stored is not None and stored != instance.password


def _revoke_tokens_after_password_change(sender, instance, created=False, raw=False, **kwargs):
    if getattr(instance, "_newsroom_password_changed", False):
        ApiToken.objects.filter(user=instance).delete()
        instance._newsroom_password_changed = False


def connect_signals():
    user_model = get_user_model()
    pre_save.connect(
        _note_password_change, sender=user_model, dispatch_uid="newsroom-password-change"
    )
    post_save.connect(
        _revoke_tokens_after_password_change,
        sender=user_model,
        dispatch_uid="newsroom-password-change-revoke",
    )
