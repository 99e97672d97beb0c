"""Loading and exporting a review file: idempotent, all-or-nothing, lossless, and held to the
same rules as work entered by hand."""

import copy
import tempfile
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from claims.review_file import ReviewFileError, export_data, load_review
from tests.seed_data import REVIEW, SeedReviewTestCase


@pytest.fixture
def data():
    return yaml.safe_load(REVIEW.read_text(encoding="utf-8"))


def small_review(data, *keys):
    """The review cut down to a few claims and a draft digest of them."""
    data = copy.deepcopy(data)
    data["claims"] = [c for c in data["claims"] if c["key"] in keys]
    data["digests"][0].update(claims=list(keys), slug="small", published=False)
    return data


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Claim, Evidence, Verdict, Digest, DigestEntry)
    }


class Rollback(Exception):
    pass


class TestTheSeedReviewLoaded(SeedReviewTestCase):
    """seeds/review.yaml loaded once (see SeedReviewTestCase), then loaded again."""

    def test_loading_the_review_twice_changes_nothing(self):
        assert self.report.changed
        before = counts()
        report = load_review(REVIEW)
        assert not report.changed
        assert counts() == before

    def test_loading_an_export_into_the_same_database_changes_nothing(self):
        before = counts()
        with tempfile.TemporaryDirectory() as tmp:
            call_command("export_review", str(Path(tmp) / "out.yaml"))
            assert not load_review(Path(tmp) / "out.yaml").changed
        assert counts() == before


@pytest.mark.slow
def test_an_exported_review_loads_into_a_fresh_database_as_the_same_review(
    seed_articles, editor, reviewer, data
):
    try:
        with transaction.atomic():
            load_review(REVIEW)
            first = export_data()
            raise Rollback
    except Rollback:
        pass
    assert Claim.objects.count() == 0
    load_review(first)
    second = export_data()
    assert second == first
    assert first == data


def test_a_review_where_the_proposer_approves_her_own_verdict_is_refused(
    seed_articles, editor, reviewer, data
):
    review = small_review(data, "layoff-600", "tian-laid-off")
    review["claims"][1]["verdict"].update(proposed_by="reviewer", approved_by="reviewer")
    # Loaded outside a request: the service's reason reads in the language active now.
    with pytest.raises(ReviewFileError, match="claim tian-laid-off: 任何人都不能批准"):
        load_review(review)
    assert counts()["Claim"] == 0


def test_a_quote_that_is_not_in_its_article_names_the_claim_and_file_and_stores_nothing(
    seed_articles, editor, reviewer, data
):
    review = small_review(data, "layoff-600", "tian-laid-off")
    review["claims"][1]["evidence"][0]["quote"] = "田渊栋获得了诺贝尔奖"
    with pytest.raises(ReviewFileError) as error:
        load_review(review)
    assert "claim tian-laid-off" in str(error.value)
    assert review["claims"][1]["evidence"][0]["file"] in str(error.value)
    assert counts()["Claim"] == 0


def test_the_command_says_which_user_is_missing_and_exits_with_an_error(seed_articles, tmp_path):
    with pytest.raises(CommandError, match="there is no user “editor”"):
        call_command("load_review", str(REVIEW))
    assert counts()["Claim"] == 0


def test_unknown_ratings_and_files_are_reported_clearly(seed_articles, editor, reviewer, data):
    review = small_review(data, "layoff-600")
    review["claims"][0]["verdict"]["rating"] = "probably"
    review["claims"][0]["evidence"][0]["file"] = "999_missing.txt"
    with pytest.raises(ReviewFileError) as error:
        load_review(review)
    assert "unknown rating “probably”" in str(error.value)
    assert "999_missing.txt" in str(error.value)


def test_a_changed_verdict_supersedes_the_one_in_force_and_keeps_it_in_history(
    seed_articles, editor, reviewer, data
):
    review = small_review(data, "layoff-600")
    load_review(review)
    review["claims"][0]["verdict"].update(rating="disputed", rationale="Second look.")
    load_review(review)
    claim = Claim.objects.get(review_key="layoff-600")
    assert claim.approved_verdict.rating == "disputed"
    assert claim.verdicts.filter(status=Verdict.Status.SUPERSEDED).count() == 1


def test_a_published_digest_is_left_as_it_is_when_the_file_changes(
    seed_articles, editor, reviewer, data
):
    review = small_review(data, "layoff-600", "tian-laid-off")
    review["digests"][0]["published"] = True
    load_review(review)
    review["digests"][0]["claims"] = ["layoff-600"]
    load_review(review)
    assert Digest.objects.get(slug="small").entries.count() == 2


def test_a_file_that_is_not_yaml_is_refused_with_its_name(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.yaml"):
        call_command("load_review", str(bad))
