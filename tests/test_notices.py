"""Email notices (claims.notices): who is told what waits for them, with a link to the work;
never the one who acted, never for a write rolled back, never when turned off; a mail server
that fails never breaks the action. And the page where each editor turns them off."""

import socket
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from claims import services
from claims.models import NoticeSettings, Verdict
from claims.review_file import load_review
from sources import jobs
from sources.models import Article, ImportJob
from tests.conftest import SEEDS, make_user
from tests.settings_probe import settings_in_a_process

DESK = "http://testserver"  # NEWSROOM_DESK_URL in tests (newsroom/pytest_env.py)
NOTICES = "/review/notices/"
GOOD = "标题一\n正文第一句，内容。\n来源：中央社\n".encode()
# Notices are written and sent by a background task (claims.tasks.send_notice): run at once here;
# test_a_notice_waits_for_the_worker_not_the_request runs it through the database backend.
pytestmark = pytest.mark.usefixtures("tasks_at_once")


@pytest.fixture
def addresses(editor, editor2, reviewer, reviewer2):
    """Everyone has an email address (the desk's users are made without one)."""
    for user in (editor, editor2, reviewer, reviewer2):
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Each test runs in a transaction that is rolled back at its end: this runs what would
    run once a write commits (on_commit callbacks) when its block ends, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The emails sent are read from Django's test outbox, `mail.outbox`, when asserted: the first
# test of a session that loads the seed rows starts a TestCase, which puts a new list there.


def to(outbox, subject_word=""):
    """Who got the emails whose subject holds `subject_word`, sorted."""
    return sorted(address for m in outbox if subject_word in m.subject for address in m.to)


def one(outbox, subject_word):
    found = [m for m in outbox if subject_word in m.subject]
    assert len(found) == 1, [m.subject for m in outbox]
    return found[0]


def post_verdict(client, user, claim, rationale="只有二手转述，员工已否认。"):
    client.force_login(user)
    return client.post(
        f"/review/claims/{claim.pk}/verdicts/new/", {"rating": "rumour", "rationale": rationale}
    )


# --- a verdict waits for review ----------------------------------------------------------------


def test_a_proposed_verdict_is_mailed_to_the_reviewers_not_the_proposer_once_committed(
    client, committed, rumour_claim, editor, addresses
):
    no_address = make_user("reviewer3", services.REVIEWERS_GROUP)  # no email: told nothing
    with committed():
        response = post_verdict(client, editor, rumour_claim)
        assert response.status_code == 302
        assert mail.outbox == [], "nothing is sent before the write commits"

    # The reviewers, not the proposer, nor an editor who cannot review, nor one without address.
    assert to(mail.outbox) == ["reviewer2@example.org", "reviewer@example.org"]
    assert no_address.email == ""
    message = mail.outbox[0]
    assert message.subject.startswith("【核查台】待审核：")
    assert f"#{rumour_claim.pk}" in message.subject
    assert "editor 对主张" in message.body and "传言（未证实）" in message.body
    assert "只有二手转述，员工已否认。" in message.body
    assert f"{DESK}/review/claims/{rumour_claim.pk}/#verdicts" in message.body
    assert f"{DESK}{NOTICES}" in message.body  # where to turn them off
    # The link opens the claim's review page, with the verdict to review.
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(f"/review/claims/{rumour_claim.pk}/").content.decode()
    assert "只有二手转述，员工已否认。" in page


def test_a_notice_waits_for_the_worker_not_the_request(
    desk_groups, client, committed, settings, rumour_claim, editor, addresses
):
    """With the database backend (production, `make run`), the request only queues the notice:
    a slow or broken mail server never holds an editor's action; the worker sends it. (The
    worker takes its task in a transaction of its own: a transactional test.)"""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with committed():
        assert post_verdict(client, editor, rumour_claim).status_code == 302
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.filter(task_path="claims.tasks.send_notice")
    assert queued.args_kwargs["args"][0] == "review"

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert to(mail.outbox) == ["reviewer2@example.org", "reviewer@example.org"]
    assert mail.outbox[0].subject.startswith("【核查台】待审核：")


