"""Email notices of what waits for whom (the waiting page's lists, claims.waiting, by mail).

Four kinds, heard from the desk's signals (claims.signals, sources.signals) and sent once the
write that caused them commits (transaction.on_commit: never for a write rolled back), to the
people they concern and never to the one who acted:

- `review`: a verdict waits for review (proposed, or put back in review because its claim
  changed): to the reviewers, never to its proposer;
- `sent_back`: a verdict was sent back: to its proposer, with the reviewer's comment;
- `correction`: a published claim was changed after its publication (the first change since:
  from then on it waits on the page): to the reviewers, who publish corrections;
- `import_done`: a background import finished (or stopped): to whoever started it.

Each email is short plain text and links to the page where the work is, on the desk's
address (settings.DESK_URL, as the feed and JSON-LD build theirs). It is written in the
recipient's language (NoticeSettings.language: the last one they chose with the desk's language
switch, or on the notices page; else settings.LANGUAGE_CODE), whatever language the request
that caused it was in, and from the import worker too, which has no request. A user turns
notices off, all or per kind, on /review/notices/ (NoticeSettings); a user without an email
address, or no longer allowed to do the work, gets none. The mail goes through Django's mail
framework (EMAIL_BACKEND: the console with DEBUG, SMTP in production); a mail server that fails is
logged and never undoes or breaks the editor's action.

Loading a review file (claims.review_file.load_review: seeds, restores) sends none: `paused()`.
Mail is written and sent by a background task (claims.tasks.send_notice, run by the worker:
`make run` starts one), queued once the write commits: no editor's request waits on the mail
server, which holds the worker at most EMAIL_TIMEOUT seconds.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from claims import signals
from claims.access import is_editor
from claims.jsonld import absolute
from claims.models import NoticeSettings
from sources import signals as source_signals

logger = logging.getLogger(__name__)

# The kinds, as the settings page names them (NoticeSettings has a switch for each).
KINDS = {
    "review": gettext_lazy("A verdict waits for my review"),
    "sent_back": gettext_lazy("My verdict was sent back"),
    "correction": gettext_lazy("A published claim was changed and needs a correction"),
    "import_done": gettext_lazy("An import I started has finished"),
}
# The kinds only reviewers get (editors are never sent them, nor offered them).
REVIEWER_KINDS = ("review", "correction")
SUBJECT_TEXT = 40  # characters of a claim's text in a subject

_paused = contextvars.ContextVar("notices_paused", default=False)


@contextlib.contextmanager
def paused():
    """No notices for the writes made while the block runs, whenever they commit (loading a
    review file records past work: nothing in it is news to anyone)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


# --- who wants what --------------------------------------------------------------------------


def settings_of(user):
    """The user's NoticeSettings; an unsaved one (everything on) when they never chose."""
    try:
        return user.notice_settings
    except NoticeSettings.DoesNotExist:
        return NoticeSettings(user=user)


def wants(user, kind):
    """Whether `user` gets notices of `kind`: an active user with an email address who has not
    turned them off."""
    if user is None or not user.is_active or not (user.email or "").strip():
        return False
    chosen = settings_of(user)
    return chosen.enabled and getattr(chosen, kind)


