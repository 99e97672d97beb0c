"""Signals the sources app sends for others to hear (the desk's email notices, say); sources
never knows who listens.
"""

from django.dispatch import Signal

# A background import (sources.jobs.run_import_job) finished: done, or stopped (failed). Sent
# with send_robust once the job's final state is saved (in the worker, committed; with tasks
# run in the request, inside its transaction: a listener that acts outside the database waits
# for the commit, transaction.on_commit). Arguments: `job` (the ImportJob).
import_finished = Signal()
