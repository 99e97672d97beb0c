"""The claim assistant at a desk's scale (issue 13): `python bench/assistant.py` (or `make bench`).

1. A fresh database (SQLite in bench/data/, or ASSISTANT_DATABASE_URL, e.g. PostgreSQL) gets
   ASSISTANT_ARTICLES synthetic articles and ASSISTANT_CLAIMS_PER_ARTICLE claims each
   (`manage.py synth`); `manage.py assistant_index` reads them (timed).
2. Latency, warm and cold (the first request of a process builds its index): the assistant's
   queue page (/review/assistant/), a claim's matches, an article's known claims and the public
   similar-claims lookup, each ASSISTANT_REPEAT times through Django's test client with
   production settings: p50 and p95 in ms.
3. Import of ASSISTANT_IMPORT_FILES generated article files into copies of that database, with
   the assistant off (NEWSROOM_ASSISTANT_ON_IMPORT=0), with its index only (=index: passages,
   no known-claim check) and on (=1: passages + known-claim check). The generated files are
   made of the same seed sentences as the desk's claims, so each repeats hundreds of them: the
   check's worst case. Then, unless ASSISTANT_CORPUS_IMPORT=0, the same three imports of the
   shared corpus's real texts (../shared/corpus, 2,537 rumour messages and Weibo posts; the
   bench stops with where it looked when the corpus is missing): other stories than the
   desk's, which repeat few of its claims, as most of a desk's arrivals do. Each import runs
   ASSISTANT_IMPORT_ROUNDS times (3), the three modes back to back in each round; the ratios
   are each round's, and their median.

Prints a table and writes bench/results/assistant.json.
"""

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import RESULTS, ROOT, log, production_env
from common import manage as _manage

DATA = ROOT / "bench" / "data"
ARTICLES = int(os.environ.get("ASSISTANT_ARTICLES", "1000"))
PER_ARTICLE = int(os.environ.get("ASSISTANT_CLAIMS_PER_ARTICLE", "10"))
REPEAT = int(os.environ.get("ASSISTANT_REPEAT", "20"))
IMPORT_FILES = int(os.environ.get("ASSISTANT_IMPORT_FILES", "2000"))
# Each import is timed this many times, the modes one after the other in each round (their
# order turned round from one round to the next): the machine's speed drifts by a fifth from
# one minute to the next, and a ratio of two imports a quarter of an hour apart measured the
# drift as much as the check. Each round's ratios are kept, and their median printed. (Within
# a round too: the same 10,000-file import without the check took 73.8 s in one round and
# 53.9 s in the next, eight minutes later, and its CPU time was its wall time each time.)
IMPORT_ROUNDS = int(os.environ.get("ASSISTANT_IMPORT_ROUNDS", "3"))
CORPUS_IMPORT = os.environ.get("ASSISTANT_CORPUS_IMPORT", "1") != "0"
MODES = (
    ("assistant off", "0"),
    ("the assistant's index only (passages, no known-claim check)", "index"),
    ("assistant on (passages + known-claim check)", "1"),
)


def manage(env, *args, capture=False):
    """manage.py with its output dropped unless it is asked for."""
    return _manage(env, *args, capture=capture, quiet=True)


def env_for(url, **extra):
    return production_env(
        url,
        NEWSROOM_ANON_THROTTLE="100000000/minute",
        NEWSROOM_SIMILAR_THROTTLE="100000000/minute",
        **extra,
    )


LATENCY = r"""
import json, statistics, time
from django.contrib.auth.models import User
from django.test import Client
from claims import services
from claims.models import Claim
from sources.models import Article

editor = User.objects.filter(groups__name=services.EDITORS_GROUP).first()
client = Client()
client.force_login(editor)
claim = Claim.objects.order_by("id")[Claim.objects.count() // 2:][:1].get()
article = Article.objects.order_by("id")[Article.objects.count() // 2:][:1].get()
urls = {
    "assistant queue": "/review/assistant/?fragment=1",
    "claim matches": f"/api/v1/claims/{claim.pk}/matches/",
    "article known claims": f"/api/v1/articles/{article.pk}/known-claims/",
    "similar claims (public)": "/api/v1/claims/similar/?text=" + claim.text[:30],
}
out = {}
started = time.perf_counter()
assert client.get(urls["claim matches"]).status_code == 200
cold = (time.perf_counter() - started) * 1000
for name, url in urls.items():
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        response = (Client() if "public" in name else client).get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    out[name] = {"p50_ms": round(statistics.median(times), 1),
                 "p95_ms": round(times[int(len(times) * 0.95) - 1], 1)}
out["first request of a process (builds the index)"] = {"p50_ms": round(cold, 1), "p95_ms": None}
print(json.dumps(out))
"""


def counts(env):
    out = manage(
        env,
        "shell",
        "-c",
        "from claims.models import Claim; from sources.models import Article; "
        "from claims.assistant.models import Passage; import json; print(json.dumps("
        "[Article.objects.count(), Claim.objects.count(), Passage.objects.count()]))",
        capture=True,
    )
    return json.loads(out.strip().splitlines()[-1])


