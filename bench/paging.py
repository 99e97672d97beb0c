"""Search and paging at scale (issue 15), beside `make bench`: uncached answers on PostgreSQL.

    PAGING_DATABASE_URL=postgres://…/db .venv/bin/python bench/paging.py

The database must hold `manage.py synth` data (e.g. `synth --articles 10000
--claims-per-article 10`: 100,000 claims) and be ANALYZEd. The product is served by gunicorn
(production settings, bench/gunicorn.conf.py, NEWSROOM_CACHE=none so that every answer is
computed) and measured, one part at a time:

- search: `GET /api/v1/claims/?q=TERM` for SEARCH_TERMS, 1 to 4 characters, common and rare,
  each also in Traditional script; one client, one request at a time, PAGING_ROUNDS rounds:
  p50 and p95 of the latencies (ms);
- paging: the first page, a deep `?page=`, 200 pages deep by cursor, `ordering=-published_at`
  and filters, each PAGING_ROUNDS times: p50 (ms);
- throughput against the floor (/_bench/floor/<bytes>/, NEWSROOM_BENCH=1) with wrk over
  bench/cycle.lua: the cache-miss mix (claim pages and API claims by id, API list pages and
  filters, digest pages, either script) and the editors' API list (a token, live data).
  Every address of the mix, and every probe above, must answer 200 (the bench collects the
  static files first, as production does): a figure of error pages is refused, not printed.

Prints a summary and writes bench/results/paging.json. `run()` is the one function that
bench/run.py can call with a database URL.
"""

import json
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

from common import PY, RESULTS, ROOT, free_port, log, manage, production_env