def test_a_reviewers_own_proposal_goes_to_the_other_reviewer_only(
    committed, rumour_claim, reviewer, addresses
):
    with committed():
        services.propose_verdict(rumour_claim, actor=reviewer, rating="false", rationale="已辟谣。")
    assert to(mail.outbox) == ["reviewer2@example.org"]


def test_a_long_claim_of_several_lines_makes_a_one_line_subject(
    committed, editor, reviewer, addresses
):
    text = "第一行：某公司宣布裁员" + "，据称涉及多个部门" * 10 + "\n第二行：消息来源不明"
    claim = services.create_claim(actor=editor, text=text)
    with committed():
        services.propose_verdict(claim, actor=editor, rating="rumour", rationale="待查。")
    subject = mail.outbox[0].subject
    assert "\n" not in subject and subject.endswith("…") and len(subject) < 60
    assert text in mail.outbox[0].body  # the body keeps the whole text


# --- a verdict sent back -----------------------------------------------------------------------


def test_a_verdict_sent_back_is_mailed_to_its_proposer_with_the_comment(
    client, committed, rumour_claim, editor, reviewer, addresses
):
    verdict = rumour_claim.verdicts.get()
    client.force_login(reviewer)
    with committed():
        response = client.post(
            f"/review/verdicts/{verdict.pk}/send-back/", {"comment": "请补充员工澄清的原始出处。"}
        )
    assert response.status_code == 302
    assert to(mail.outbox) == ["editor@example.org"]  # the proposer; not the reviewer
    message = mail.outbox[0]
    assert "结论被退回" in message.subject and f"#{rumour_claim.pk}" in message.subject
    assert "reviewer 退回了您对主张" in message.body
    assert "请补充员工澄清的原始出处。" in message.body
    assert f"{DESK}/review/claims/{rumour_claim.pk}/#verdicts" in message.body


# --- a published claim changed: a correction is needed ----------------------------------------


def test_a_change_to_a_published_claim_is_mailed_to_the_reviewers_but_the_one_who_changed_it(
    committed, published_digest, rumour_claim, reviewer2, addresses
):
    claim = rumour_claim
    claim.refresh_from_db()
    with committed():
        services.update_claim(
            claim, actor=reviewer2, version=claim.version, text=claim.text + "（据网传）"
        )

    correction = one(mail.outbox, "需要更正")
    assert correction.to == ["reviewer@example.org"]  # reviewer2 made the change
    assert f"#{claim.pk}" in correction.subject
    assert f"《{published_digest.title}》" in correction.body and "reviewer2" in correction.body
    assert f"{DESK}/review/claims/{claim.pk}/" in correction.body
    assert f"{DESK}/review/digests/{published_digest.pk}/" in correction.body
    # The approved verdict went back to review with the change: its reviewers are told so too
    # (not its proposer, editor, nor reviewer2, who changed the claim).
    again = one(mail.outbox, "待审核")
    assert again.to == ["reviewer@example.org"] and "需要重新审核" in again.body

    # While it waits for its correction, further changes tell nobody again.
    mail.outbox.clear()
    claim.refresh_from_db()
    with committed():
        services.update_claim(claim, actor=reviewer2, version=claim.version, gloss="80% resigned")
    assert to(mail.outbox, "需要更正") == []


def test_changes_before_publication_need_no_correction(committed, rumour_claim, editor2, addresses):
    with committed():
        services.update_claim(
            rumour_claim, actor=editor2, version=rumour_claim.version, text="改过的主张文本"
        )
    assert to(mail.outbox, "需要更正") == []


# --- an import finished ------------------------------------------------------------------------


