from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims, verdicts and digests")

    def ready(self):
        from claims.assistant import glossary
        from sources import text

        # Search, quote anchoring and dedupe read the desk glossary's aliases (川普 = 特朗普).
        text.add_alias_source(glossary.refresh)

        # Email notices of what waits for whom hear the desk's signals (claims.notices).
        from claims import notices

        notices.connect()
