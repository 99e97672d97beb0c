"""Seed data for tests, made once: the five seed articles (`SEED_ROWS`, behind the
`seed_articles` fixture) and the desk's review of them (`SeedReviewTestCase`).

The seed articles are imported for real once per test session, then copied into each test.

Importing seeds/ is what most tests do first, and it is slow: decoding, parsing, folding the
scripts with OpenCC, fingerprints, publishers, and what the claim assistant reads from every
article as it is stored (its `Passage` rows). So the first test of a session that needs the
seeds imports them with `sources.importer.import_paths`, exactly as before, and the rows that
import stored are kept in memory (`SeedRows.capture`); every later test gets the same rows with
one INSERT per table (`SeedRows.replay`, executemany of values prepared once), inside its own
transaction, in the real database. tests/test_seed_rows.py compares the two, every field of
every table.

The copy is used only where it must equal an import: when none of the tables the import wrote
to holds a row and there is no claim yet (the assistant checks an arriving article against the
desk's claims). Otherwise the fixture imports for real. The copied rows keep the ids the
import gave them (their tables are empty, and on PostgreSQL the sequences are moved past them
afterwards), so foreign keys between them hold as they are; the fields the database sets on
insert (auto_now, auto_now_add) are set afresh; every other value is the imported one.
"""

import copy
import pickle
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.test import TestCase
from django.utils import timezone

from sources.importer import import_paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REVIEW = SEEDS / "review.yaml"


def _concrete(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _fresh(value):
    """A copy of a mutable value (JSON fields), so that a test never changes the kept rows."""
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def _claims_exist():
    return apps.get_model("claims", "Claim")._base_manager.exists()


class SeedRows:
    """The rows one real import of `paths` stored, by model, to store again in later tests."""

    def __init__(self, paths):
        self.paths = list(paths)
        self.tables = None  # [(model, [{attname: value}], {old pk: index})], parents first
        self.keys = None  # [(key, index of the article among the Article rows)]
        self._prepared = {}  # {(vendor, model): (INSERT sql, [[db value]], [fresh positions])}

    # --- the real import, once --------------------------------------------------------------

    def articles(self):
        """{"000": Article, ...}: the copy when it equals an import here, else a real import."""
        if self.tables is not None and self._replayable():
            return self.replay()
        before = None if self.tables is not None or _claims_exist() else self._pks()
        articles = self.import_for_real()
        if before is not None:
            self.capture(before, articles)
        return articles

    def import_for_real(self):
        report = import_paths(self.paths)
        assert report.ok, report.summary()
        return {r.filename[:3]: r.article for r in report.results}

    @staticmethod
    def _pks():
        return {
            model: set(model._base_manager.values_list("pk", flat=True))
            for model in apps.get_models(include_auto_created=True)
        }

    def capture(self, before, articles):
        """Keep the rows that the import just stored (every table, not only the articles)."""
        added = {}
        for model in apps.get_models(include_auto_created=True):
            new = [
                pk
                for pk in model._base_manager.values_list("pk", flat=True)
                if pk not in before[model]
            ]
            if new:
                if before[model]:
                    return  # the table held rows already: a copy would not equal an import
                added[model] = list(model._base_manager.filter(pk__in=new).order_by("pk"))
        order = self._parents_first(added)
        if order is None:
            return
        tables = []
        for model in order:
            rows = [
                {f.attname: f.value_from_object(obj) for f in model._meta.concrete_fields}
                for obj in added[model]
            ]
            tables.append((model, rows, {obj.pk: i for i, obj in enumerate(added[model])}))
        article_model = apps.get_model("sources", "Article")
        index = next(i for m, _, i in tables if m is article_model)
        self.keys = [(key, index[article.pk]) for key, article in articles.items()]
        self.tables = tables

    @staticmethod
    def _parents_first(added):
        """The models in an order where every foreign key points at a table already stored;
        None if a new row points at a row that was there before the import, or at a row of its
        own table."""
        order, left = [], set(added)
        while left:
            ready = [
                m
                for m in left
                if all(
                    f.related_model not in left
                    for f in _concrete(m)
                    if isinstance(f, models.ForeignKey)
                )
            ]
            if not ready:
                return None
            ready.sort(key=lambda m: m._meta.label)
            order += ready
            left -= set(ready)
        for model in order:
            for field in _concrete(model):
                if isinstance(field, models.ForeignKey) and field.related_model not in added:
                    if any(getattr(obj, field.attname) is not None for obj in added[model]):
                        return None
        return order

    # --- the copy, in every later test ------------------------------------------------------

    def _replayable(self):
        return not _claims_exist() and not any(
            model._base_manager.exists() for model, _, _ in self.tables
        )

    def _insert(self, model):
        """(INSERT statement, the rows' values prepared for this database, the positions of
        the fields set on insert), made once per database and table."""
        key = (connection.vendor, model)
        if key not in self._prepared:
            fields = model._meta.concrete_fields
            quote = connection.ops.quote_name
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(model._meta.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)),
            )
            rows = next(rows for m, rows, _ in self.tables if m is model)
            values = [
                [f.get_db_prep_save(_fresh(row[f.attname]), connection) for f in fields]
                for row in rows
            ]
            fresh = [
                i
                for i, f in enumerate(fields)
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            self._prepared[key] = (sql, values, fresh)
        return self._prepared[key]

    def replay(self):
        """Store the kept rows again, with their ids: one INSERT per table, one transaction."""
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            for model, _, _ in self.tables:
                sql, values, fresh = self._insert(model)
                if fresh:
                    fields = model._meta.concrete_fields
                    stamps = {i: fields[i].get_db_prep_save(now, connection) for i in fresh}
                    values = [[stamps.get(i, v) for i, v in enumerate(row)] for row in values]
                cursor.executemany(sql, values)
            # PostgreSQL: the next row a test adds gets an id after the copied ones.
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [m for m, _, _ in self.tables]
            ):
                cursor.execute(statement)
        self._after_replay()
        article_model = apps.get_model("sources", "Article")
        rows = next(rows for m, rows, _ in self.tables if m is article_model)
        pks = {key: rows[i][article_model._meta.pk.attname] for key, i in self.keys}
        stored = article_model._base_manager.in_bulk(pks.values())
        return {key: stored[pk] for key, pk in pks.items()}

    def _after_replay(self):
        """What an import does besides storing rows: it leaves the claim assistant's in-memory
        index of this process up to date with the passages it stored. Here the index is
        emptied, and the kept index of the seeds is offered for the assistant's next use
        (SeedIndex)."""
        try:
            from claims.assistant import index
            from claims.assistant.models import Passage
        except ImportError:
            return
        index.reset()
        SEED_INDEX.offer(Passage.objects.aggregate(latest=Max("created_at"))["latest"])


