"""`manage.py script_figures [CORPUS_DIR]`: the script-handling figures on real text.

Reads the seed articles and their review (seeds/), and every text of the shared corpus
(../shared/corpus/*.jsonl by default), and prints:
- how many texts each script is detected in (Taiwan messages should be Traditional);
- characters changed when a text already in the reader's script is shown in it (target 0),
  and texts that a second conversion would change again (target 0);
- seed quotes anchored across scripts and regional phrasing (typed in Simplified with mainland
  phrases; the stored copy being the Taiwan-phrased twin; and the reverse).
"""

from collections import Counter
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources import text as scripts
from sources.corpus import corpus_dir, read_sets
from sources.decoding import decode, normalize
from sources.parsing import parse


def _changed_characters(a, b):
    import difflib

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


class Command(BaseCommand):
    help = "Print script detection, conversion and quote anchoring figures on the seeds and the shared corpus."

    def add_arguments(self, parser):
        parser.add_argument("corpus", nargs="?", default=str(corpus_dir()))

    def handle(self, corpus, **options):
        try:
            sets = read_sets(corpus)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        seeds = Path(settings.BASE_DIR) / "seeds"
        bodies = {
            p.name: parse(normalize(decode(p.read_bytes())[0])) for p in sorted(seeds.glob("*.txt"))
        }
        texts = {"seeds": [t for f in bodies.values() for t in (f.title, f.body) if t]}
        for name, records in sets.items():
            texts[name] = [r[k] for r in records for k in ("text", "report_title") if r.get(k)]

        for name, group in texts.items():
            counts = Counter(scripts.detect_script(t) for t in group)
            self.stdout.write(
                f"{name}: {len(group)} texts; detected "
                + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
        changed = Counter()
        unstable = Counter()
        for group in texts.values():
            for text in group:
                script = scripts.detect_script(text)
                for reading in scripts.READINGS:
                    shown = scripts.to_script(text, reading)
                    if (reading == "hans") == (script == "hans") and script != "mixed":
                        changed[reading] += _changed_characters(text, shown)
                    unstable[reading] += scripts.to_script(shown, reading) != shown
        self.stdout.write(
            "characters changed in text already in the reader's script: "
            + ", ".join(f"{r} {changed[r]}" for r in scripts.READINGS)
        )
        self.stdout.write(
            "texts a second conversion changes again: "
            + ", ".join(f"{r} {unstable[r]}" for r in scripts.READINGS)
        )

        review = yaml.safe_load((seeds / "review.yaml").read_text(encoding="utf-8"))
        quotes = [
            (e["file"], e["quote"])
            for c in review["claims"]
            for e in c.get("evidence", [])
            if e.get("file") in bodies and e.get("quote")
        ]
        cases = {
            "typed in Simplified (mainland phrases)": lambda b, q: (b, scripts.convert(q, "tw2sp")),
            "stored copy is the Taiwan-phrased twin": lambda b, q: (scripts.convert(b, "s2twp"), q),
            "typed in Taiwan phrasing, stored Simplified": lambda b, q: (
                scripts.convert(b, "tw2sp"),
                scripts.convert(q, "s2twp"),
            ),
        }
        for label, make in cases.items():
            tried = anchored = 0
            for filename, quote in quotes:
                body, typed = make(bodies[filename].body, quote)
                if typed in body:
                    continue  # found as typed: not a cross-script case
                tried += 1
                anchored += bool(scripts.find_folded(body, typed))
            self.stdout.write(f"seed quotes {label}: {anchored} of {tried} anchored")
