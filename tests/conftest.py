"""What most tests need: the desk's people, the seed articles, a published review."""

import gc

import pytest
from django.contrib.auth.models import Group, User

from claims import services
from tests.seed_data import SEED_INDEX, SEED_ROWS, SEEDS  # noqa: F401 (tests import SEEDS from here)

# `make test` hands the workers whole test files, longest first, so that they finish
# together instead of one running the corpus evaluation alone at the end (xdist keeps this
# order with --no-loadscope-reorder). A file's length is estimated from its tests' markers:
# `slow(seconds=N)` where a test is known to take N seconds, else these.
SECONDS = {"multiserver": 5.0, "slow": 3.0, "browser": 2.0}
ANY_TEST = 0.1


def _estimated_seconds(item):
    slow = item.get_closest_marker("slow")
    if slow is not None and "seconds" in slow.kwargs:
        return float(slow.kwargs["seconds"])
    return max(
        (seconds for name, seconds in SECONDS.items() if item.get_closest_marker(name)),
        default=ANY_TEST,
    )


def pytest_collection_modifyitems(config, items):
    by_file = {}
    for item in items:
        by_file[item.path] = by_file.get(item.path, 0.0) + _estimated_seconds(item)
    items.sort(key=lambda item: -by_file[item.path])


# The suite makes millions of short-lived objects (ORM rows, querysets, template contexts):
# with Python's default threshold (700 new objects) the garbage collector ran 4,300 times in
# a third of the suite and took 7% of its CPU time; at 50,000 it runs 39 times and takes 3%.
gc.set_threshold(50_000, 20, 20)


RUMOUR_QUOTE = "據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈"


@pytest.fixture(autouse=True)
def _static_without_manifest(settings):
    """Tests run without collectstatic, so {% static %} must not need the manifest. WhiteNoise
    looks static files up when asked instead of listing them all whenever a test client starts
    (a quarter of the suite's time went to listing them)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _desk_language():
    """Each test starts in the desk's default language, as a command or a task does: the locale
    middleware activates a request's language on the thread and nothing resets it, so code a
    test runs outside a request would otherwise speak the previous request's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _publication_stamp_forgotten():
    """A test's publications are rolled back with it: the cached stamp goes too."""
    from claims.published import forget_publication_stamp

    forget_publication_stamp()
    yield
    forget_publication_stamp()


@pytest.fixture(autouse=True)
def _glossary_forgotten():
    """Each test reads the glossary of its own database (the previous test's was rolled back);
    the seeds' assistant index offered to a test (tests/seed_data.py) is not left to the next,
    and the assistant's index asks the test's own database at its first use (the rollback of
    the previous test's rows sent no signal)."""
    from claims.assistant import index

    index.changed()
    yield
    from claims.assistant import glossary

    glossary.forget()
    SEED_INDEX.forget()


