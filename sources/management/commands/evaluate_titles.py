from django.core.management.base import BaseCommand, CommandError

from sources.title_evaluation import corpus_dir, evaluate_titles, report


class Command(BaseCommand):
    help = (
        "Measure the importer's titles and outlet credits on real posts: the hand-checked gold "
        "(sources/data/titles_gold.jsonl) against the shared corpus (../shared/corpus/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="The corpus folder (default: ../shared/corpus).")
        parser.add_argument("--misses", action="store_true", help="List every text that misses.")

    def handle(self, *args, corpus=None, misses=False, **options):
        try:
            figures, results = evaluate_titles(corpus or corpus_dir())
        except FileNotFoundError as exc:
            raise CommandError(f"The corpus is not there: {exc.filename}") from None
        for line in report(figures):
            self.stdout.write(line)
        if misses:
            for r in results:
                if not r.title_ok or r.credit_wrong or (r.gold["outlets"] and not r.credit_found):
                    self.stdout.write(
                        f"{r.corpus} {r.id}: title “{r.title}” ({r.title_verdict}; gold “{r.gold['title']}”), "
                        f"outlet {r.outlet or '—'} (gold {', '.join(r.gold['outlets']) or '—'})"
                    )