def reviewers():
    """Everyone who may review (claims.access.is_reviewer: the approve_verdict permission, by
    group, by user, or a superuser), active, with an email address."""
    return (
        get_user_model()
        .objects.with_perm(
            "claims.approve_verdict",
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(email="")
        .select_related("notice_settings")
        .order_by("pk")
    )


def _recipients(kind, users, *, besides=()):
    """The users of `users` who get this notice: not those in `besides` (the actor, the
    proposer), and only those who want it."""
    left_out = {getattr(u, "pk", u) for u in besides if u is not None}
    return [u for u in users if u.pk not in left_out and wants(u, kind)]


# --- the emails ------------------------------------------------------------------------------


def language_of(user):
    """The language of `user`'s e-mails: the one they chose (NoticeSettings.language, set by the
    desk's language switch or on the notices page), else the desk's (settings.LANGUAGE_CODE)."""
    chosen = settings_of(user).language
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _link(viewname, *args, fragment=""):
    return absolute(reverse(viewname, args=args)) + fragment


def _one_line(text, limit=SUBJECT_TEXT):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _name(user):
    return user.get_username() if user is not None else _("(deleted user)")


def _footer():
    turn_off = _("To stop e-mails like this one, turn them off here: %(url)s") % {
        "url": _link("review:notices")
    }
    return f"\n\n—\n{settings.DESK_NAME}\n{turn_off}\n"


def _send(kind, recipients, compose):
    """One email per recipient (nobody sees who else got it), through one connection, each in
    the recipient's language: `compose()` gives the (subject, body), written once per language.
    A mail server that fails is logged; nothing is raised. Returns how many were sent."""
    if not recipients:
        return 0
    by_language = {}
    for user in recipients:
        by_language.setdefault(language_of(user), []).append(user)
    sent = 0
    try:
        with mail.get_connection() as connection:
            for language, users in by_language.items():
                with translation.override(language):
                    subject, body = compose()
                    subject = pgettext("e-mail subject", "[Fact-check desk] ") + _one_line(
                        subject, 120
                    )
                    body = body + _footer()
                for user in users:
                    message = mail.EmailMessage(
                        subject, body, to=[user.email], connection=connection
                    )
                    try:
                        sent += message.send()
                    except Exception:
                        logger.exception(
                            "Email notice (%s) to user #%s was not sent", kind, user.pk
                        )
    except Exception:  # the mail server could not be reached at all
        logger.exception(
            "Email notices (%s) to %d users were not sent: the mail server failed",
            kind,
            len(recipients),
        )
    return sent


def review_notice(verdict, actor, reopened=False):
    """To the reviewers, never the proposer (nor whoever changed the claim)."""
    recipients = _recipients("review", reviewers(), besides=(verdict.proposed_by_id, actor))
    if not recipients:
        return 0

    def compose():
        claim = verdict.claim
        if reopened:
            opening = _(
                "After the verdict “%(verdict)s” on claim #%(id)s was approved, %(who)s changed "
                "the claim: the verdict needs to be reviewed again."
            ) % {"verdict": verdict.get_rating_display(), "id": claim.pk, "who": _name(actor)}
        else:
            opening = _(
                "%(who)s proposed the verdict “%(verdict)s” on claim #%(id)s; it waits for a "
                "second editor's review."
            ) % {
                "verdict": verdict.get_rating_display(),
                "id": claim.pk,
                "who": _name(verdict.proposed_by),
            }
        body = "\n".join(
            [
                opening,
                "",
                _("Claim: %(text)s") % {"text": claim.text},
                _("Rationale: %(text)s") % {"text": verdict.rationale},
                "",
                _("Review it: %(url)s")
                % {"url": _link("review:claim", claim.pk, fragment="#verdicts")},
            ]
        )
        subject = _("To review: #%(id)s %(text)s") % {"id": claim.pk, "text": _one_line(claim.text)}
        return subject, body

    return _send("review", recipients, compose)


def sent_back_notice(verdict, actor):
    """To the verdict's proposer, with the reviewer's comment."""
    proposer = verdict.proposed_by
    if not is_editor(proposer):
        return 0
    recipients = _recipients("sent_back", [proposer], besides=(actor,))
    if not recipients:
        return 0

    def compose():
        claim = verdict.claim
        body = "\n".join(
            [
                _("%(who)s sent back the verdict “%(verdict)s” you proposed on claim #%(id)s.")
                % {
                    "who": _name(verdict.reviewed_by),
                    "verdict": verdict.get_rating_display(),
                    "id": claim.pk,
                },
                "",
                _("Reviewer's comment:"),
                verdict.review_comment,
                "",
                _("Claim: %(text)s") % {"text": claim.text},
                "",
                _("Edit it: %(url)s")
                % {"url": _link("review:claim", claim.pk, fragment="#verdicts")},
            ]
        )
        subject = _("Verdict sent back: #%(id)s %(text)s") % {
            "id": claim.pk,
            "text": _one_line(claim.text),
        }
        return subject, body

    return _send("sent_back", recipients, compose)


def correction_notice(claim, actor):
    """To the reviewers (who publish corrections), not whoever changed the claim."""
    recipients = _recipients("correction", reviewers(), besides=(actor,))
    if not recipients:
        return 0

    def compose():
        digest = claim.published_entry.digest
        body = "\n".join(
            [
                _(
                    "Claim #%(id)s was published in “%(title)s” (version %(version)s, published "
                    "%(published)s); %(who)s then changed it on %(changed)s. Readers still see the "
                    "published version: a correction needs to be published."
                )
                % {
                    "id": claim.pk,
                    "title": digest.title,
                    "version": digest.version,
                    "published": _when(digest.published_at),
                    "who": _name(actor),
                    "changed": _when(claim.updated_at),
                },
                "",
                _("Claim: %(text)s") % {"text": claim.text},
                "",
                _("See the claim: %(url)s") % {"url": _link("review:claim", claim.pk)},
                _("Publish a correction: %(url)s")
                % {"url": _link("review:digest_detail", digest.pk)},
            ]
        )
        subject = _("Correction needed: #%(id)s %(text)s") % {
            "id": claim.pk,
            "text": _one_line(claim.text),
        }
        return subject, body

    return _send("correction", recipients, compose)


def import_notice(job):
    """To whoever started the import."""
    starter = job.created_by
    if not is_editor(starter):
        return 0
    recipients = _recipients("import_done", [starter])
    if not recipients:
        return 0

    def compose():
        figures = {
            "id": job.pk,
            "when": _when(job.created_at),
            "total": job.total,
            "done": job.done,
            "counts": _("%(imported)s imported, %(unchanged)s duplicates, %(refused)s refused")
            % {"imported": job.imported, "unchanged": job.unchanged, "refused": job.refused},
        }
        if job.status == job.Status.FAILED:
            subject = _("Import stopped on an error: #%(id)s") % figures
            summary = (
                ngettext(
                    "The import #%(id)s you started on %(when)s stopped on an error: %(done)s of "
                    "%(total)s file was processed (%(counts)s).",
                    "The import #%(id)s you started on %(when)s stopped on an error: %(done)s of "
                    "%(total)s files were processed (%(counts)s).",
                    job.total,
                )
                % figures
            )
        else:
            subject = (
                ngettext(
                    "Import finished: #%(id)s, %(total)s file",
                    "Import finished: #%(id)s, %(total)s files",
                    job.total,
                )
                % figures
            )
            summary = (
                ngettext(
                    "The import #%(id)s you started on %(when)s has finished: %(total)s file, "
                    "%(counts)s.",
                    "The import #%(id)s you started on %(when)s has finished: %(total)s files, "
                    "%(counts)s.",
                    job.total,
                )
                % figures
            )
        results = _("Each file's result: %(url)s") % {"url": _link("review:import_job", job.pk)}
        body = f"{summary}\n\n{results}"
        return subject, body

    return _send("import_done", recipients, compose)


# --- the desk's signals ------------------------------------------------------------------------
#
# Each is heard during the write; once the write commits (at once outside a transaction: the
# import worker), never for one rolled back, a background task (claims.tasks.send_notice, run by
# the worker) writes and sends the notice: no request waits on the mail server. Ids go to the
# task, which reads the rows again; a notice that fails is logged: the write has committed and
# stands.


def _after_commit(kind, **ids):
    if _paused.get():
        return

    def enqueue():
        from claims.tasks import send_notice

        send_notice.enqueue(kind, ids)

    transaction.on_commit(enqueue, robust=True)


def verdict_awaits_review(sender, verdict, actor, reopened=False, **kwargs):
    _after_commit("review", verdict=verdict.pk, actor=_pk(actor), reopened=reopened)


def verdict_sent_back(sender, verdict, actor, **kwargs):
    _after_commit("sent_back", verdict=verdict.pk, actor=_pk(actor))


def correction_needed(sender, claim, actor, **kwargs):
    _after_commit("correction", claim=claim.pk, actor=_pk(actor))


def import_finished(sender, job, **kwargs):
    _after_commit("import_done", job=job.pk)


def _pk(user):
    return getattr(user, "pk", None)


def send(kind, ids):
    """Write and send the notice of `kind` about the rows `ids` names (the task's work).
    Returns how many e-mails were sent; none when its rows are gone."""
    from claims.models import Claim, Verdict
    from sources.models import ImportJob

    users = get_user_model().objects
    actor = users.filter(pk=ids.get("actor")).first() if ids.get("actor") else None
    if kind in ("review", "sent_back"):
        verdict = Verdict.objects.select_related("claim").filter(pk=ids["verdict"]).first()
        if verdict is None:
            return 0
        if kind == "review":
            return review_notice(verdict, actor, reopened=bool(ids.get("reopened")))
        return sent_back_notice(verdict, actor)
    if kind == "correction":
        claim = Claim.objects.select_related("published_entry__digest").filter(pk=ids["claim"])
        found = claim.first()
        return correction_notice(found, actor) if found and found.published_entry_id else 0
    if kind == "import_done":
        job = ImportJob.objects.filter(pk=ids["job"]).first()
        return import_notice(job) if job is not None else 0
    raise ValueError(f"unknown notice {kind!r}")


def store_language(user, language, *, unless_chosen=False):
    """Store `language`, one of the desk's, as that of `user`'s e-mails (`unless_chosen`: only
    for a user who has none yet); any other value stores nothing."""
    if language not in dict(settings.LANGUAGES):
        return
    chosen = settings_of(user)
    if chosen.language == language or (unless_chosen and chosen.language):
        return
    chosen.language = language
    chosen.save()


def remember_language(sender, request, user, **kwargs):
    """At login, a user who never chose the language of their e-mails gets the one the desk
    speaks to them (the switch's cookie, else their browser's Accept-Language): an editor whose
    desk reads in Hong Kong's wording is not e-mailed in the desk's default Simplified."""
    if request is not None:
        store_language(user, getattr(request, "LANGUAGE_CODE", ""), unless_chosen=True)


def connect():
    """Listen to the desk's signals (ClaimsConfig.ready)."""
    user_logged_in.connect(remember_language, dispatch_uid="claims.notices.remember_language")
    for signal, receiver in (
        (signals.verdict_awaits_review, verdict_awaits_review),
        (signals.verdict_sent_back, verdict_sent_back),
        (signals.correction_needed, correction_needed),
        (source_signals.import_finished, import_finished),
    ):
        signal.connect(receiver, dispatch_uid=f"claims.notices.{receiver.__name__}")