def import_files(url, folder, mode):
    env = env_for(url, NEWSROOM_ASSISTANT_ON_IMPORT=mode)
    started = time.perf_counter()
    manage(env, "import_articles", str(folder))
    return round(time.perf_counter() - started, 1)


def import_timings(work, db, files, count, what):
    """Seconds to import `files` into a copy of the database `db`, in each of MODES, for each
    of IMPORT_ROUNDS rounds."""
    rounds = []
    for number in range(IMPORT_ROUNDS):
        timings = {}
        for label, mode in MODES if number % 2 == 0 else MODES[::-1]:
            copy = work / f"import-{mode}.sqlite3"
            shutil.copy(db, copy)
            timings[label] = import_files(f"sqlite:///{copy}", files, mode)
            copy.unlink()
            log(f"import {count} {what}, round {number + 1}, {label}: {timings[label]} s")
        rounds.append({label: timings[label] for label, _ in MODES})
    return {"files": count, "rounds": rounds}


def ratios(seconds):
    """(with the check ÷ index only, with the check ÷ assistant off) of one round."""
    off, index, on = (seconds[label] for label, _ in MODES)
    return on / index, on / off


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    base_url = os.environ.get("ASSISTANT_DATABASE_URL")
    work = Path(tempfile.mkdtemp(prefix="bench-assistant-"))
    db = work / "assistant.sqlite3"
    url = base_url or f"sqlite:///{db}"
    env = env_for(url)
    results = {"articles": ARTICLES, "claims_per_article": PER_ARTICLE, "engine": url.split(":")[0]}
    try:
        manage(env, "migrate", "--noinput", "-v0")
        t = time.perf_counter()
        manage(
            env,
            "synth",
            "--articles",
            str(ARTICLES),
            "--claims-per-article",
            str(PER_ARTICLE),
            "--seed",
            "13",
            "--quiet",
        )
        results["synth_seconds"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        manage(env, "assistant_index")
        results["assistant_index_seconds"] = round(time.perf_counter() - t, 1)
        results["counts"] = dict(zip(("articles", "claims", "passages"), counts(env)))
        log(
            f"assistant bench: {results['counts']}; index read in {results['assistant_index_seconds']} s"
        )
        out = manage(env, "shell", "-c", f"REPEAT = {REPEAT}\n" + LATENCY, capture=True)
        results["latency"] = json.loads(out.strip().splitlines()[-1])
        if IMPORT_FILES and not base_url:
            files = work / "files"
            manage(
                env,
                "shell",
                "-c",
                f"from bench.articles import write_files; "
                f"write_files({str(files)!r}, {IMPORT_FILES}, seed=1313)",
            )
            results["import"] = import_timings(work, db, files, IMPORT_FILES, "files")
        if CORPUS_IMPORT and not base_url:
            files = work / "corpus"
            out = manage(
                env,
                "shell",
                "-c",
                f"from bench.articles import write_corpus_files; "
                f"print(write_corpus_files({str(files)!r}))",
                capture=True,
            )
            count = int(out.strip().splitlines()[-1])
            results["corpus_import"] = import_timings(work, db, files, count, "corpus texts")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (RESULTS / "assistant.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(
        f"\nClaim assistant at {results['counts']['articles']:,} articles, "
        f"{results['counts']['claims']:,} claims, {results['counts']['passages']:,} passages "
        f"({results['engine']}); assistant_index read them in {results['assistant_index_seconds']} s.\n"
    )
    print("| request | p50 ms | p95 ms |\n|---|---:|---:|")
    for name, row in results["latency"].items():
        print(
            f"| {name} | {row['p50_ms']} | {row['p95_ms'] if row['p95_ms'] is not None else ''} |"
        )
    for key, what in (("import", "generated files"), ("corpus_import", "real texts of the corpus")):
        if key in results:
            count, rounds = results[key]["files"], results[key]["rounds"]
            print(f"\nImport of {count:,} {what} into that database, in {len(rounds)} round(s):")
            print("| round | " + " | ".join(label for label, _ in MODES) + " | 1 ÷ index | 1 ÷ 0 |")
            print("|---:|" + "---:|" * (len(MODES) + 2))
            for number, seconds in enumerate(rounds, start=1):
                by_index, by_off = ratios(seconds)
                cells = " | ".join(f"{seconds[label]} s" for label, _ in MODES)
                print(f"| {number} | {cells} | {by_index:.2f} | {by_off:.2f} |")
            by_index = statistics.median(ratios(seconds)[0] for seconds in rounds)
            by_off = statistics.median(ratios(seconds)[1] for seconds in rounds)
            print(
                f"  with the check (median of the rounds): {by_index:.2f} x the index-only "
                f"import, {by_off:.2f} x the import without the assistant"
            )


if __name__ == "__main__":
    main()
