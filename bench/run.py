"""`make bench`: the product under gunicorn on loopback, driven by wrk, against its floor.

For each engine (SQLite, PostgreSQL) and size (1,000 and 100,000 claims by default) it makes
the data with `manage.py synth` (kept between runs in bench/data/ and a local PostgreSQL
cluster), serves it with production settings and two gunicorn workers, and measures the API
claim list, the API search, a digest page and a claim page for a fixed time each. Each URL is
measured beside the floor: /_bench/floor/<bytes>/ (NEWSROOM_BENCH=1 only) returns a
precomputed body of the same size through the same middleware, so the ratio says what the
page itself costs. Then it times importing 10,000 generated article files.

Prints a table and writes bench/results/latest.json. Environment knobs: BENCH_SECONDS (10),
BENCH_SIZES (1000,100000), BENCH_ENGINES (sqlite,postgres), BENCH_CONNECTIONS (4),
BENCH_IMPORT_FILES (10000; 0 skips the import timing).
"""

import json
import os
import platform
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PGDIR = DATA / "pgdata"
PGPORT = int(os.environ.get("BENCH_PGPORT", "5441"))


def _free_port():
    # A port nobody listens on: other servers may run on this machine.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000").split(",") if s]
ENGINES = [e for e in os.environ.get("BENCH_ENGINES", "sqlite,postgres").split(",") if e]
IMPORT_FILES = int(os.environ.get("BENCH_IMPORT_FILES", "10000"))
CLAIMS_PER_ARTICLE = 10
SEARCH = "裁员"


def log(message):
    print(message, file=sys.stderr, flush=True)


def product_env(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to HTTPS, cookies not marked secure.
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        NEWSROOM_BENCH="1",
        # One client address sends everything: the anonymous rate limit would refuse it.
        NEWSROOM_ANON_THROTTLE="100000000/minute",
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.PIPE if capture else None, text=True,
    )
    return result.stdout if capture else None


