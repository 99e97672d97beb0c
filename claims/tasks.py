"""Background tasks of the claims app (see sources/tasks.py for how tasks work here)."""

from django_tasks import task

from claims import refold as refolding


@task()
def refold() -> dict:
    """Fold every stored text again (claims.refold.refold_all): enqueued when the glossary
    changes, so that search and dedupe read its aliases in the stored texts too."""
    return refolding.refold_all()
