"""The `seed_articles` fixture copies the rows of one real import into later tests
(tests/seed_data.py). The copy must be the import: every row of every table, field by field."""

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import services
from sources.importer import import_paths
from sources.models import Article, Source
from tests.seed_data import SEED_ROWS, SEEDS


class Rollback(Exception):
    pass


def _ranks(model):
    return {
        pk: i
        for i, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True))
    }


def snapshot(since):
    """Every row of every table, in id order. Ids differ between two imports (PostgreSQL's
    sequences do not roll back), so an id is replaced by the row's rank in its table, and a
    foreign key by the rank of the row it points at; a time the database sets on saving is
    compared as "set now" when it lies between `since` and now."""
    ranks = {model: _ranks(model) for model in apps.get_models(include_auto_created=True)}
    now = timezone.now()
    state = {}
    for model, rank in ranks.items():
        fields = model._meta.concrete_fields
        rows = []
        for values in model._base_manager.order_by("pk").values_list(*(f.attname for f in fields)):
            row = {}
            for field, value in zip(fields, values):
                if field.primary_key:
                    value = ("row", rank[value])
                elif isinstance(field, models.ForeignKey) and value is not None:
                    value = ("row", ranks[field.related_model][value])
                elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    assert value is not None and value <= now, (model, field.name, value)
                    value = "set now" if value >= since else value
                row[field.name] = value
            rows.append(row)
        state[model._meta.label] = rows
    return state


def stored(store):
    """What `store()` leaves in the database, and the articles it returns (their fields as
    the test sees them, related source included); all of it then rolled back."""
    since = timezone.now()
    try:
        with transaction.atomic():
            articles = store()
            state = snapshot(since)
            ranks = _ranks(Article)
            returned = {
                key: {
                    **{
                        f.name: getattr(a, f.attname)
                        for f in Article._meta.concrete_fields
                        if f.name not in ("id", "imported_at", "source")
                    },
                    "id": ranks[a.pk],
                    "source": a.source.name,
                    "imported_at": a.imported_at is not None,
                }
                for key, a in articles.items()
            }
            raise Rollback
    except Rollback:
        pass
    return state, returned


def real_import():
    report = import_paths([SEEDS])
    assert report.ok, report.summary()
    return {r.filename[:3]: r.article for r in report.results}


def test_the_copied_seed_rows_are_the_rows_a_real_import_stores(db, editor, reviewer):
    stored(SEED_ROWS.articles)  # the session's first use imports and keeps the rows
    assert SEED_ROWS.tables is not None and SEED_ROWS._replayable()

    copied, copied_articles = stored(SEED_ROWS.replay)
    imported, imported_articles = stored(real_import)

    assert copied == imported
    assert copied_articles == imported_articles
    # The comparison covers the tables that matter: the seeds, their sources and what the
    # claim assistant read from them.
    assert {"sources.Article", "sources.Source"} <= {
        label for label, rows in imported.items() if rows
    }
    assert len(imported["sources.Article"]) == 5
    assert [key for key in copied_articles] == ["000", "001", "002", "003", "004"]


def test_the_fixture_gives_what_an_import_gives(db, seed_articles):
    assert {key: a.filename[:3] for key, a in seed_articles.items()} == {
        k: k for k in seed_articles
    }
    assert Article.objects.count() == 5
    article = seed_articles["004"]
    assert Article.objects.get(pk=article.pk).body == article.body
    assert article.source.pk == Article.objects.get(pk=article.pk).source_id


@pytest.fixture
def real_imports(monkeypatch):
    """The session's rows kept (imported once if no test did yet); counts real imports."""
    stored(SEED_ROWS.articles)
    calls = []
    real = SEED_ROWS.import_for_real
    monkeypatch.setattr(SEED_ROWS, "import_for_real", lambda: calls.append(1) or real())
    return calls


def test_with_a_claim_already_there_the_fixture_imports_for_real(db, editor, real_imports):
    # The claim assistant checks each arriving article against the desk's claims (KnownClaim
    # rows): a copy kept from an import without claims would miss them.
    services.create_claim(actor=editor, text="Meta裁员约600人")
    got, expected = stored(SEED_ROWS.articles)[0], stored(real_import)[0]
    assert real_imports == [1]
    # Which known claims an import finds depends on when this process's assistant index last
    # looked at the claims (claims/assistant/arrival.py), so two real imports can differ there.
    del got["claims.KnownClaim"], expected["claims.KnownClaim"]
    assert got == expected


def test_with_a_source_already_there_the_fixture_imports_for_real(db, real_imports):
    Source.objects.create(name="TMT观察网", slug="tmt")
    assert stored(SEED_ROWS.articles)[0] == stored(real_import)[0]
    assert real_imports == [1]


@pytest.mark.django_db(transaction=True)
def test_the_copy_works_where_tests_commit(seed_articles):
    # Browser tests use a live server, whose thread sees only committed rows.
    assert Article.objects.count() == 5 and Source.objects.exists()


def _index_state(index):
    """What the claim assistant's index holds, as plain values."""
    return {
        "sentences": [
            (
                index.s_passage[row],
                index.s_article[row],
                index.s_start[row],
                index.s_end[row],
                index.s_words[row],
                index.s_figures.get(row),
                index.s_names.get(row),
                index.s_hedged[row],
            )
            for row in range(index.n_sentences)
        ],
        "documents": (list(index.d_article), list(index.d_norm)),
        "postings": {word: list(rows) for word, rows in index.d_post.rows.items()},
        "claims": list(index.c_claim),
        "stamps": (index.passages_seen, index.passages_latest, index.claims_seen),
    }


def test_the_copied_seeds_come_with_the_index_the_assistant_would_read(db):
    """A copy of the seed rows brings a copy of the index read from them (tests/seed_data.py):
    the assistant takes it as up to date, and it is the index a process reads afresh."""
    from claims import assistant
    from claims.assistant import index
    from claims.assistant.models import Passage

    stored(SEED_ROWS.articles)  # the session's first use imports and keeps the rows
    stored(SEED_ROWS.articles)  # the first copy: its index is read and kept
    SEED_ROWS.articles()  # a later copy: the kept index comes with it
    question = "Meta的Llama 4团队约80%的成员已经辞职"
    with CaptureQueriesContext(connection) as taken:
        kept = index.current()
    kept_answer = [
        (m.article.pk, m.start, m.end, m.score) for m in assistant.matches_for_text([question])
    ]
    assert index.current() is kept
    kept_state = _index_state(kept)

    index.reset()
    with CaptureQueriesContext(connection) as read:
        fresh = index.current()
    # Taken as up to date (counts asked), where an index read afresh reads every passage.
    words = f'"{Passage._meta.db_table}"."words"'
    assert not any(words in q["sql"] for q in taken.captured_queries)
    assert any(words in q["sql"] for q in read.captured_queries)
    assert fresh is not kept
    assert kept_state == _index_state(fresh)
    assert kept_state["stamps"][0] == len(kept_state["sentences"]) > 100
    assert kept_answer and kept_answer == [
        (m.article.pk, m.start, m.end, m.score) for m in assistant.matches_for_text([question])
    ]
