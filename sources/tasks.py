"""Background tasks of the sources app (Django's tasks framework, django-tasks backport).

A task is a plain function decorated with `@task()` (newsroom.tasks: the framework's, which
keeps the worker alive when the database drops a connection under a task); its arguments and
return value must be JSON (ids, not model instances), and it is started with
`the_task.enqueue(args…)`. Settings
(TASKS) pick the backend: the database backend in production and `make run`, where
`manage.py db_worker` runs them; NEWSROOM_TASKS=immediate runs them in the caller.

To add one (the claim assistant's known-claim check, say): write the work as a function that
records its own progress in a model (as sources.jobs does for imports), then a `@task()`
wrapper here or in that app's own `tasks.py` that calls it with an id. The worker finds any
task by its module path; nothing else needs registering.
"""

from newsroom.tasks import task
from sources import jobs


@task()
def import_files(job_id: int) -> dict:
    """Import the files of ImportJob `job_id` (sources.jobs.run_import_job). Returns the
    counts; the per-file results stay on the job."""
    status = jobs.run_import_job(job_id)
    status.pop("results", None)
    return status
