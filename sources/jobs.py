"""Imports of many files in the background, with their progress stored for a page to show.

The API (what the admin's upload form uses, and what an upload page in /review/ builds on):

- `start_upload_import(files, *, user=None, encoding=None)` — `files` are uploaded files
  (Django's UploadedFile), `(name, bytes)` pairs or `TooLarge(name, size)`. Their bytes are
  stored with a new ImportJob (in the database, so that a worker on any machine can read them)
  and the import is enqueued. Returns the ImportJob at once; nothing is imported yet (unless
  tasks run immediately: NEWSROOM_TASKS=immediate, or tests). A file over the import limit
  (IMPORT_MAX_BYTES) is not read or kept: the job refuses it, as the command refuses one.
- `read_upload(upload)` — an uploaded file's bytes, or None when it is over that limit (the
  admin's form, which imports a few files in the request, refuses it the same way).
- `start_path_import(paths, *, user=None, encoding=None)` — the same for files and folders on
  the worker's disk, as `manage.py import_articles` takes them.
- `job_status(job)` — the job as a JSON-ready dict: status, counts, per-file results (each
  with the importer's `code` and `params`, for a page to word in the editor's language:
  claims/views/imports.py).
- `run_import_job(job_id)` — the work itself, which the task (sources.tasks) calls: each file
  goes through sources.importer exactly as the command does (per-file atomic, so a refused
  file leaves nothing behind), and the job's counts and results are saved as it goes (at
  least every PROGRESS_SECONDS while files are being imported, and at the end). A job that
  finishes (done or failed) is announced: `sources.signals.import_finished`.

- `waits_for_a_worker(job)` — still queued after QUEUED_TOO_LONG seconds: no worker is
  taking the desk's tasks.
- `has_stopped(job)` and `resume(job_id)` — a job that stays running without a sign of life
  for SILENT_TOO_LONG seconds has lost its worker (stopped or restarted in the middle: a
  deployment, a crash); `resume` queues it again, and a worker imports its files from the
  start: the files it had imported come back as duplicates of themselves, nothing is imported
  twice.

A job's `status` goes queued → running → done (every file has an outcome, refused ones
included) or failed (the job itself stopped: `error` says why; the files counted in `done`
were still imported).
"""

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from sources import signals
from sources.decoding import too_large
from sources.importer import (
    IMPORTED,
    REFUSED,
    UNCHANGED,
    import_paths,
    iter_files,
    max_bytes_setting,
    refusal,
)
from sources.models import ImportJob, ImportUpload

__all__ = [
    "PROGRESS_SECONDS",
    "TooLarge",
    "read_upload",
    "start_upload_import",
    "start_path_import",
    "job_status",
    "run_import_job",
    "waits_for_a_worker",
    "has_stopped",
    "resume",
    "NotStopped",
]

logger = logging.getLogger(__name__)

# How often a running job saves its progress at most (files are imported in chunks of
# sources.importer.CHUNK_FILES, each committed once; progress is saved after a chunk).
PROGRESS_SECONDS = 0.5
# A running job that has shown no sign of life for this long has lost its worker. Progress is
# saved after each chunk of files is committed, and a chunk of large files with the claim
# assistant's checks takes minutes at most: ten is well past it.
SILENT_TOO_LONG = 600
# A job still queued after this many seconds has no worker taking it: its page says so.
QUEUED_TOO_LONG = 30


class TooLarge(NamedTuple):
    """A file over the import limit, by name and size (a zip's member, say): never read."""

    name: str
    size: int


def read_upload(upload, max_bytes=None):
    """An uploaded file's bytes, or None when it is over the import limit: such a file is
    refused unread (`sources.decoding.too_large(upload.size, limit)` says why)."""
    if upload.size > (max_bytes_setting() if max_bytes is None else max_bytes):
        return None
    return upload.read()


