from django.core.management.base import BaseCommand

from sources.importer import name_stored_articles


class Command(BaseCommand):
    help = (
        "Give articles stored without a title the one their text gives (a 【headline】, a "
        "#topic#, or one made from the lead), and articles of the unknown source the outlet "
        "their text credits, by the importer's rules. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        def said(article, changed):
            if options["verbosity"] > 1 or dry_run:
                parts = []
                if "title" in changed:
                    parts.append(f"title “{article.title}”")
                if "source" in changed:
                    parts.append(f"source {article.source.name}")
                self.stdout.write(f"#{article.pk} {article.filename}: " + ", ".join(parts))

        titled, credited = name_stored_articles(dry_run=dry_run, on_change=said)
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"{titled} articles {would}titled, {credited} {would}credited to their source."
        )
