from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.assistant.evaluation import (
    DEFAULT_CORPUS, SEEDS_REVIEW, CorpusError, articles_by_file, evaluate, evaluate_review,
)
from sources.importer import import_paths

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


class Command(BaseCommand):
    help = ("Measure the claim assistant (matches and figure conflicts) against a hand-written "
            "corpus of the seed articles; prints precision and recall.")

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
        parser.add_argument("--limit", type=int, default=5,
                            help="How many matches per query are read (default 5).")
        parser.add_argument("--verbose-misses", action="store_true",
                            help="List missed matches and false alarms.")

    def handle(self, *args, **options):
        if not Path(options["corpus"]).is_file():
            raise CommandError(f"No corpus at {options['corpus']}.")
        if options["limit"] < 1:
            raise CommandError("--limit is at least 1.")
        if len(articles_by_file()) < 5 and SEEDS.is_dir():
            report = import_paths([SEEDS])
            self.stdout.write(f"Seeds imported: {report.summary()}")
        try:
            match_score, conflict_score = evaluate(options["corpus"], options["limit"])
        except CorpusError as error:
            raise CommandError(str(error)) from error
        scores = [("matches", match_score), ("conflicts", conflict_score)]
        if SEEDS_REVIEW.is_file():
            scores.append(("desk review claims (seeds/review.yaml, limit 10)",
                           evaluate_review(SEEDS_REVIEW, articles_by_file())))
        for name, score in scores:
            self.stdout.write(
                f"{name}: precision {score.precision:.2f} ({score.correct}/{score.reported}), "
                f"recall {score.recall:.2f} ({score.found}/{score.expected})"
                + (f", best match right {score.top_precision:.2f} ({score.top_right}/{score.queries})"
                   if score.queries else "")
            )
            if options["verbose_misses"]:
                for miss in score.misses:
                    self.stdout.write(f"  missed: {miss}")
                for alarm in score.false_alarms:
                    self.stdout.write(f"  false alarm: {alarm}")
