import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources.importer import REFUSED, import_paths, iter_files


class Command(BaseCommand):
    help = "Import article files and folders (UTF-8, GB18030 or Big5; Simplified or Traditional)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--encoding", help="Read every file in this encoding (e.g. big5).")
        parser.add_argument("--max-bytes", type=int, help="Refuse files larger than this.")

    def handle(self, *args, paths, encoding=None, max_bytes=None, **options):
        total = sum(1 for _ in iter_files(paths))
        show_bar = total > 1 and sys.stderr.isatty()
        bar = tqdm(total=total, unit="file", disable=not show_bar, file=sys.stderr)
        verbose = options["verbosity"] > 1 or total <= 50

        def on_result(result):
            bar.update(1)
            if result.status == REFUSED:
                bar.write(result.line(), file=self.stderr._out)
            elif verbose:
                bar.write(result.line(), file=self.stdout._out)

        report = import_paths(paths, encoding=encoding, max_bytes=max_bytes, on_result=on_result)
        bar.close()
        if not report.results:
            raise CommandError("No files found in: " + ", ".join(paths))
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{report.count(REFUSED)} file(s) refused", returncode=1)
