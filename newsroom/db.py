"""PostgreSQL session settings for a web process: short queries, answered at once.

Every page and API answer is a handful of short, LIMITed queries. PostgreSQL's parallel
workers (a few milliseconds to start each time, and the two app workers already use both
cores) and JIT compilation (tens to hundreds of milliseconds, triggered by cost estimates, not
by time) only add latency to them, so each new connection turns both off. Reports or
maintenance that want them can SET them back in their own session.
"""

from django.db.backends.signals import connection_created

SESSION_SETTINGS = "SET max_parallel_workers_per_gather = 0; SET jit = off"


def tune_session(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SESSION_SETTINGS)


def connect_signals():
    connection_created.connect(tune_session, dispatch_uid="newsroom.db.tune_session")
