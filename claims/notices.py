"""Email notices of what waits for whom (the "待我处理" page's lists, claims.waiting, by mail).

Four kinds, heard from the desk's signals (claims.signals, sources.signals) and sent once the
write that caused them commits (transaction.on_commit: never for a write rolled back), to the
people they concern and never to the one who acted:

- `review`: a verdict waits for review (proposed, or put back in review because its claim
  changed): to the reviewers, never to its proposer;
- `sent_back`: a verdict was sent back: to its proposer, with the reviewer's comment;
- `correction`: a published claim was changed after its publication (the first change since:
  from then on it waits on the page): to the reviewers, who publish corrections;
- `import_done`: a background import finished (or stopped): to whoever started it.

Each email is short plain Chinese text and links to the page where the work is, on the desk's
address (settings.DESK_URL, as the feed and JSON-LD build theirs). A user turns notices off, all
or per kind, on /review/notices/ (NoticeSettings); a user without an email address, or no
longer allowed to do the work, gets none. The mail goes through Django's mail framework
(EMAIL_BACKEND: the console with DEBUG, SMTP in production); a mail server that fails is
logged and never undoes or breaks the editor's action.

Loading a review file (claims.review_file.load_review: seeds, restores) sends none: `paused()`.
Mail is sent in the process that made the write (the request, the import worker), after the
commit; a slow server holds it at most EMAIL_TIMEOUT seconds.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from claims import signals
from claims.access import is_editor
from claims.jsonld import absolute
from claims.models import NoticeSettings
from sources import signals as source_signals

logger = logging.getLogger(__name__)

# The kinds, as the settings page names them (NoticeSettings has a switch for each).
KINDS = {
    "review": "有结论等待我审核",
    "sent_back": "我的结论被退回",
    "correction": "已发布的主张有改动、需要更正",
    "import_done": "我发起的导入已完成",
}
# The kinds only reviewers get (editors are never sent them, nor offered them).
REVIEWER_KINDS = ("review", "correction")
SUBJECT_PREFIX = "【核查台】"
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


def _link(viewname, *args, fragment=""):
    return absolute(reverse(viewname, args=args)) + fragment


def _one_line(text, limit=SUBJECT_TEXT):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _name(user):
    return user.get_username() if user is not None else "（已删除的用户）"


def _footer():
    return (
        f"\n\n—\n{settings.DESK_NAME}\n"
        f"不想再收到这类邮件，可以在这里关闭：{_link('review:notices')}\n"
    )


def _send(kind, recipients, subject, body):
    """One email per recipient (nobody sees who else got it), through one connection. A mail
    server that fails is logged; nothing is raised. Returns how many were sent."""
    if not recipients:
        return 0
    subject = SUBJECT_PREFIX + _one_line(subject, 120)
    body = body + _footer()
    sent = 0
    try:
        with mail.get_connection() as connection:
            for user in recipients:
                message = mail.EmailMessage(subject, body, to=[user.email], connection=connection)
                try:
                    sent += message.send()
                except Exception:
                    logger.exception("Email notice (%s) to user #%s was not sent", kind, user.pk)
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
    claim = verdict.claim
    if reopened:
        opening = (
            f"主张 #{claim.pk} 的结论「{verdict.label_zh}」获批后，{_name(actor)} 改动了这条主张，"
            f"这条结论需要重新审核。"
        )
    else:
        opening = (
            f"{_name(verdict.proposed_by)} 对主张 #{claim.pk} 提出了结论「{verdict.label_zh}」，"
            f"等待第二位编辑审核。"
        )
    body = (
        f"{opening}\n\n"
        f"主张：{claim.text}\n"
        f"理由：{verdict.rationale}\n\n"
        f"去审核：{_link('review:claim', claim.pk, fragment='#verdicts')}"
    )
    return _send("review", recipients, f"待审核：#{claim.pk} {_one_line(claim.text)}", body)


def sent_back_notice(verdict, actor):
    """To the verdict's proposer, with the reviewer's comment."""
    proposer = verdict.proposed_by
    if not is_editor(proposer):
        return 0
    recipients = _recipients("sent_back", [proposer], besides=(actor,))
    if not recipients:
        return 0
    claim = verdict.claim
    body = (
        f"{_name(verdict.reviewed_by)} 退回了您对主张 #{claim.pk} 提出的结论「{verdict.label_zh}」。\n\n"
        f"审核意见：\n{verdict.review_comment}\n\n"
        f"主张：{claim.text}\n\n"
        f"去修改：{_link('review:claim', claim.pk, fragment='#verdicts')}"
    )
    return _send("sent_back", recipients, f"结论被退回：#{claim.pk} {_one_line(claim.text)}", body)


def correction_notice(claim, actor):
    """To the reviewers (who publish corrections), not whoever changed the claim."""
    recipients = _recipients("correction", reviewers(), besides=(actor,))
    if not recipients:
        return 0
    digest = claim.published_entry.digest
    body = (
        f"主张 #{claim.pk} 已在《{digest.title}》（第 {digest.version} 版，"
        f"{_when(digest.published_at)} 发布）中发布，之后 {_name(actor)} 于 "
        f"{_when(claim.updated_at)} 改动了它。读者看到的仍是发布时的版本，需要发布更正。\n\n"
        f"主张：{claim.text}\n\n"
        f"查看主张：{_link('review:claim', claim.pk)}\n"
        f"发布更正：{_link('review:digest_detail', digest.pk)}"
    )
    return _send("correction", recipients, f"需要更正：#{claim.pk} {_one_line(claim.text)}", body)


def import_notice(job):
    """To whoever started the import."""
    starter = job.created_by
    if not is_editor(starter):
        return 0
    recipients = _recipients("import_done", [starter])
    if not recipients:
        return 0
    counts = f"已导入 {job.imported}，重复 {job.unchanged}，拒绝 {job.refused}"
    if job.status == job.Status.FAILED:
        subject = f"导入出错停止：#{job.pk}"
        summary = (
            f"您于 {_when(job.created_at)} 发起的导入 #{job.pk} 出错停止：{job.total} 个文件"
            f"中处理了 {job.done} 个（{counts}）。"
        )
    else:
        subject = f"导入已完成：#{job.pk}，{job.total} 个文件"
        summary = (
            f"您于 {_when(job.created_at)} 发起的导入 #{job.pk} 已完成：共 {job.total} 个文件，"
            f"{counts}。"
        )
    body = f"{summary}\n\n每个文件的结果：{_link('review:import_job', job.pk)}"
    return _send("import_done", recipients, subject, body)


# --- the desk's signals ------------------------------------------------------------------------
#
# Each is heard during the write; its notice is sent once the write commits (at once outside a
# transaction: the import worker), never for one rolled back. A notice that fails is logged
# (robust): the write has committed and stands.


def _after_commit(notice, *args, **kwargs):
    if _paused.get():
        return
    transaction.on_commit(lambda: notice(*args, **kwargs), robust=True)


def verdict_awaits_review(sender, verdict, actor, reopened=False, **kwargs):
    _after_commit(review_notice, verdict, actor, reopened=reopened)


def verdict_sent_back(sender, verdict, actor, **kwargs):
    _after_commit(sent_back_notice, verdict, actor)


def correction_needed(sender, claim, actor, **kwargs):
    _after_commit(correction_notice, claim, actor)


def import_finished(sender, job, **kwargs):
    _after_commit(import_notice, job)


def connect():
    """Listen to the desk's signals (ClaimsConfig.ready)."""
    for signal, receiver in (
        (signals.verdict_awaits_review, verdict_awaits_review),
        (signals.verdict_sent_back, verdict_sent_back),
        (signals.correction_needed, correction_needed),
        (source_signals.import_finished, import_finished),
    ):
        signal.connect(receiver, dispatch_uid=f"claims.notices.{receiver.__name__}")
