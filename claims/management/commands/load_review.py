from django.core.management.base import BaseCommand, CommandError

from claims.review_file import ReviewFileError, load_review


class Command(BaseCommand):
    help = "Load an editorial review (claims, evidence, verdicts, digests) from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the review file, e.g. seeds/review.yaml")

    def handle(self, *args, path, **options):
        try:
            report = load_review(path)
        except ReviewFileError as exc:
            if len(exc.errors) > 1:
                for line in exc.errors:
                    self.stderr.write(f"  {line}")
            raise CommandError(f"{path}: nothing was loaded. {exc}") from None
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(f"{path}: {report.summary()}")