def _entry(item, max_bytes):
    """`(name, bytes kept, size)` of an item of start_upload_import's `files`."""
    if isinstance(item, TooLarge):
        return item.name, b"", item.size
    if isinstance(item, tuple):
        name, data = item
    else:
        name, data = item.name, read_upload(item, max_bytes)
        if data is None:
            return name, b"", item.size
    if len(data) > max_bytes:
        return name, b"", len(data)
    return name, data, len(data)


def start_upload_import(files, *, user=None, encoding=None):
    """Store uploaded files with a new ImportJob and enqueue their import; return the job.

    `files`: UploadedFile objects, `(name, bytes)` pairs or TooLarge, imported in the order
    given; a file over the import limit is kept by name and size only, and refused.
    `encoding`: force one ("utf-8", "gb18030", "big5"); None detects each file's own.
    """
    max_bytes = max_bytes_setting()
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=user if user is not None and user.is_authenticated else None,
            encoding=encoding or "",
        )
        count = 0
        for position, item in enumerate(files):
            name, data, size = _entry(item, max_bytes)
            ImportUpload.objects.create(
                job=job, position=position, name=_safe_name(name, position), data=data, size=size
            )
            count += 1
        job.total = count
        job.save(update_fields=["total"])
        _enqueue(job)
    job.refresh_from_db()
    return job


def start_path_import(paths, *, user=None, encoding=None):
    """Enqueue an import of files and folders on the worker's disk; return the job."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=user if user is not None and user.is_authenticated else None,
            encoding=encoding or "",
            paths=[str(p) for p in paths],
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job):
    """Enqueue the job's task in the job's own transaction: with the database backend the
    task row commits with the job or not at all."""
    from sources.tasks import import_files  # the task module imports this one

    result = import_files.enqueue(job.pk)
    # update(), not save(): an immediate backend has already saved the job's progress.
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def _safe_name(name, position):
    """The uploaded file's own name, usable as a file name on the worker's disk."""
    name = str(name or "").encode("utf-8", "replace").decode("utf-8")  # no lone surrogates
    name = Path(name.replace("\\", "/")).name.strip()
    if name in ("", ".", "..") or "\x00" in name:
        name = f"upload-{position + 1}"
    # Most file systems take 255 bytes; keep the end (the extension).
    while len(name.encode("utf-8")) > 200:
        name = name[1:]
    return name


def job_status(job):
    """A JSON-ready dict of the job: what a status page or poll shows."""
    return {
        "id": job.pk,
        "status": job.status,
        "finished": job.finished,
        "total": job.total,
        "done": job.done,
        "imported": job.imported,
        "unchanged": job.unchanged,
        "refused": job.refused,
        "failed": job.refused,  # files that could not be imported, by another name
        "error": job.error,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "stopped": has_stopped(job),
        "results": job.results,
    }


def waits_for_a_worker(job):
    """Still queued long after it was started (or started again): no worker is taking the
    desk's tasks."""
    waited = (timezone.now() - (job.progressed_at or job.created_at)).total_seconds()
    return job.status == ImportJob.Status.QUEUED and waited > QUEUED_TOO_LONG


def has_stopped(job):
    """Running, yet without a sign of life (progress saved) for SILENT_TOO_LONG seconds: the
    worker that ran it has stopped or was restarted in the middle."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    last = job.progressed_at or job.started_at or job.created_at
    return (timezone.now() - last).total_seconds() > SILENT_TOO_LONG


class NotStopped(Exception):
    """`resume` of a job that has not stopped (queued, running, done or failed)."""


def resume(job_id):
    """Queue a stopped job again; return it. A worker imports its files from the start (the
    uploads are kept until a job is done): those already imported come back as duplicates of
    themselves, nothing is imported twice. Raises NotStopped when the job has not stopped."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if not has_stopped(job):
            raise NotStopped(job.status)
        job.status = ImportJob.Status.QUEUED
        job.started_at = None
        job.progressed_at = timezone.now()
        job.save(update_fields=["status", "started_at", "progressed_at"])
        _enqueue(job)
    job.refresh_from_db()
    return job


