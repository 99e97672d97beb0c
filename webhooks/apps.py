from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from claims.signals import digest_published
        from webhooks import events

        # claims never imports webhooks: it sends, we listen.
        digest_published.connect(events.digest_published, dispatch_uid="webhooks.digest_published")
