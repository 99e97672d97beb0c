"""The same article arriving twice, in the other script or another encoding: it is imported
once, the result names the article it duplicates and the script and encoding of both copies,
and editors see every file that arrived as that article."""

from pathlib import Path

import pytest
from django.urls import reverse

from sources import text as scripts
from sources.importer import UNCHANGED, import_bytes, import_paths
from sources.models import Article, ArticleFile

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(number):
    return next(SEEDS.glob(f"{number}_*.txt"))


def test_a_big5_copy_that_lost_a_names_accents_is_the_same_article():
    first = import_bytes(seed("004").read_bytes(), "004.txt").article
    text = seed("004").read_text(encoding="utf-8")
    assert "Cao Nguyên Tùng" in text
    # Big5 cannot carry ê and ù: the re-encoder wrote the name without its accents.
    big5 = text.replace("Nguyên Tùng", "Nguyen Tung").encode("big5", errors="replace")
    again = import_bytes(big5, "004-big5.txt")
    assert again.status == UNCHANGED and again.article == first
    assert again.message == (
        f"the same article as #{first.pk} (004.txt: Traditional, utf-8); this copy "
        "(Traditional, big5) is not imported again and is listed with the article's files"
    )
    assert Article.objects.count() == 1


def test_the_other_script_is_named_in_the_message():
    first = import_bytes(seed("001").read_bytes(), "001.txt").article
    traditional = scripts.convert(seed("001").read_text(encoding="utf-8"), "s2twp")
    again = import_bytes(traditional.encode("big5", errors="replace"), "001-tw.txt")
    assert again.article == first
    assert "(001.txt: Simplified, utf-8); this copy (Traditional, big5)" in again.message


def test_every_file_of_an_article_is_listed_and_importing_again_adds_none(client, editor):
    first = import_bytes(seed("001").read_bytes(), "001.txt").article
    import_bytes(seed("001").read_text(encoding="utf-8").encode("gb18030"), "001-gb.txt")
    import_bytes(
        scripts.convert(seed("001").read_text(encoding="utf-8"), "s2t").encode("utf-8"), "001-t.txt"
    )
    for _ in range(2):
        import_bytes(seed("001").read_bytes(), "001.txt")
        import_bytes(seed("001").read_text(encoding="utf-8").encode("gb18030"), "001-gb.txt")
    files = [(f.filename, f.script, f.encoding) for f in ArticleFile.objects.filter(article=first)]
    assert files == [
        ("001.txt", "hans", "utf-8"),
        ("001-gb.txt", "hans", "gb18030"),
        ("001-t.txt", "hant", "utf-8"),
    ]
    client.force_login(editor)
    page = client.get(reverse("review:article", args=[first.pk])).content.decode()
    assert "收到了 3 个同一篇文章的文件" in page
    for name in ("001.txt", "001-gb.txt", "001-t.txt"):
        assert name in page


def test_importing_the_seeds_twice_records_no_new_file():
    import_paths([SEEDS])
    count = ArticleFile.objects.count()
    import_paths([SEEDS])
    assert count == ArticleFile.objects.count() == Article.objects.count() == 5
