from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("API access")

    def ready(self):
        from newsroom import checks, db, tokens  # noqa: F401 (checks registers itself)

        tokens.connect_signals()
        db.connect_signals()
