"""gunicorn settings for the benchmark, and a starting point for production
(`gunicorn -c bench/gunicorn.conf.py newsroom.wsgi`); the bind address comes from the command
line or GUNICORN_BIND."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
# Requests are short; a worker stuck this long is restarted.
timeout = 30
graceful_timeout = 10
keepalive = 5
# NEWSROOM_WARM_ASSISTANT=1: the app (and the claim assistant's index, newsroom/wsgi.py) is
# loaded once in the master before the workers are forked, which start with it.
preload_app = os.environ.get("NEWSROOM_WARM_ASSISTANT", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
# Logs go to stderr as the product's JSON lines; no access log on the hot path.
accesslog = None
errorlog = "-"
loglevel = "warning"
