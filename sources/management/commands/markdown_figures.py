"""`manage.py markdown_figures [CORPUS_DIR]`: how often article bodies carry Markdown.

Reads the seed articles (seeds/*.txt) and every message of the shared corpus
(../shared/corpus/*.jsonl by default), each as the importer would store its body, and prints
for each set: the bodies with Markdown (sources.markdown.scan), the markup characters among all
characters, and how many bodies carry each construct.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources import corpus, markdown
from sources.corpus import read_sets, stored_body
from sources.decoding import decode, normalize
from sources.parsing import parse


def _construct(kind):
    return "heading" if kind[0] == "h" and kind[1:].isdigit() else kind


class Command(BaseCommand):
    help = "Print how many seed and corpus bodies carry Markdown, and which constructs."

    def add_arguments(self, parser):
        parser.add_argument("corpus", nargs="?", default=str(corpus.corpus_dir()))

    def handle(self, corpus, **options):
        try:
            sets = read_sets(corpus)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        seeds = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
        bodies = {"seeds": [parse(normalize(decode(p.read_bytes())[0])).body for p in seeds]}
        for name, records in sets.items():
            bodies[name] = [stored_body(r["text"]) for r in records]
        for name, group in bodies.items():
            found, constructs, markup_chars, chars = 0, Counter(), 0, 0
            for body in group:
                marks = markdown.scan(body)
                chars += len(body)
                if not marks:
                    continue
                found += 1
                markup_chars += sum(b - a for a, b in marks.hidden)
                constructs.update(
                    {_construct(kind) for _a, _b, kind, _d in marks.spans if kind != "bullet"}
                )
            share = f"{markup_chars / chars:.2%}" if chars else "-"
            self.stdout.write(
                f"{name}: {found} of {len(group)} bodies carry Markdown; "
                f"{markup_chars} markup characters of {chars} ({share})"
                + (
                    "; " + ", ".join(f"{k} {v}" for k, v in constructs.most_common())
                    if found
                    else ""
                )
            )
