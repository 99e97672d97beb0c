import codecs
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources.importer import REFUSED, import_paths, iter_files

# Above this many files, only refusals are listed (with --verbosity 2, every file).
LIST_EVERY_FILE_UP_TO = 50


class Command(BaseCommand):
    help = (
        "Import article files and folders (UTF-8, GB18030/GBK or Big5; Simplified, Traditional "
        "or mixed script). A file that cannot be imported is named with the reason; the others "
        "still import. Importing the same article again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders.")
        parser.add_argument(
            "--encoding", help="Read every file in this encoding (e.g. big5, gb18030)."
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            help="Refuse files larger than this (default: IMPORT_MAX_BYTES, 5 MB).",
        )

    def handle(self, *args, paths, encoding=None, max_bytes=None, **options):
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise CommandError(f"Unknown encoding {encoding!r}.") from None
        if max_bytes is not None and max_bytes <= 0:
            raise CommandError("--max-bytes must be a positive number of bytes.")
        total = sum(1 for _ in iter_files(paths))
        if total == 0:
            raise CommandError("No files found in: " + ", ".join(paths))
        verbose = options["verbosity"] > 1 or total <= LIST_EVERY_FILE_UP_TO
        bar = tqdm(
            total=total,
            unit="file",
            file=sys.stderr,
            disable=not (total > 1 and sys.stderr.isatty() and options["verbosity"] > 0),
        )

        def on_result(result):
            bar.update(1)
            if result.status == REFUSED:
                bar.write(result.line(), file=self.stderr._out)
            elif verbose and options["verbosity"] > 0:
                bar.write(result.line(), file=self.stdout._out)

        try:
            report = import_paths(
                paths,
                encoding=encoding,
                max_bytes=max_bytes,
                on_result=on_result,
                keep_results=False,
            )
        finally:
            bar.close()
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{report.count(REFUSED)} file(s) refused", returncode=1)
