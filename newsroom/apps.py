from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        from newsroom import db, tokens

        tokens.connect_signals()
        db.connect_signals()
