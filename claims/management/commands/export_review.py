from django.core.management.base import BaseCommand, CommandError

from claims.review_export import export_review


class Command(BaseCommand):
    help = "Write the review in the database (claims, evidence, verdicts, digests) to a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write, e.g. review.yaml")

    def handle(self, *args, path, **options):
        try:
            data = export_review(path)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be written ({exc.strerror}).") from None
        self.stdout.write(
            f"{path}: {len(data['claims'])} claims and {len(data['digests'])} digests written."
        )
