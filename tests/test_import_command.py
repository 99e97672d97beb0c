"""`manage.py import_articles`: one line per file, a summary, a non-zero status on refusals."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Article
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def test_importing_the_seeds_twice_says_nothing_changed_the_second_time():
    out, _, error = run(SEEDS)
    assert error is None and out.strip().endswith("5 imported, 0 unchanged, 0 refused")
    out, _, error = run(SEEDS)
    assert error is None
    assert out.count("already imported as #") == 5
    assert out.strip().endswith("0 imported, 5 unchanged, 0 refused (nothing changed)")
    assert Article.objects.count() == 5


def test_refused_files_are_named_with_the_reason_and_the_status_is_non_zero(tmp_path):
    (tmp_path / "good.txt").write_text("标题\n正文第一句。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad-front.txt").write_text("---\ntitle: [\n---\n正文。\n", encoding="utf-8")
    out, err, error = run(tmp_path, tmp_path / "nope.txt")
    assert isinstance(error, CommandError) and error.returncode == 1
    assert f"{tmp_path / 'empty.txt'}: refused: is empty (0 bytes)" in err
    assert f"{tmp_path / 'bad-front.txt'}: refused: has malformed front matter" in err
    assert f"{tmp_path / 'nope.txt'}: refused: no such file or folder" in err
    assert "Traceback" not in err
    assert out.strip().endswith("1 imported, 0 unchanged, 3 refused")
    assert Article.objects.count() == 1


def test_encoding_and_size_limit_options(tmp_path):
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("標題\n正文第一句，內容。\n".encode("big5"))
    _, err, error = run(big5, "--encoding", "utf-8")
    assert error is not None and "cannot be read as utf-8" in err
    out, _, error = run(big5, "--encoding", "big5", "--max-bytes", "1000")
    assert error is None and "imported as #" in out
    _, err, error = run(big5, "--max-bytes", "10")
    assert error is not None and "is too large" in err


def test_an_unknown_encoding_is_a_clear_error():
    _, _, error = run(SEEDS, "--encoding", "klingon")
    assert "Unknown encoding 'klingon'" in str(error)
    assert Article.objects.count() == 0
