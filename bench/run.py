"""`make bench`: the product under gunicorn on loopback, driven by wrk: cached and uncached
figures side by side, against the floor and the bare-WSGI ceiling.

For each engine (SQLite, PostgreSQL) and size (1,000 and 100,000 claims by default) it makes
the data with `manage.py synth` (kept between runs in bench/data/ and a local PostgreSQL
cluster), then serves it with production settings and two gunicorn workers, twice:

- cached: the product as deployed, its cache in Redis (scripts/redis.sh, when Debian's
  redis-server is installed; else each worker's memory);
- uncached: the same with NEWSROOM_CACHE=none, so that every answer is computed.

On each it measures, BENCH_SECONDS each:
- fixed URLs (the API claim list, an API search, a digest page, a claim page, the archive and
  the feed), each repeated (so cached runs are cache hits), and the editors' API claim list
  (with an editor's token: live data, never cached), beside its floor:
  /_bench/floor/<bytes>/ (NEWSROOM_BENCH=1 only) returns a precomputed body of the same size
  through the same middleware;
- the mix: BENCH_MIX_URLS distinct URLs made from the database (claim pages and API claims
  by id, API list pages, filters by verdict and source, digests, either script), cycled by
  bench/cycle.lua (the cached run after one warm-up pass over all of them);
- search: `q=` over a fixed list of 1- to 4-character terms from the synthetic corpus, each in
  Simplified and in Traditional, cycled the same way (p50 and p95);
- the RSS of the gunicorn workers after the runs.
Once per run: the bare-WSGI ceiling (bench/bare_wsgi.py under the same gunicorn settings) and
the time to import generated article files. /proc/loadavg is read before and after each part.

Prints Markdown tables and writes bench/results/latest.json. Environment knobs:
BENCH_SECONDS (10), BENCH_SIZES (1000,100000), BENCH_ENGINES (sqlite,postgres),
BENCH_CONNECTIONS (4), BENCH_MIX_URLS (3000), BENCH_CACHE (redis when installed, else locmem),
BENCH_IMPORT_FILES (10000; 0 skips the import timing), BENCH_ASSISTANT (1; 0 skips the claim
assistant's bench, bench/assistant.py). Needs `apt-get install -y wrk postgresql`
(and redis-server for the Redis cache).
"""

import json
import os
import platform
import random
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import PY, RESULTS, ROOT, free_port, log, manage, production_env

DATA = ROOT / "bench" / "data"
PGDIR = DATA / "pgdata"
PGPORT = int(os.environ.get("BENCH_PGPORT", "5441"))