class SeedIndex:
    """The claim assistant's index of the copied seed rows, read from the database once and
    handed to later copies.

    After a copy of the rows the process's index is empty; the first time a test then asks the
    assistant for it (`claims.assistant.index.current`, wrapped here), it gets a copy of the
    index read after the first copy of the rows, stamped with the creation time of this copy's
    passages, instead of reading every passage again (most tests never ask). The assistant's
    own checks then catch up with what the test changed since, as in any process: passages
    and claims stored later are read, and counts that do not add up read everything again.
    With a glossary in the database the index is read afresh (the glossary changes it)."""

    def __init__(self):
        self.kept = None  # the pickled index of the seed rows
        self.offered = None  # the copied passages' latest creation time, until taken
        self._real_current = None

    def offer(self, latest):
        from claims.assistant import index

        if self._real_current is None:
            self._real_current = index.current
            index.current = self._current
        if self.kept is None:  # the first copy: its index is read now, and kept
            self.kept = pickle.dumps(self._real_current())
            return
        self.offered = latest

    def forget(self):
        """A test is over: what was offered to it is not for the next one."""
        self.offered = None

    def _current(self):
        from claims.assistant import glossary, index
        from claims.assistant.models import GlossaryEntry

        latest, self.offered = self.offered, None
        if latest is not None and index.loaded() is None:
            version = glossary.refresh()
            if not GlossaryEntry.objects.exists():
                kept = pickle.loads(self.kept)
                kept.glossary_version = version
                kept.passages_latest = latest
                with index.lock():
                    if index.loaded() is None:
                        index._index = kept
        return self._real_current()


SEED_INDEX = SeedIndex()


# Imported for real by the first test that needs the seeds, then copied.
SEED_ROWS = SeedRows([SEEDS])


class SeedReviewTestCase(TestCase):
    """The seeds and seeds/review.yaml, loaded once for all the tests of a class (Django's
    setUpTestData, with `claims.review_file.load_review`, the real thing): loading the whole
    review takes seconds. Each test runs in a savepoint of that state and is rolled back, so
    the tests of a class see the same data and never each other's changes.

    `editor`, `reviewer`, `seed_articles` (as the fixture) and `report` (the LoadReport)."""

    @classmethod
    def setUpTestData(cls):
        from claims import services
        from claims.review_file import load_review
        from tests.conftest import make_user

        cls.editor = make_user("editor", services.EDITORS_GROUP)
        cls.reviewer = make_user("reviewer", services.REVIEWERS_GROUP)
        cls.seed_articles = SEED_ROWS.articles()
        cls.report = load_review(REVIEW)
