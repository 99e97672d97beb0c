from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        from newsroom import checks, db, tokens  # noqa: F401 (checks registers itself)

        tokens.connect_signals()
        db.connect_signals()