def test_a_finished_import_is_mailed_to_whoever_started_it_from_the_worker(
    transactional_db, settings, editor, addresses
):
    # Real commits: the job is queued in the database and the worker runs it, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = jobs.start_upload_import([("good.txt", GOOD), ("empty.txt", b"")], user=editor)
    assert mail.outbox == []  # queued, not done
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE

    assert to(mail.outbox) == ["editor@example.org"]  # nobody else
    message = mail.outbox[0]
    assert message.subject == f"【核查台】导入已完成：#{job.pk}，2 个文件"
    assert "已导入 1，重复 0，拒绝 1" in message.body
    assert f"{DESK}/review/import/{job.pk}/" in message.body


def test_an_import_that_stops_says_so(settings, committed, editor, addresses):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The worker's temporary folder is gone: the job stops.
    gone = str(Path(tempfile.gettempdir()) / "newsroom-no-such-folder")
    original = tempfile.tempdir
    tempfile.tempdir = gone
    try:
        with committed():
            job = jobs.start_upload_import([("good.txt", GOOD)], user=editor)
    finally:
        tempfile.tempdir = original
    assert job.status == ImportJob.Status.FAILED
    message = one(mail.outbox, "导入出错停止")
    assert message.to == ["editor@example.org"]
    assert f"{DESK}/review/import/{job.pk}/" in message.body


# --- turned off --------------------------------------------------------------------------------


def test_notices_turned_off_on_the_page_are_not_sent(
    client, committed, rumour_claim, editor, reviewer, reviewer2, addresses
):
    # reviewer turns off reviews only; reviewer2 turns off every notice (the master switch
    # wins over the kinds left on); editor turns off verdicts sent back.
    for user, ticked in (
        (reviewer, {"enabled": "on", "sent_back": "on", "correction": "on", "import_done": "on"}),
        (reviewer2, {"review": "on", "sent_back": "on", "correction": "on"}),
        (editor, {"enabled": "on", "import_done": "on"}),
    ):
        client.force_login(user)
        assert client.post(NOTICES, ticked).status_code == 302

    services.send_back_verdict(rumour_claim.verdicts.get(), actor=reviewer, comment="补出处。")
    with committed():
        services.propose_verdict(rumour_claim, actor=editor, rating="false", rationale="已辟谣。")
        services.send_back_verdict(
            Verdict.objects.get(claim=rumour_claim, status="proposed"),
            actor=reviewer,
            comment="还要补出处。",
        )
    assert mail.outbox == []

    # Turned back on, the same events are sent.
    client.force_login(reviewer)
    client.post(NOTICES, {"enabled": "on", "review": "on", "correction": "on"})
    with committed():
        services.propose_verdict(rumour_claim, actor=editor, rating="false", rationale="再提。")
    assert to(mail.outbox) == ["reviewer@example.org"]


# --- never for a write rolled back; never breaking the write ----------------------------------


def test_nothing_is_sent_for_a_write_that_is_rolled_back(
    committed, rumour_claim, editor, reviewer, addresses
):
    with committed():
        with pytest.raises(services.ReviewError):
            with transaction.atomic():  # one action: a proposal, then a refused claim
                services.propose_verdict(
                    rumour_claim, actor=editor, rating="false", rationale="已辟谣。"
                )
                services.create_claim(actor=editor, text="")
        # A refused send-back (no comment) tells nobody either.
        with pytest.raises(services.ReviewError):
            services.send_back_verdict(rumour_claim.verdicts.get(), actor=reviewer, comment="")
    assert mail.outbox == []
    assert rumour_claim.verdicts.count() == 1, "the proposal was rolled back"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_mail_server_that_fails_does_not_break_the_action(
    client, settings, committed, caplog, rumour_claim, editor, reviewer, addresses
):
    # Production's SMTP backend, pointed at a port where no server answers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with committed():
        response = post_verdict(client, editor, rumour_claim, rationale="新的理由。")
    assert response.status_code == 302
    assert Verdict.objects.filter(claim=rumour_claim, status="proposed").get().rationale == (
        "新的理由。"
    )
    assert "were not sent: the mail server failed" in caplog.text
    # And the page the editor lands on says it was done.
    assert "结论已提出" in client.get(response.url).content.decode()


