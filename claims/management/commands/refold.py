"""`manage.py refold`: fold every stored search text again (and the articles' fingerprints).

Search, dedupe and matching compare texts folded by sources.text.fold; the folded forms are
stored (search_text, on PostgreSQL under the gram index, which follows the rows by itself).
When folding changes (a new OpenCC, sources/regional_terms.txt), run this so that stored texts
and queries fold alike again; a change to the glossary runs it as a background task by itself.
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand

from claims.refold import refold_all


class Command(BaseCommand):
    help = "Fold the stored search texts and article fingerprints again after folding changed."

    def handle(self, *args, **options):
        done = refold_all()
        self.stdout.write(
            f"{done['articles']} articles, {done['claims']} claims, "
            f"{done['entries']} digest entries folded again"
        )
        for pk in done["kept"]:
            self.stdout.write(
                f"article #{pk} now folds like another article; its fingerprint is kept"
            )
