"""YAML from outside is read with limits: front matter and review files refuse anchors and
aliases (a "billion laughs" bomb is refused at once, naming the file), front matter is at most
16 KB, and nesting is bounded."""

import io
import time

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim
from claims.review_file import ReviewFileError, load_review
from newsroom import safe_yaml
from sources.importer import REFUSED, import_bytes, import_paths
from sources.models import Article, Source
from tests.seed_data import SEEDS

# 434 bytes of front matter that expand to 9^9 (387 million) strings for whoever walks them.
BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tags: *i
title: 炸弹
---
正文第一句。
"""
GOOD = (
    "---\ntitle: 正常文章\ndate: 2025-10-23\ntags: [科技, 裁员]\n---\n某公司今天宣布裁员600人。\n"
)


def test_a_yaml_bomb_in_front_matter_is_refused_at_once_naming_the_file(db, tmp_path):
    (tmp_path / "bomb.md").write_text(BOMB, encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    started = time.perf_counter()
    report = import_paths([tmp_path])
    assert time.perf_counter() - started < 1
    bomb, good = sorted(report.results, key=lambda r: r.filename)
    assert bomb.status == REFUSED
    assert bomb.line().startswith(f"{tmp_path / 'bomb.md'}: refused: has malformed front matter")
    assert "anchors and aliases (&name, *name) are not allowed" in bomb.message
    assert good.status == "imported", good.message
    assert list(Article.objects.values_list("filename", "title", "tags")) == [
        ("good.md", "正常文章", ["科技", "裁员"])
    ]


def test_the_import_command_reports_the_bomb_and_imports_the_rest(db, tmp_path):
    (tmp_path / "bomb.md").write_text(BOMB, encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_articles", str(tmp_path), stdout=out, stderr=err)
    assert refused.value.returncode == 1
    assert "bomb.md: refused: has malformed front matter" in out.getvalue() + err.getvalue()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: &t 标题\nsource: *t\n",  # one alias is already refused
        "title: 标题\ntags: &t [a, b]\n",  # so is an anchor on its own
        "title: 标题\nx: " + "[" * 200 + "]" * 200 + "\n",  # nesting that would exhaust recursion
    ],
)
def test_anchors_aliases_and_deep_nesting_are_refused(db, front_matter):
    result = import_bytes(f"---\n{front_matter}---\n正文。\n".encode(), "a.md")
    assert result.status == REFUSED
    assert "has malformed front matter (YAML error at line" in result.message
    assert not Article.objects.exists() and not Source.objects.exists()


def test_front_matter_over_16_kb_is_refused_before_it_is_parsed(db):
    big = "---\ntitle: 标题\nnotes: |\n" + "  一行说明文字。\n" * 1000 + "---\n正文。\n"
    result = import_bytes(big.encode(), "big.md")
    assert result.status == REFUSED
    assert (
        "has front matter of 24,023 bytes" in result.message
        and "the limit is 16,384 bytes" in result.message
    )
    assert not Article.objects.exists()


def test_front_matter_under_the_limit_still_imports(db):
    text = "---\ntitle: 标题\nnotes: |\n" + "  一行说明文字。\n" * 500 + "---\n正文。\n"
    result = import_bytes(text.encode(), "fine.md")
    assert result.status == "imported", result.message
    assert result.article.title == "标题" and result.article.body == "正文。"


def test_a_review_file_with_aliases_is_refused_and_loads_nothing(db, tmp_path, editor):
    review = tmp_path / "review.yaml"
    review.write_text(BOMB.replace("---\n", "").replace("正文第一句。\n", ""), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(
        ReviewFileError, match="review.yaml: not a valid YAML file .*anchors and aliases"
    ):
        load_review(review)
    assert time.perf_counter() - started < 1
    assert not Claim.objects.exists()


@pytest.mark.parametrize("loader", [safe_yaml.Loader, safe_yaml.PureLoader])
def test_libyaml_and_pure_python_read_the_seed_review_alike_and_refuse_alike(loader):
    """The desk reads YAML with libyaml's parser when PyYAML has it (safe_yaml.Loader), else
    in pure Python (safe_yaml.PureLoader): the same data, the same refusals."""
    review = (SEEDS / "review.yaml").read_text(encoding="utf-8")
    assert safe_yaml.load(review, loader) == yaml.safe_load(review)
    with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
        safe_yaml.load(BOMB.split("---")[1], loader)
    deep = "a: " + "[" * (safe_yaml.MAX_DEPTH + 5) + "]" * (safe_yaml.MAX_DEPTH + 5)
    with pytest.raises(yaml.YAMLError, match="nests deeper") as refused:
        safe_yaml.load(deep, loader)
    assert refused.value.problem_mark.line == 0