# What a running job saves as it goes.
PROGRESS_FIELDS = ["done", "imported", "unchanged", "refused", "results", "total", "progressed_at"]


class _Progress:
    """Counts and per-file results of a running job, saved every PROGRESS_SECONDS."""

    def __init__(self, job, names=None):
        self.job = job
        self.names = names or {}
        self.saved_at = time.monotonic()

    def record(self, result):
        job = self.job
        name = self.names.get(result.path, result.path or result.filename)
        job.results.append({**result.as_stored(), "filename": name})
        job.done += 1
        if result.status == IMPORTED:
            job.imported += 1
        elif result.status == UNCHANGED:
            job.unchanged += 1
        elif result.status == REFUSED:
            job.refused += 1
        if time.monotonic() - self.saved_at >= PROGRESS_SECONDS:
            self.save()

    def save(self):
        self.job.progressed_at = timezone.now()
        self.job.save(update_fields=PROGRESS_FIELDS)
        self.saved_at = time.monotonic()


def run_import_job(job_id):
    """Import the job's files, saving progress as it goes; return the final status dict.

    A job that is already finished is left as it is (a task that runs twice imports once).
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise ImportJob.DoesNotExist(f"No import job #{job_id}")
    if job.finished:
        return job_status(job)
    job.status = ImportJob.Status.RUNNING
    job.started_at = job.progressed_at = timezone.now()
    job.done = job.imported = job.unchanged = job.refused = 0
    job.results = []
    job.error = ""
    job.save()
    folder = None
    try:
        if job.paths:
            job.total = sum(1 for _ in iter_files(job.paths))
            progress = _Progress(job)
            progress.save()
            import_paths(
                job.paths,
                encoding=job.encoding or None,
                on_result=progress.record,
                keep_results=False,
            )
        else:
            # The uploads go to a private folder, one sub-folder each (two uploads may share a
            # name), and through the same importer as the command's files; a file that was
            # too large to keep is refused in its place.
            folder = Path(tempfile.mkdtemp(prefix=f"newsroom-import-{job.pk}-"))
            items, names = [], {}
            for upload in job.uploads.order_by("position").iterator(chunk_size=50):
                data = bytes(upload.data)
                if upload.size > len(data):
                    items.append(refusal(upload.name, too_large(upload.size, max_bytes_setting())))
                    continue
                path = folder / f"{upload.position:06d}" / upload.name
                path.parent.mkdir()
                path.write_bytes(data)
                items.append(path)
                names[str(path)] = upload.name
            job.total = len(items)
            progress = _Progress(job, names)
            batch = []
            for item in [*items, None]:
                if isinstance(item, Path):
                    batch.append(item)
                    continue
                if batch:
                    import_paths(
                        batch,
                        encoding=job.encoding or None,
                        on_result=progress.record,
                        keep_results=False,
                    )
                    batch = []
                if item is not None:
                    progress.record(item)
        job.status = ImportJob.Status.DONE
    except Exception as exc:
        logger.exception("Import job #%s stopped", job.pk)
        job.status = ImportJob.Status.FAILED
        job.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        raise
    finally:
        job.finished_at = job.progressed_at = timezone.now()
        job.save(update_fields=[*PROGRESS_FIELDS, "status", "finished_at", "error", "started_at"])
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if job.status == ImportJob.Status.DONE:
            job.uploads.all().delete()  # imported: the bytes are not needed any more
        if job.finished:  # whoever started it hears of it (the desk's email notices)
            _announce_finished(job)
    return job_status(job)


def _announce_finished(job):
    """Tell `signals.import_finished`'s listeners; one that fails is logged, nothing more."""
    for receiver, error in signals.import_finished.send_robust(sender=ImportJob, job=job):
        if isinstance(error, Exception):
            logger.error(
                "A listener of import_finished failed: %r",
                receiver,
                exc_info=(type(error), error, error.__traceback__),
            )
