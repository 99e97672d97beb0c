from django.core.management.base import BaseCommand, CommandError

from claims.assistant.evaluation import CorpusError, corpus_dir, evaluate


class Command(BaseCommand):
    help = (
        "Measure the claim assistant on the real texts in ../shared/corpus/ (Taiwan FactCheck "
        "Center rumour messages, Weibo posts): same-report matching recall@5 and precision@5 "
        "in the original scripts and across scripts, known-claim recall and precision (also on "
        "one story: the seed articles and their review), the "
        'recall and precision of "seen in several sources", the '
        "figure parser's accuracy, and the conflicts found. Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus", default=None, help=f"The corpus folder (default: {corpus_dir()})."
        )
        parser.add_argument(
            "--no-weibo",
            action="store_true",
            help="Leave the Weibo posts out (faster; fewer distractors).",
        )
        parser.add_argument(
            "--verbose-misses",
            action="store_true",
            help="List missed matches and the conflicts found.",
        )

    def handle(self, *args, **options):
        try:
            results = evaluate(options["corpus"], weibo=not options["no_weibo"])
        except CorpusError as error:
            raise CommandError(str(error)) from error
        out = self.stdout.write
        out(
            f"corpus: {results['docs']} texts, {results['sentences']} sentences, "
            f"{results['reports']} reports with several messages"
        )
        out(results["matching"].line("same-report matching @5 (original scripts)"))
        out(
            results["matching_converted"].line(
                "same-report matching @5 (claim side converted to the other script)"
            )
        )
        out(results["known"].line("known claims on arrival (original scripts)"))
        out(
            results["known_converted"].line(
                "known claims on arrival (arriving text converted to the other script)"
            )
        )
        out(
            results["known_one_story"].line(
                "known claims on one story (the seed articles and the desk's review of them)"
            )
        )
        out(results["several"].line('"seen in several sources" (the queue\'s list)'))
        out(results["several_one_story"].line('"seen in several sources" on one story'))
        figures = results["figures"]
        out(
            f"figure accuracy (the parser's gold file, {figures['sentences']} sentences): "
            f"F1 {figures['accuracy']:.3f}, precision {figures['precision']:.3f}, "
            f"recall {figures['recall']:.3f}, sentences all right {figures['sentence_accuracy']:.3f}"
        )
        c = results["conflicts"]
        same = len(c["same_rumour"])
        tfc = len(c["tfc"])
        out(
            f"conflicts: {len(c['conflicts'])} found among {c['mentions']} figures; among TFC "
            f"messages {tfc}, of which {same} within one report "
            f"(precision {same / tfc if tfc else 0:.2f}); 钟南山 84 / 85 岁: "
            f"{'found' if c['age_case'] else 'NOT found'}"
        )
        judged = len(c["judged"])
        out(
            f"conflicts judged by hand: {judged} of {len(c['conflicts'])} found, "
            f"{c['judged_real']} real (precision {c['judged_real'] / judged if judged else 0:.2f}); "
            f"{len(c['unjudged'])} not yet judged"
        )
        seconds = ", ".join(f"{k} {v:.1f} s" for k, v in results["seconds"].items())
        out(f"time: {seconds}")
        if options["verbose_misses"]:
            for key in ("matching", "matching_converted", "known", "known_one_story", "several"):
                for miss in results[key].misses:
                    out(f"  {key} missed: {miss}")
            verdicts = {id(conflict): entry for conflict, entry in c["judged"]}
            for conflict in c["conflicts"]:
                entry = verdicts.get(id(conflict))
                verdict = "not judged" if entry is None else ("real" if entry["real"] else "false")
                out(
                    f"  conflict ({verdict}) {conflict['subject']}: "
                    + " / ".join(
                        f"{f['text']}@{f['article'].filename}" for f in conflict["figures"]
                    )
                )
