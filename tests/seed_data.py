"""Seed data for tests, made once: the five seed articles (`SEED_ROWS`, behind the
`seed_articles` fixture) and the desk's review of them (`SeedReviewTestCase`).

The seed articles are imported for real once per test session, then copied into each test.

Importing seeds/ is what most tests do first, and it is slow: decoding, parsing, folding the
scripts with OpenCC, fingerprints, publishers, and what the claim assistant reads from every
article as it is stored (its `Passage` rows). So the first test of a session that needs the
seeds imports them with `sources.importer.import_paths`, exactly as before, and the rows that
import stored are kept in memory (`SeedRows.capture`); every later test gets the same rows with
one bulk insert per table (`SeedRows.replay`), inside its own transaction, in the real
database. tests/test_seed_rows.py compares the two, every field of every table.

The copy is used only where it must equal an import: when none of the tables the import wrote
to holds a row and there is no claim yet (the assistant checks an arriving article against the
desk's claims). Otherwise the fixture imports for real. Ids are the database's own (bulk
inserts return them), foreign keys between the copied rows follow, and the fields the database
sets on insert (auto_now, auto_now_add) are set afresh; every other value is the imported one.
"""

import copy
from pathlib import Path

from django.apps import apps
from django.db import models, transaction
from django.test import TestCase

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
                {f.attname: f.value_from_object(obj) for f in _concrete(model)}
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

    def replay(self):
        """Store the kept rows again: one bulk insert per table, in one transaction."""
        stored = {}
        with transaction.atomic():
            for model, rows, index in self.tables:
                objs = []
                for values in rows:
                    obj = model(**{k: _fresh(v) for k, v in values.items()})
                    for field in _concrete(model):
                        if isinstance(field, models.ForeignKey) and field.related_model in stored:
                            old = values[field.attname]
                            if old is not None:
                                parents, parent_index = stored[field.related_model]
                                setattr(obj, field.name, parents[parent_index[old]])
                    objs.append(obj)
                model._base_manager.bulk_create(objs)
                assert all(obj.pk is not None for obj in objs), f"{model.__name__}: no ids returned"
                stored[model] = (objs, index)
        self._after_replay()
        articles = stored[apps.get_model("sources", "Article")][0]
        return {key: articles[i] for key, i in self.keys}

    @staticmethod
    def _after_replay():
        """What an import does besides storing rows: it leaves the claim assistant's in-memory
        index of this process up to date with the passages it stored. Here the index is read
        afresh from the database, as any other process would read it."""
        try:
            from claims.assistant import index
        except ImportError:
            return
        index.reset()
        index.current()


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