PORT = int(os.environ.get("BENCH_PORT") or free_port())
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000").split(",") if s]
ENGINES = [e for e in os.environ.get("BENCH_ENGINES", "sqlite,postgres").split(",") if e]
IMPORT_FILES = int(os.environ.get("BENCH_IMPORT_FILES", "10000"))
MIX_URLS = int(os.environ.get("BENCH_MIX_URLS", "3000"))
CLAIMS_PER_ARTICLE = 10
SEARCH = "裁员"
# Search terms, fixed (not tuned): 1 to 4 characters, common and rare in the synthetic corpus
# (the seed sentences recombined); each is also searched in its Traditional form.
SEARCH_TERMS = [
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
WRK_THREADS = 2
# Readers that wrk's requests come from (X-Forwarded-For through one trusted proxy): the API's
# per-client limit stays at its production rate and counts each of them apart.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4096"))
CYCLE = ROOT / "bench" / "cycle.lua"
REDISDIR = DATA / "redis"
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6391"))
CACHE = os.environ.get("BENCH_CACHE") or ("redis" if shutil.which("redis-server") else "locmem")


def product_env(database_url):
    return production_env(
        database_url,
        NEWSROOM_BENCH="1",
        # wrk stands for many readers behind one proxy (bench/cycle.lua names each in
        # X-Forwarded-For); the anonymous limit keeps its production rate. (One address at
        # a huge rate would make DRF's throttle history, a list of every request's time in the
        # last minute, the most expensive thing in a request.)
        NEWSROOM_TRUSTED_PROXIES="1",
        NEWSROOM_ANON_THROTTLE=None,
    )


def database_url(engine, size):
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench-{size}.sqlite3'}"
    base = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(PGDIR), str(PGPORT)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    name = f"bench_{size}"
    admin = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    exists = subprocess.run(
        [
            *admin,
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(PGPORT),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [
                *admin,
                "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(PGPORT),
                "-U",
                "postgres",
                "-O",
                "newsroom",
                name,
            ],
            check=True,
        )
    return base.rsplit("/", 1)[0] + "/" + name


PROBE = """
import json
from django.db import connection
from claims.models import Claim, Digest, Verdict
from sources.models import Source
from sources import text as scripts
from django.contrib.auth.models import Group, User
from claims.services import EDITORS_GROUP
from newsroom.models import ApiToken
editor, _ = User.objects.get_or_create(username="bench-editor")
editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
_, key = ApiToken.objects.issue(editor, name="make bench")
digest = Digest.objects.published().order_by("-published_at", "-id").first()
published = Claim.objects.filter(published_entry__isnull=False)
count = published.count()
claim = published.order_by("id")[count // 2:][:1].first()
ids = list(published.order_by("?").values_list("id", flat=True)[:%(ids)d])
terms = %(terms)r
print(json.dumps({
    "claims": Claim.objects.count(),
    "published": count,
    "digest": digest.slug if digest else None,
    "claim": claim.pk if claim else None,
    "vendor": connection.vendor,
    "ids": ids,
    "digests": list(Digest.objects.published().order_by("?").values_list("slug", flat=True)[:200]),
    "sources": list(Source.objects.filter(articles__isnull=False).distinct().values_list("slug", flat=True)[:40]),
    "verdicts": list(Verdict.Rating.values),
    "editor_token": key,
    "terms": terms + [t2 for t2 in (scripts.to_script(t, scripts.HANT) for t in terms) if t2 not in terms],
}, ensure_ascii=False))
"""


def probe(env):
    code = PROBE % {"ids": max(MIX_URLS, 100), "terms": SEARCH_TERMS}
    return json.loads(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])


def prepare(engine, size):
    """The database for one run: migrated, holding `size` synthetic claims, analysed."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url(engine, size)
    env = product_env(url)
    manage(env, "migrate", "--noinput", "-v0")
    found = probe(env)
    if found["claims"] < size:
        articles = (size - found["claims"] + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
        log(f"synth: {articles} articles x {CLAIMS_PER_ARTICLE} claims on {engine}")
        started = time.perf_counter()
        manage(
            env,
            "synth",
            "--articles",
            str(articles),
            "--claims-per-article",
            str(CLAIMS_PER_ARTICLE),
            "--seed",
            str(size),
            "--quiet",
        )
        log(f"synth took {time.perf_counter() - started:.0f} s")
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection\nconnection.cursor().execute('ANALYZE')",
        )
        found = probe(env)
    return env, found


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


def mix_paths(found, count, seed):
    """`count` distinct URLs a crowd of readers would ask for: claims by id (page and API, some
    in the other script), API list pages, filters, digests."""
    rng = random.Random(seed)
    ids = found["ids"]
    # Numbered pages reach item 1,000 (page 50 of 20); past it the API answers a cursor.
    pages = max(1, min(50, found["published"] // 20))
    candidates = set()
    for pk in ids:
        candidates.add(f"/claims/{pk}/")
        candidates.add(f"/api/v1/claims/{pk}/")
        if pk % 5 == 0:
            candidates.add(q(f"/api/v1/claims/{pk}/", script="hant"))
    for page in range(1, pages + 1):
        candidates.add(q("/api/v1/claims/", page=page))
    for verdict in found["verdicts"]:
        candidates.add(q("/api/v1/claims/", verdict=verdict))
        for source in found["sources"]:
            candidates.add(q("/api/v1/claims/", verdict=verdict, source=source))
    for slug in found["digests"]:
        candidates.add(f"/digests/{urllib.parse.quote(slug)}/")
        candidates.add(q("/api/v1/claims/", digest=slug))
    chosen = sorted(candidates)
    rng.shuffle(chosen)
    return chosen[:count]


def search_paths(found):
    return [q("/api/v1/claims/", q=term) for term in found["terms"]]


def _rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def loadavg():
    return [float(x) for x in open("/proc/loadavg").read().split()[:3]]


class Server:
    """gunicorn with the bench's settings (bench/gunicorn.conf.py) serving `app`."""

    def __init__(self, env, app="newsroom.wsgi:application"):
        self.env = env
        self.app = app
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                str(ROOT / "bench" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{PORT}",
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
        )
        health = "/healthz" if self.app.startswith("newsroom") else "/"
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see its log above")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{PORT}{health}", timeout=2
                ) as answer:
                    if answer.status == 200:
                        return self
            except OSError:  # refused, reset or timed out while the workers boot
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer within 30 s")

    def worker_rss_mb(self):
        """Resident memory of each worker (the master's children), in MB."""
        pid = self.process.pid
        try:
            children = open(f"/proc/{pid}/task/{pid}/children").read().split()
        except OSError:
            return []
        return [m for m in (_rss_mb(int(c)) for c in children) if m is not None]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(path, headers=None):
    """(status, bytes) of one GET."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, len(answer.read())


def wrk_paths(paths, seconds=None, header=None):
    """wrk over `paths` (one or many, cycled by bench/cycle.lua): req/s and latencies in ms.
    `header` ("Name: value") goes with every request."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
        listing = handle.name
    try:
        duration = f"{seconds or SECONDS}s"
        out = subprocess.run(
            [
                "wrk",
                f"-t{WRK_THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{duration}",
                "--timeout",
                "30s",
                "-s",
                str(CYCLE),
                f"http://127.0.0.1:{PORT}",
                "--",
                listing,
                str(WRK_THREADS),
                str(CLIENTS),
                *([header] if header else []),
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    finally:
        os.unlink(listing)
    raw = json.loads(re.search(r"^BENCH-JSON (\{.*\})$", out, re.M).group(1))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
        "urls": len(paths),
    }


def warm_up(paths, threads=CONNECTIONS):
    """Ask for every path once (so that the cached run finds each in the cache)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(item):
        n, path = item
        # From readers of their own, as wrk's requests are (the API limit counts per reader).
        client = f"198.19.{n // 256 % 256}.{n % 256}"
        try:
            return fetch(path, {"X-Forwarded-For": client})[0]
        except urllib.error.HTTPError as exc:
            return exc.code

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(one, enumerate(paths)))
    return {
        "requests": len(statuses),
        "seconds": round(time.perf_counter() - started, 1),
        "non_2xx": sum(1 for s in statuses if not 200 <= s < 300),
    }


def fixed_urls(found):
    """(name, path, headers): the URLs measured one at a time."""
    editor = {"Authorization": f"Token {found['editor_token']}"}
    return [
        ("API claim list", "/api/v1/claims/", {}),
        ("editors' API claim list (token)", "/api/v1/claims/", editor),
        (f"API search q={SEARCH}", q("/api/v1/claims/", q=SEARCH), {}),
        ("digest page", f"/digests/{urllib.parse.quote(found['digest'])}/", {}),
        ("claim page", f"/claims/{found['claim']}/", {}),
        ("archive", "/digests/", {}),
        ("feed", "/feed/", {}),
    ]


def _header_line(headers):
    """The one header bench/cycle.lua sends with every request, or None."""
    assert len(headers) <= 1, headers
    return next((f"{name}: {value}" for name, value in headers.items()), None)


def cache_env(env, kind):
    env = dict(env)
    if kind == "none":
        env["NEWSROOM_CACHE"] = "none"
    elif kind == "redis":
        url = subprocess.run(
            ["bash", str(ROOT / "scripts" / "redis.sh"), "start", str(REDISDIR), str(REDIS_PORT)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout.strip()
        env["REDIS_URL"] = url
        # A prefix of its own per run: nothing cached by an earlier run is read.
        env["NEWSROOM_CACHE_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    else:
        env["NEWSROOM_CACHE_MAX_ENTRIES"] = str(4 * MIX_URLS)
    return env


def measure(engine, size):
    env, found = prepare(engine, size)
    label = {"engine": engine, "claims": found["claims"]}
    mix = mix_paths(found, MIX_URLS, size)
    searches = search_paths(found)
    rows, sets, memory = [], [], []
    loads = {"before": loadavg()}
    for mode in (CACHE, "none"):
        cached = mode != "none"
        with Server(cache_env(env, mode)) as server:
            for name, path, headers in fixed_urls(found):
                try:
                    status, size_bytes = fetch(path, headers)
                except urllib.error.HTTPError as exc:
                    log(f"{engine} {size}: {name} {path} answers {exc.code}; not measured")
                    rows.append(
                        {**label, "url": name, "path": path, "status": exc.code, "cached": cached}
                    )
                    continue
                row = {
                    **label,
                    "url": name,
                    "path": path,
                    "status": status,
                    "bytes": size_bytes,
                    "cached": cached,
                    **wrk_paths([path], header=_header_line(headers)),
                }
                if cached:
                    fetch(f"/_bench/floor/{size_bytes}/")
                    floor = wrk_paths([f"/_bench/floor/{size_bytes}/"])
                    row.update(
                        floor_rps=floor["rps"],
                        floor_p50_ms=floor["p50_ms"],
                        ratio=round(row["rps"] / floor["rps"], 3) if floor["rps"] else None,
                    )
                row["load_average"] = loadavg()[0]
                log(
                    f"{engine:8} {found['claims']:>7} {'cached' if cached else 'uncached':8} {name:22} "
                    f"{row['rps']:8.1f} rps p50 {row['p50_ms']:7.2f} ms p95 {row['p95_ms']:7.2f} ms"
                )
                rows.append(row)
            for set_name, paths in (
                (f"mix of {len(mix):,} URLs", mix),
                (f"search, {len(searches)} terms", searches),
            ):
                warm = warm_up(paths) if cached else None
                figures = wrk_paths(paths)
                item = {
                    **label,
                    "set": set_name,
                    "cached": cached,
                    **figures,
                    "warmup": warm,
                    "load_average": loadavg()[0],
                }
                log(
                    f"{engine:8} {found['claims']:>7} {'cached' if cached else 'uncached':8} {set_name:22} "
                    f"{figures['rps']:8.1f} rps p50 {figures['p50_ms']:7.2f} ms p95 {figures['p95_ms']:7.2f} ms "
                    f"non-2xx {figures['non_2xx']}"
                )
                sets.append(item)
            memory.append({**label, "cached": cached, "worker_rss_mb": server.worker_rss_mb()})
    loads["after"] = loadavg()
    return {"rows": rows, "sets": sets, "memory": memory, "load": {**label, **loads}}


def ceiling():
    """The bare-WSGI ceiling: a trivial app, the same gunicorn settings."""
    with Server(dict(os.environ), app="bench.bare_wsgi:application") as server:
        figures = wrk_paths(["/"])
        figures["worker_rss_mb"] = server.worker_rss_mb()
    log(f"bare WSGI ceiling: {figures['rps']:.0f} rps p50 {figures['p50_ms']} ms")
    return figures


def import_timing(count):
    """Import `count` generated files into a fresh SQLite database; time and peak memory."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    db = folder / "import.sqlite3"
    env = product_env(f"sqlite:///{db}")
    try:
        manage(
            env,
            "shell",
            "-c",
            f"from bench.articles import write_files; write_files({str(folder / 'files')!r}, {count})",
        )
        manage(env, "migrate", "--noinput", "-v0")
        # A wrapper whose only child is the import: its RUSAGE_CHILDREN peak is the import's.
        wrapper = (
            "import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        started = time.perf_counter()
        out = subprocess.run(
            [PY, "-c", wrapper, PY, "manage.py", "import_articles", str(folder / "files")],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        seconds = time.perf_counter() - started
        peak_kb = int(out.strip().splitlines()[-1])
        imported = (
            manage(
                env,
                "shell",
                "-c",
                "from sources.models import Article; print(Article.objects.count())",
                capture=True,
            )
            .strip()
            .splitlines()[-1]
        )
        return {
            "files": count,
            "imported": int(imported),
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem / 1024 / 1024, 1),
        "python": platform.python_version(),
        "wrk_connections": CONNECTIONS,
        "wrk_threads": WRK_THREADS,
        "seconds_per_url": SECONDS,
        "gunicorn_workers": int(os.environ.get("GUNICORN_WORKERS", "2")),
        "cache": CACHE,
    }


def _fmt(value, digits=1):
    return "" if value is None else f"{value:,.{digits}f}" if digits else f"{value:,.0f}"


def tables(results):
    out = []
    c = results["ceiling"]
    out.append(
        f"Bare-WSGI ceiling (bench/bare_wsgi.py, same gunicorn settings): {c['rps']:,.0f} req/s, "
        f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms.\n"
    )
    out.append(
        "| engine | claims | URL | cached req/s | p50 ms | p95 ms | uncached req/s | p50 ms | p95 ms "
        "| floor req/s | cached ÷ floor |"
    )
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    uncached = {(r["engine"], r["claims"], r["url"]): r for r in results["rows"] if not r["cached"]}
    for r in results["rows"]:
        if not r["cached"]:
            continue
        u = uncached.get((r["engine"], r["claims"], r["url"]), {})
        if "rps" not in r:
            out.append(
                f"| {r['engine']} | {r['claims']:,} | {r['url']} | HTTP {r['status']} | | | | | | | |"
            )
            continue
        out.append(
            f"| {r['engine']} | {r['claims']:,} | {r['url']} | {_fmt(r['rps'], 0)} | {r['p50_ms']:.1f} "
            f"| {r['p95_ms']:.1f} | {_fmt(u.get('rps'), 0)} | {_fmt(u.get('p50_ms'))} | {_fmt(u.get('p95_ms'))} "
            f"| {_fmt(r.get('floor_rps'), 0)} | {_fmt(r.get('ratio'), 2)} |"
        )
    out.append("")
    out.append(
        "| engine | claims | URLs cycled | cached req/s | p50 ms | p95 ms | uncached req/s | p50 ms | p95 ms | non-2xx |"
    )
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    unc = {(s["engine"], s["claims"], s["set"]): s for s in results["sets"] if not s["cached"]}
    for s in results["sets"]:
        if not s["cached"]:
            continue
        u = unc.get((s["engine"], s["claims"], s["set"]), {})
        out.append(
            f"| {s['engine']} | {s['claims']:,} | {s['set']} | {_fmt(s['rps'], 0)} | {s['p50_ms']:.1f} "
            f"| {s['p95_ms']:.1f} | {_fmt(u.get('rps'), 0)} | {_fmt(u.get('p50_ms'))} | {_fmt(u.get('p95_ms'))} "
            f"| {s['non_2xx'] + u.get('non_2xx', 0)} |"
        )
    out.append("")
    out.append(
        "| engine | claims | worker RSS after the cached runs (MB) | after the uncached runs (MB) "
        "| 1-min load before → after |"
    )
    out.append("|---|---:|---|---|---|")
    loads = {(x["engine"], x["claims"]): x for x in results["load"]}
    for m in results["memory"]:
        if not m["cached"]:
            continue
        u = next(
            (
                x
                for x in results["memory"]
                if not x["cached"] and x["engine"] == m["engine"] and x["claims"] == m["claims"]
            ),
            {},
        )
        load = loads.get((m["engine"], m["claims"]), {})
        out.append(
            f"| {m['engine']} | {m['claims']:,} | {', '.join(map(str, m['worker_rss_mb']))} "
            f"| {', '.join(map(str, u.get('worker_rss_mb', [])))} "
            f"| {load.get('before', ['?'])[0]} → {load.get('after', ['?'])[0]} |"
        )
    return "\n".join(out)


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_start": loadavg(),
        "rows": [],
        "sets": [],
        "memory": [],
        "load": [],
        "import": [],
    }
    # Production serves static files from the collected, hashed copies (whitenoise).
    manage(product_env(f"sqlite:///{DATA / 'static.sqlite3'}"), "collectstatic", "--noinput", "-v0")
    try:
        results["ceiling"] = ceiling()
        for engine in ENGINES:
            for size in SIZES:
                part = measure(engine, size)
                for key in ("rows", "sets", "memory"):
                    results[key].extend(part[key])
                results["load"].append(part["load"])
        if IMPORT_FILES:
            # Two counts: peak memory that does not grow with the count is what "flat" means.
            for count in sorted({max(1, IMPORT_FILES // 5), IMPORT_FILES}):
                log(f"import: {count} files")
                results["import"].append(import_timing(count))
    finally:
        if "postgres" in ENGINES:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(PGDIR)])
        if CACHE == "redis":
            subprocess.run(["bash", str(ROOT / "scripts" / "redis.sh"), "stop", str(REDISDIR)])
    results["loadavg_end"] = loadavg()
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    m = results["machine"]
    print(
        f"\nMachine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB RAM; Python {m['python']}; "
        f"gunicorn {m['gunicorn_workers']} sync workers; cache {m['cache']}; wrk -t{WRK_THREADS} "
        f"-c{CONNECTIONS}, {SECONDS} s per run, on the same machine; /proc/loadavg "
        f"{results['loadavg_start']} at the start, {results['loadavg_end']} at the end.\n"
    )
    print(tables(results))
    for item in results["import"]:
        print(
            f"\nImport of {item['files']:,} generated article files (SQLite): {item['imported']:,} "
            f"articles in {item['seconds']} s, peak memory of the import process {item['peak_rss_mb']} MB"
        )
    print(f"\nFigures: {RESULTS / 'latest.json'}")
    if os.environ.get("BENCH_ASSISTANT", "1") != "0":
        # The claim assistant at a desk's scale: its pages, and an import with and without it.
        subprocess.run([PY, str(ROOT / "bench" / "assistant.py")], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