CYCLE = ROOT / "bench" / "cycle.lua"
ROUNDS = int(os.environ.get("PAGING_ROUNDS", "3"))
SECONDS = int(os.environ.get("PAGING_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("PAGING_CONNECTIONS", "4"))
# Fixed, not tuned: 1 to 4 characters, common and rare in the synthetic corpus; each is also
# searched in its Traditional form. (The same list as bench/run.py, plus 的, the commonest.)
SEARCH_TERMS = [
    "的",
    "裁",
    "研",
    "裁员",
    "团队",
    "模型",
    "人才",
    "部门",
    "量子",
    "实验室",
    "田渊栋",
    "扎克伯格",
    "超级智能",
    "基础研究",
    "人工智能",
]

PROBE = r"""
import json
from claims.models import Claim, Digest, Verdict
from django.contrib.auth.models import User
from newsroom.models import ApiToken
from sources import text as scripts
from sources.models import Source
terms = %(terms)r
published = Claim.objects.filter(published_entry__isnull=False)
editor = User.objects.get(username="synth-editor")
print(json.dumps({
    "claims": Claim.objects.count(),
    "ids": list(published.order_by("?").values_list("id", flat=True)[:400]),
    "digests": list(Digest.objects.published().order_by("?").values_list("slug", flat=True)[:60]),
    "published_digests": Digest.objects.published().count(),
    "published_claims": published.count(),
    "sources": list(Source.objects.filter(articles__isnull=False).distinct().values_list("slug", flat=True)[:10]),
    "verdicts": list(Verdict.Rating.values),
    "terms": terms + [t for t in (scripts.to_script(t, scripts.HANT) for t in terms) if t not in terms],
    "token": ApiToken.objects.issue(editor, name="bench/paging.py")[1],
}, ensure_ascii=False))
"""


def product_env(database_url):
    return production_env(
        database_url,
        NEWSROOM_BENCH="1",
        NEWSROOM_CACHE="none",
        NEWSROOM_ANON_THROTTLE="100000000/minute",
    )


class Server:
    def __init__(self, env, port):
        self.env, self.port, self.process = env, port, None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                str(ROOT / "bench" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "newsroom.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def timed(url, headers=None):
    """(milliseconds, status, body) of one GET."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - started) * 1000, status, body


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _p50_p95(times):
    """[p50, p95] of latencies in ms, or None when there are none (one round only)."""
    if not times:
        return None
    return [round(statistics.median(times), 1), round(percentile(times, 0.95), 1)]


def wrk(base, paths, headers=()):
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "--timeout",
                "30s",
                *[arg for header in headers for arg in ("-H", header)],
                "-s",
                str(CYCLE),
                base,
                "--",
                handle.name,
                "2",
                "0",
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    raw = json.loads(re.search(r"^BENCH-JSON (\{.*\})$", out, re.M).group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "non_2xx": raw["non_2xx"],
        "urls": len(paths),
    }


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


def mix_paths(found):
    rng = random.Random(15)
    ids = found["ids"]
    paths = [f"/claims/{pk}/" for pk in ids[:150]] + [
        f"/api/v1/claims/{pk}/" for pk in ids[150:300]
    ]
    paths += [q(f"/api/v1/claims/{pk}/", script="hant") for pk in ids[300:350]]
    paths += [q("/api/v1/claims/", page=n) for n in range(1, 51)]
    paths += [
        q("/api/v1/claims/", verdict=v, source=s)
        for v in found["verdicts"]
        for s in found["sources"]
    ]
    paths += [f"/digests/{urllib.parse.quote(slug)}/" for slug in found["digests"][:30]]
    paths += [q("/api/v1/claims/", digest=slug) for slug in found["digests"][30:]]
    rng.shuffle(paths)
    return paths


def run(database_url):
    env = product_env(database_url)
    code = PROBE % {"terms": SEARCH_TERMS}
    found = json.loads(
        subprocess.run(
            [PY, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # Production serves the collected, hashed static files (whitenoise): without them every
    # HTML page is a 500 (its template names a file the manifest lacks).
    manage(env, "collectstatic", "--noinput", "-v0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    token = {"Authorization": f"Token {found['token']}"}
    results = {"claims": found["claims"], "load_before": os.getloadavg()}
    with Server(env, port):
        timed(base + q("/api/v1/claims/", q="热身"))  # both workers up, connections made
        # --- search, one request at a time ---------------------------------------------------
        times, per_term = [], {}
        for _ in range(ROUNDS):
            for term in found["terms"]:
                ms, status, body = timed(base + q("/api/v1/claims/", q=term))
                assert status == 200, (term, status, body[:200])
                times.append(ms)
                page = json.loads(body)
                per_term.setdefault(
                    term, {"count": page["count"], "capped": page["count_capped"], "ms": []}
                )["ms"].append(round(ms, 1))
        # The first round apart: right after PostgreSQL starts, its buffers do not hold the
        # index pages yet, and each term's first search must read them.
        first, later = times[: len(found["terms"])], times[len(found["terms"]) :]
        p50, p95 = _p50_p95(times)
        results["search"] = {
            "terms": len(found["terms"]),
            "rounds": ROUNDS,
            "p50_ms": p50,
            "p95_ms": p95,
            "first_round": _p50_p95(first),
            "later_rounds": _p50_p95(later),
            "per_term": per_term,
        }
        log(
            f"search ({len(found['terms'])} terms x {ROUNDS}): p50 {results['search']['p50_ms']} ms, "
            f"p95 {results['search']['p95_ms']} ms; first round p50/p95 "
            f"{results['search']['first_round']}, later rounds {results['search']['later_rounds']}"
        )
        # --- paging --------------------------------------------------------------------------
        url = base + q("/api/v1/claims/", page_size=20)
        for _ in range(200):  # follow `next` 200 pages deep (page numbers, then cursors)
            url = json.loads(timed(url)[2])["next"] or url
        probes = {
            "first page": "/api/v1/claims/",
            "page 50": q("/api/v1/claims/", page=50),
            "cursor, 200 pages deep": url.replace(base, ""),
            "ordering=-published_at": q("/api/v1/claims/", ordering="-published_at"),
            "verdict=rumour": q("/api/v1/claims/", verdict="rumour"),
            f"source={found['sources'][0]}": q("/api/v1/claims/", source=found["sources"][0]),
            "editors' list (token)": "/api/v1/claims/",
            "archive": "/digests/",
            # Deep pages (the archive shows 50 digests a page): their OFFSET skips the rows before.
            "archive, last page": q("/digests/", page=-(-found["published_digests"] // 50)),
            "API digests, page 50": q("/api/v1/digests/", page=50),
            # For search engines: the index, and the claims' last page (1,000 claims a page).
            "sitemap index": "/sitemap.xml",
            "sitemap, claims' last page": q(
                "/sitemap-claims.xml", p=max(1, -(-found["published_claims"] // 1000))
            ),
            "digest page": f"/digests/{urllib.parse.quote(found['digests'][0])}/",
            "feed": "/feed/",
        }
        results["paging"] = {}
        for name, path in probes.items():
            headers = token if "token" in name else None
            answers = [timed(base + path, headers) for _ in range(ROUNDS)]
            if any(status != 200 for _, status, _ in answers):
                raise SystemExit(f"{name}: {path} answered {[s for _, s, _ in answers]}")
            ms = [elapsed for elapsed, _, _ in answers]
            results["paging"][name] = round(statistics.median(ms), 1)
            log(f"{name:28} p50 {results['paging'][name]:8.1f} ms")
        # --- throughput against the floor ------------------------------------------------------
        mix = mix_paths(found)
        # Every address of the mix is asked once first: a figure of error pages is no figure.
        failed = [(path, status) for path in mix if (status := timed(base + path)[1]) != 200]
        if failed:
            raise SystemExit(
                f"{len(failed)} of the mix's {len(mix)} addresses failed: {failed[:5]}"
            )
        size = len(timed(base + "/api/v1/claims/")[2])
        floor = wrk(base, [f"/_bench/floor/{size}/"])
        parts = {
            "miss mix": wrk(base, mix),
            "editors' API list": wrk(
                base, ["/api/v1/claims/"], [f"Authorization: Token {found['token']}"]
            ),
            "search terms": wrk(base, [q("/api/v1/claims/", q=t) for t in found["terms"]]),
        }
        results["floor"] = floor
        results["throughput"] = {}
        for name, figures in parts.items():
            figures["ratio_to_floor"] = round(figures["rps"] / floor["rps"], 3)
            results["throughput"][name] = figures
            log(
                f"{name:20} {figures['rps']:8.1f} req/s p50 {figures['p50_ms']:.1f} ms "
                f"p95 {figures['p95_ms']:.1f} ms  floor {floor['rps']:.0f} req/s  "
                f"ratio {figures['ratio_to_floor']}  non-2xx {figures['non_2xx']}"
            )
    results["load_after"] = os.getloadavg()
    return results


def main():
    url = os.environ.get("PAGING_DATABASE_URL")
    if not url:
        raise SystemExit("Set PAGING_DATABASE_URL to a PostgreSQL database holding synth data.")
    results = run(url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "paging.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(
        json.dumps(
            {k: v for k, v in results.items() if k != "search"}, ensure_ascii=False, indent=2
        )
    )
    print(f"search: p50 {results['search']['p50_ms']} ms, p95 {results['search']['p95_ms']} ms")


if __name__ == "__main__":
    main()