def make_desk_groups():
    """The desk's groups and their permissions, as their migration makes them."""
    from importlib import import_module

    from django.apps import apps

    import_module("claims.migrations.0001_squashed_0015_field_verbose_names").make_groups(
        apps, None
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (browser tests, the live server) ends by emptying every table, the
    groups that a data migration made included: they are made again once it is over, so that
    the tests after it on the same worker (and the commands they call, such as synth) find the
    desk as migrations leave it."""
    yield
    if nextitem is None:  # the last test: the session's teardown has just dropped the database
        return
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            make_desk_groups()


@pytest.fixture
def desk_groups(transactional_db):
    """The desk's groups: a transactional test may run after another one that emptied every
    table."""
    make_desk_groups()


@pytest.fixture
def tasks_at_once(settings):
    """Background tasks run when they are queued (django-tasks' immediate backend, as with
    NEWSROOM_TASKS=immediate): what the worker would do is done before the test goes on."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def checks_every_request(monkeypatch):
    """The assistant's glossary and claim index, and PostgreSQL's search statistics, are
    re-checked at most every few seconds per process. Tests that count queries check on every
    request, so that the count does not depend on whether two requests fall in one interval."""
    from claims import search
    from claims.assistant import arrival, glossary, index

    monkeypatch.setattr(glossary, "CHECK_EVERY", 0.0)
    monkeypatch.setattr(index, "CHECK_EVERY", 0.0)
    monkeypatch.setattr(arrival, "CLAIMS_CHECK_EVERY", 0.0)
    monkeypatch.setattr(search, "STATS_SECONDS", 0.0)


def _group(name):
    group = Group.objects.filter(name=name).first()
    if group is None:  # a transactional test that ran before this one emptied every table
        make_desk_groups()
        group = Group.objects.get(name=name)
    return group


def make_user(username, *groups):
    user = User.objects.create_user(username, password="pw-for-tests-only")
    for name in groups:
        user.groups.add(_group(name))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", services.EDITORS_GROUP)


@pytest.fixture
def editor2(db):
    return make_user("editor2", services.EDITORS_GROUP)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", services.REVIEWERS_GROUP)


@pytest.fixture
def reviewer2(db):
    return make_user("reviewer2", services.REVIEWERS_GROUP)


@pytest.fixture
def seed_articles(db):
    """The five seed articles, imported; keyed by their number: {"000": Article, ...}.
    Imported for real once per session, then copied: tests/seed_data.py."""
    return SEED_ROWS.articles()


def disputed_age_claim(editor, second="据媒体报道，85岁高龄的钟南山院士已空降北京。", prefix=""):
    """Two articles that give 钟南山's age as 84 and 85 (`second` says the 85), and a claim that
    quotes the 84: a figure conflict, as the claim assistant's pages show one."""
    from sources.importer import import_bytes

    older = import_bytes(
        "年龄\n\n北京疫情突发，84岁的钟南山院士再次出征。\n".encode(), f"{prefix}a.txt"
    ).article
    import_bytes(f"年龄\n\n{second}\n".encode(), f"{prefix}b.txt")
    return services.create_claim(
        actor=editor,
        text="钟南山84岁再次出征",
        evidence=[{"article": older, "quote": "84岁的钟南山院士再次出征"}],
    )


@pytest.fixture
def rumour_claim(seed_articles, editor):
    """The 80% resignation claim, anchored in 004, with a verdict proposed by `editor`."""
    claim = services.create_claim(
        actor=editor,
        text="Meta的Llama 4团队约80%的成员已经辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    services.propose_verdict(
        claim, actor=editor, rating="rumour", rationale="Only a second-hand post; denied by staff."
    )
    return claim


def publish_new_claim(*, editor, reviewer, text, article, quote, rating, rationale, title):
    """A claim made by `editor` from `quote` in `article`, rated by `editor`, approved by
    `reviewer` and published in a digest of its own titled `title`."""
    claim = services.create_claim(
        actor=editor, text=text, evidence=[{"article": article, "quote": quote}]
    )
    verdict = services.propose_verdict(claim, actor=editor, rating=rating, rationale=rationale)
    services.approve_verdict(verdict, actor=reviewer, claim_version=claim.version)
    digest = services.create_digest(actor=reviewer, title=title, claims=[claim])
    services.publish_digest(digest, actor=reviewer)
    return claim


@pytest.fixture
def traditional_claim(seed_articles, editor, reviewer):
    """A claim written in Traditional script (its quote from article 004), rated a rumour and
    published in a digest of its own."""
    return publish_new_claim(
        editor=editor,
        reviewer=reviewer,
        text="據說Meta的Llama 4團隊約80%的成員已經集體遞交辭呈",
        article=seed_articles["004"],
        quote="據說Meta的Llama 4團隊",
        rating="rumour",
        rationale="只有二手消息。",
        title="傳言",
    )


@pytest.fixture
def published_digest(rumour_claim, reviewer):
    """A published digest holding the rumour claim, approved by `reviewer`."""
    services.approve_verdict(
        rumour_claim.verdicts.get(), actor=reviewer, claim_version=rumour_claim.version
    )
    digest = services.create_digest(
        actor=reviewer, title="Meta AI layoffs", claims=[rumour_claim], intro="First review."
    )
    return services.publish_digest(digest, actor=reviewer)
