"""Article files for the import benchmark: made of the seed sentences (see synth.TextMaker), or
the real texts of the shared corpus as they circulated."""

import datetime
import json
import random
from pathlib import Path

from claims.management.commands.synth import TextMaker
from sources import text as scripts

ENCODINGS = {scripts.HANS: "gb18030", scripts.HANT: "big5"}


def write_files(folder, count, seed=10_000):
    """Write `count` distinct article files into `folder`: front matter, a body of 14–24 seed
    sentences; one in ten in GB18030 or Big5 as the desk receives them."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    day = datetime.date(2025, 1, 1)
    for n in range(count):
        title, body, script, _ = maker.article(f"import-{n}")
        # A JSON string is a valid YAML scalar whatever quotes or colons the title holds.
        text = (
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsource: 合成来源 {n % 24 + 1:02d}\n"
            f"date: {day + datetime.timedelta(days=n % 700)}\n---\n{body}\n"
        )
        encoding = ENCODINGS.get(script, "utf-8") if rng.random() < 0.1 else "utf-8"
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        (folder / f"{n:05d}.txt").write_bytes(data)


def write_corpus_files(folder):
    """Write each text of the shared corpus (../shared/corpus: Taiwan FactCheck Center rumour
    messages, Weibo posts) into `folder` as a plain file, as a desk receives a forwarded
    message: no front matter, the importer finds title and outlet. Returns how many. Raises
    CorpusError (with where the corpus is looked for) when it is missing."""
    from claims.assistant import evaluation

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs = evaluation.load()
    for n, doc in enumerate(docs):
        (folder / f"{n:05d}.txt").write_text(doc.text + "\n", encoding="utf-8")
    return len(docs)
