"""Background tasks of the claims app (see sources/tasks.py for how tasks work here)."""

from claims import notices
from claims import refold as refolding
from newsroom.tasks import task


@task()
def refold() -> dict:
    """Fold every stored text again (claims.refold.refold_all): enqueued when the glossary
    changes, so that search and dedupe read its aliases in the stored texts too."""
    return refolding.refold_all()


@task()
def send_notice(kind: str, ids: dict) -> int:
    """Write and send an e-mail notice (claims.notices.send): queued when the write that
    caused it commits, so that no request waits on the mail server. Returns how many e-mails
    were sent."""
    return notices.send(kind, ids)
