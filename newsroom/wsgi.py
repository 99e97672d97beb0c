import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

# A desk of thousands of articles reads the claim assistant's index here, once, before gunicorn
# forks its workers (`preload_app`, on in bench/gunicorn.conf.py with the same variable): each
# worker starts with it, instead of reading it on its first assistant request, which can take
# longer than gunicorn's worker timeout.
if os.environ.get("NEWSROOM_WARM_ASSISTANT", "").strip().lower() in {"1", "true", "yes", "on"}:
    from claims.assistant.index import warm

    warm()
