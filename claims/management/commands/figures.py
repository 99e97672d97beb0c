import json
import sys

from django.core.management.base import BaseCommand, CommandError

from claims.assistant.figures import parse_figures
from claims.assistant.figures_eval import GOLD, evaluate_figures

MAX_INPUT = 8 * 1024 * 1024  # characters read from standard input


class Command(BaseCommand):
    help = (
        "Read the figures in a Chinese text (money, head counts, ages, shares, dates, "
        "durations…): a table, or JSON with --json. TEXT '-' reads standard input. "
        "--evaluate measures the parser on the hand-annotated gold file."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", help="The text, or - for standard input.")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print [{"text", "start", "end", "value", "unit", '
            '"qualifier"}] (+ "high" for ranges, "iso" for dates).',
        )
        parser.add_argument(
            "--script",
            choices=("hans", "hant", "mixed"),
            help="The text's script, for a bare 元 (default: detected).",
        )
        parser.add_argument(
            "--evaluate",
            nargs="?",
            const=str(GOLD),
            metavar="GOLD",
            help=f"Measure the parser on a gold file (default {GOLD}).",
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="With --evaluate: list the figures missed and misread.",
        )

    def handle(self, *args, **options):
        if options["evaluate"]:
            return self.evaluate(options)
        text = options["text"]
        if text is None:
            raise CommandError("Give a TEXT, - for standard input, or --evaluate.")
        if text == "-":
            text = sys.stdin.read(MAX_INPUT + 1)
            if len(text) > MAX_INPUT:
                raise CommandError(f"Standard input is over {MAX_INPUT} characters.")
        figures = parse_figures(text, options["script"])
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in figures], ensure_ascii=False))
            return
        if not figures:
            self.stdout.write("No figures.")
            return
        rows = [("text", "start", "end", "value", "unit", "qualifier")]
        for figure in figures:
            value = figure.as_dict()["value"]
            if figure.high is not None:
                value = f"{value} – {figure.as_dict()['high']}"
            if figure.iso:
                value = f"{value} ({figure.iso})"
            rows.append(
                (
                    figure.text,
                    str(figure.start),
                    str(figure.end),
                    str(value),
                    figure.unit or "-",
                    figure.qualifier or "-",
                )
            )
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)
                ).rstrip()
            )

    def evaluate(self, options):
        try:
            score = evaluate_figures(options["evaluate"])
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the gold file: {error}") from error
        self.stdout.write(
            f"figures: accuracy (F1) {score['accuracy']:.4f}, precision {score['precision']:.4f} "
            f"({score['right']}/{score['found']}), recall {score['recall']:.4f} "
            f"({score['right']}/{score['expected']})\n"
            f"sentences all right: {score['sentence_accuracy']:.4f} of {score['sentences']}"
        )
        for name, counts in score["by_corpus"].items():
            self.stdout.write(f"  {name}: {counts['right']}/{counts['sentences']} sentences")
        for unit, counts in score["by_unit"].items():
            self.stdout.write(f"  {unit}: {counts['right']}/{counts['expected']} figures")
        if options["misses"]:
            for miss in score["misses"]:
                self.stdout.write(f"missed {_short(miss['expected'])} in {miss['sentence']}")
            for alarm in score["false_alarms"]:
                self.stdout.write(f"misread {_short(alarm['found'])} in {alarm['sentence']}")


def _short(figure):
    high = f"–{figure['high']}" if "high" in figure else ""
    return (
        f"{figure['text']} = {figure['value']}{high} {figure['unit'] or '-'} "
        f"{figure['qualifier'] or ''}"
    ).rstrip()


def _width(cell):
    """Columns a cell takes in a terminal: CJK characters take two."""
    return sum(2 if "\u2e80" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef" else 1 for c in cell)