def test_loading_a_review_file_sends_nothing(committed, seed_articles, addresses):
    with committed():
        load_review(SEEDS / "review.yaml")
    assert Verdict.objects.exists() and Article.objects.exists()
    assert mail.outbox == []


# --- the settings page -------------------------------------------------------------------------


def test_the_page_refuses_anonymous_users_and_those_who_are_not_editors(client, reviewer):
    for response in (client.get(NOTICES), client.post(NOTICES, {})):
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not NoticeSettings.objects.exists()

    client.force_login(make_user("reader"))
    assert client.get(NOTICES).status_code == 403
    assert client.post(NOTICES, {}).status_code == 403
    assert not NoticeSettings.objects.exists()


def test_the_page_saves_each_users_choice_with_a_csrf_token(reviewer, editor, addresses):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    page = browser.get(NOTICES)
    html = page.content.decode()
    assert page.status_code == 200
    assert "reviewer@example.org" in html
    for name in ("enabled", "review", "sent_back", "correction", "import_done"):
        assert f'name="{name}"' in html
    assert html.count(" checked>") == 5  # all on until changed
    assert browser.post(NOTICES, {"enabled": "on"}).status_code == 403  # no CSRF token

    token = browser.cookies["csrftoken"].value
    response = browser.post(
        NOTICES, {"csrfmiddlewaretoken": token, "enabled": "on", "sent_back": "on"}
    )
    assert response.status_code == 302 and response.url == NOTICES
    chosen = NoticeSettings.objects.get(user=reviewer)
    assert (chosen.enabled, chosen.review, chosen.sent_back, chosen.correction) == (
        True,
        False,
        True,
        False,
    )
    html = browser.get(NOTICES).content.decode()
    assert "邮件通知设置已保存。" in html and html.count(" checked>") == 2
    assert not NoticeSettings.objects.filter(user=editor).exists()  # one user's choice


def test_an_editor_is_offered_only_their_kinds_and_told_when_they_have_no_address(
    client, editor, reviewer
):
    client.force_login(editor)
    html = client.get(NOTICES).content.decode()
    assert 'name="sent_back"' in html and 'name="import_done"' in html
    assert 'name="review"' not in html and 'name="correction"' not in html
    assert "没有电子邮件地址" in html
    # Saving keeps the reviewer-only switches as they were.
    client.post(NOTICES, {"enabled": "on"})
    chosen = NoticeSettings.objects.get(user=editor)
    assert (chosen.sent_back, chosen.import_done, chosen.review, chosen.correction) == (
        False,
        False,
        True,
        True,
    )


def test_the_waiting_page_links_to_the_settings(client, editor):
    client.force_login(editor)
    assert f'href="{NOTICES}"' in client.get("/review/waiting/").content.decode()


# --- settings: the console with DEBUG, SMTP from the environment in production -----------------

SHOW = (
    "[settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, "
    "settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, settings.DEFAULT_FROM_EMAIL]"
)
MAIL_VARIABLES = (
    "DJANGO_EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_DEBUG",
)


def mail_settings(**env):
    return settings_in_a_process(SHOW, unset=MAIL_VARIABLES, **env)


def test_mail_is_printed_on_the_console_in_development_and_sent_by_smtp_in_production():
    assert mail_settings(DJANGO_DEBUG="1")[0] == "django.core.mail.backends.console.EmailBackend"
    assert mail_settings(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="desk",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="核查台 <desk@example.org>",
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        587,
        "desk",
        "s3cret",
        True,
        "核查台 <desk@example.org>",
    ]
