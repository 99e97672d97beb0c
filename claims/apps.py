from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims, verdicts and digests"

    def ready(self):
        from claims.assistant import glossary
        from sources import text

        # Search, quote anchoring and dedupe read the desk glossary's aliases (川普 = 特朗普).
        text.add_alias_source(glossary.refresh)

        # Email notices of what waits for whom hear the desk's signals (claims.notices).
        from claims import notices

        notices.connect()