def database_url(engine, size):
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench-{size}.sqlite3'}"
    base = subprocess.run(
        ["bash", str(ROOT / "bench" / "pg.sh"), "start", str(PGDIR), str(PGPORT)],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.strip()
    name = f"bench_{size}"
    admin = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    exists = subprocess.run(
        [*admin, "psql", "-h", "127.0.0.1", "-p", str(PGPORT), "-U", "postgres", "-d", "postgres",
         "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [*admin, "createdb", "-h", "127.0.0.1", "-p", str(PGPORT), "-U", "postgres", "-O", "newsroom", name],
            check=True,
        )
    return base.rsplit("/", 1)[0] + "/" + name


PROBE = """
import json
from django.db import connection
from claims.models import Claim, Digest
digest = Digest.objects.published().order_by("-published_at", "-id").first()
claim = Claim.objects.filter(published_entry__isnull=False).order_by("id")[Claim.objects.count() // 2:][:1].first()
print(json.dumps({
    "claims": Claim.objects.count(),
    "digest": digest.slug if digest else None,
    "claim": claim.pk if claim else None,
    "vendor": connection.vendor,
}))
"""


def prepare(engine, size):
    """The database for one run: migrated, holding `size` synthetic claims, analysed."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url(engine, size)
    env = product_env(url)
    manage(env, "migrate", "--noinput", "-v0")
    probe = json.loads(manage(env, "shell", "-c", PROBE, capture=True).strip().splitlines()[-1])
    if probe["claims"] < size:
        articles = (size - probe["claims"] + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
        log(f"synth: {articles} articles x {CLAIMS_PER_ARTICLE} claims on {engine}")
        started = time.perf_counter()
        manage(env, "synth", "--articles", str(articles), "--claims-per-article",
               str(CLAIMS_PER_ARTICLE), "--seed", str(size))
        log(f"synth took {time.perf_counter() - started:.0f} s")
        manage(env, "shell", "-c", "from django.db import connection\n"
               "connection.cursor().execute('ANALYZE')")
        probe = json.loads(manage(env, "shell", "-c", PROBE, capture=True).strip().splitlines()[-1])
    return env, probe


class Server:
    def __init__(self, env):
        self.env = env
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "bench" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{PORT}", "newsroom.wsgi:application"],
            cwd=ROOT, env=self.env,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see its log above")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:  # refused, reset or timed out while the workers boot
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as answer:
        return answer.status, len(answer.read())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(path):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "--latency",
         f"http://127.0.0.1:{PORT}{path}"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", out)
    figures["socket_errors"] = errors.group(1) if errors else ""
    return figures


def measure(engine, size):
    env, probe = prepare(engine, size)
    urls = [
        ("API claim list", "/api/v1/claims/"),
        (f"API search q={SEARCH}", "/api/v1/claims/?q=" + urllib.parse.quote(SEARCH)),
        ("digest page", f"/digests/{urllib.parse.quote(probe['digest'])}/"),
        ("claim page", f"/claims/{probe['claim']}/"),
    ]
    rows = []
    with Server(env):
        for name, path in urls:
            try:
                status, size_bytes = fetch(path)
            except urllib.error.HTTPError as exc:
                log(f"{engine} {size}: {name} {path} answers {exc.code}; not measured")
                rows.append({"engine": engine, "claims": probe["claims"], "url": name, "path": path,
                             "status": exc.code})
                continue
            fetch(f"/_bench/floor/{size_bytes}/")
            floor = wrk(f"/_bench/floor/{size_bytes}/")
            page = wrk(path)
            row = {
                "engine": engine, "claims": probe["claims"], "url": name, "path": path,
                "status": status, "bytes": size_bytes, **page,
                "floor_rps": floor["rps"], "floor_p50_ms": floor["p50_ms"],
                "floor_p99_ms": floor["p99_ms"],
                "ratio": round(page["rps"] / floor["rps"], 3) if floor["rps"] else None,
            }
            row["load_average"] = round(os.getloadavg()[0], 2)
            log(f"{engine:8} {probe['claims']:>7} {name:20} {page['rps']:8.1f} rps "
                f"p50 {page['p50_ms']:7.2f} ms  floor {floor['rps']:8.1f} rps  ratio {row['ratio']}")
            rows.append(row)
    return rows


def import_timing(count):
    """Import `count` generated files into a fresh SQLite database; time and peak memory."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    db = folder / "import.sqlite3"
    env = product_env(f"sqlite:///{db}")
    try:
        manage(env, "shell", "-c", f"from bench.articles import write_files; write_files({str(folder / 'files')!r}, {count})")
        manage(env, "migrate", "--noinput", "-v0")
        # A wrapper whose only child is the import: its RUSAGE_CHILDREN peak is the import's.
        wrapper = ("import resource, subprocess, sys\n"
                   "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        started = time.perf_counter()
        out = subprocess.run([PY, "-c", wrapper, PY, "manage.py", "import_articles", str(folder / "files")],
                             cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
        seconds = time.perf_counter() - started
        peak_kb = int(out.strip().splitlines()[-1])
        imported = manage(env, "shell", "-c", "from sources.models import Article; print(Article.objects.count())",
                          capture=True).strip().splitlines()[-1]
        return {"files": count, "imported": int(imported), "seconds": round(seconds, 1),
                "peak_rss_mb": round(peak_kb / 1024, 1)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "wrk_connections": CONNECTIONS,
            "seconds_per_url": SECONDS, "gunicorn_workers": 2}


def table(rows):
    lines = [
        "| engine | claims | URL | req/s | p50 ms | p99 ms | floor req/s | ratio to floor |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "rps" not in r:
            lines.append(f"| {r['engine']} | {r['claims']:,} | {r['url']} | HTTP {r['status']} | | | | |")
            continue
        lines.append(
            f"| {r['engine']} | {r['claims']:,} | {r['url']} | {r['rps']:.0f} | {r['p50_ms']:.1f} "
            f"| {r['p99_ms']:.1f} | {r['floor_rps']:.0f} | {r['ratio']:.2f} |"
        )
    return "\n".join(lines)


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "rows": [], "import": []}
    # Production serves static files from the collected, hashed copies (whitenoise).
    manage(product_env(f"sqlite:///{DATA / 'static.sqlite3'}"), "collectstatic", "--noinput", "-v0")
    try:
        for engine in ENGINES:
            for size in SIZES:
                results["rows"].extend(measure(engine, size))
        if IMPORT_FILES:
            # Two counts: peak memory that does not grow with the count is what "flat" means.
            for count in sorted({max(1, IMPORT_FILES // 5), IMPORT_FILES}):
                log(f"import: {count} files")
                results["import"].append(import_timing(count))
    finally:
        if "postgres" in ENGINES:
            subprocess.run(["bash", str(ROOT / "bench" / "pg.sh"), "stop", str(PGDIR)])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    m = results["machine"]
    loads = [r["load_average"] for r in results["rows"] if "load_average" in r]
    if loads:
        # Other work on the machine takes cores from both server and floor: read ratios, and
        # read absolute figures with this in mind.
        m["load_average_range"] = [min(loads), max(loads)]
    print(f"\nMachine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB RAM; Python {m['python']}; "
          f"gunicorn 2 sync workers; wrk -t2 -c{CONNECTIONS}, {SECONDS} s per URL, on one machine; "
          f"1-min load average during the runs {m.get('load_average_range')}.\n")
    print(table(results["rows"]))
    for item in results["import"]:
        print(f"\nImport of {item['files']:,} generated article files (SQLite): {item['imported']:,} "
              f"articles in {item['seconds']} s, peak memory of the import process {item['peak_rss_mb']} MB")
    print(f"\nFigures: {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
