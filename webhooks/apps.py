from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from claims.signals import digest_published
        from webhooks import events

        # claims never imports webhooks: it sends, we listen.
        digest_published.connect(events.digest_published, dispatch_uid="webhooks.digest_published")
