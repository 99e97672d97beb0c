"""Synthetic data at scale, for benchmarks and query-count checks.

`python manage.py synth --articles N --claims-per-article K` writes N articles (sentences of the
seed articles recombined, in both scripts), K claims per article anchored by exact quotes,
verdicts proposed and approved by two different people, and published digests that hold every
claim, so that everything shows in the public pages and API.

Rows go in with bulk_create, batch by batch, one transaction each. bulk_create skips save(), so
what save() would compute (search_text, fingerprint) is computed here with the same functions,
and the digests are published by services.publish_digest, as the desk publishes them.
"""

import datetime
import random
import re
import secrets
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from claims import services
from claims.models import Claim, Digest, DigestEntry, Evidence, Verdict
from sources import text as scripts
from sources.models import Article, Source, content_fingerprint

SEEDS = Path(settings.BASE_DIR) / "seeds"
_SENTENCE_END = re.compile(r"(?<=[。！？!?；])|\n")
# Lines that are not article text: image placeholders, disclaimers, reposting notices.
_NOT_TEXT = re.compile(
    r"!\[|\[(图片|圖片|image)\]|声明|聲明|转载|轉載|版权|版權|©|copyright|^---|^\w+:\s", re.I
)
RATINGS = [("confirmed", 4), ("disputed", 3), ("rumour", 2), ("false", 1)]
SOURCE_KINDS = [kind for kind, _ in Source.Kind.choices if kind != Source.Kind.UNKNOWN]


class TextMaker:
    """Article texts made of seed sentences, in Simplified, Traditional or mixed script."""

    def __init__(self, rng, seeds=SEEDS):
        self.rng = rng
        sentences = []
        for path in sorted(Path(seeds).glob("*.txt")):
            # The seeds are UTF-8; anything unreadable in them is simply not used.
            lines = path.read_text("utf-8", errors="ignore").splitlines()
            body = "\n".join(line for line in lines if not _NOT_TEXT.search(line))
            for part in _SENTENCE_END.split(body):
                part = (part or "").strip()
                if 8 <= len(part) <= 160:
                    sentences.append(part)
        if not sentences:
            raise CommandError(f"No seed sentences found in {seeds}.")
        # Converted once here: OpenCC is the slow part of making text.
        self.by_script = {
            scripts.HANS: [scripts.to_script(s, scripts.HANS) for s in sentences],
            scripts.HANT: [scripts.to_script(s, scripts.HANT) for s in sentences],
        }
        self.count = len(sentences)

    def article(self, serial, sentences=(14, 24)):
        """(title, body, script, spans): spans are (start, end) of each sentence in the body."""
        rng = self.rng
        script = rng.choice([scripts.HANS, scripts.HANS, scripts.HANT, scripts.MIXED])
        picks = rng.sample(range(self.count), min(self.count, rng.randint(*sentences)))
        parts, spans, pos = [], [], 0
        for i, index in enumerate(picks):
            pool = script if script != scripts.MIXED else rng.choice(scripts.SCRIPTS)
            sentence = self.by_script[pool][index]
            if i and i % rng.randint(3, 5) == 0:
                parts.append("\n")
                pos += 1
            parts.append(sentence)
            spans.append((pos, pos + len(sentence)))
            pos += len(sentence)
        # A serial line keeps every synthetic article distinct (fingerprints are unique).
        parts.append(f"\n（稿件编号 {serial}）")
        body = "".join(parts)
        head = body[spans[0][0] : spans[0][1]].rstrip("。！？!?；")
        title = f"{head[:40]} · {serial}"
        return title, body, script, spans


def _role_user(username, group):
    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


class Command(BaseCommand):
    help = "Make synthetic articles, claims, approved verdicts and published digests at scale."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100)
        parser.add_argument("--claims-per-article", type=int, default=10)
        parser.add_argument("--claims-per-digest", type=int, default=50)
        parser.add_argument("--sources", type=int, default=24)
        parser.add_argument("--batch", type=int, default=500, help="articles per transaction")
        parser.add_argument("--seed", type=int, default=None, help="for reproducible data")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        n_articles, per_article = opts["articles"], opts["claims_per_article"]
        if n_articles < 0 or per_article < 0 or opts["claims_per_digest"] < 1 or opts["batch"] < 1:
            raise CommandError("Counts must be positive.")
        rng = random.Random(opts["seed"])
        maker = TextMaker(rng)
        # In serial numbers and digest slugs: a second run (even with the same seed) adds
        # distinct articles rather than colliding with the first run's fingerprints.
        token = f"{rng.getrandbits(32):08x}" if opts["seed"] is not None else secrets.token_hex(4)
        self.run_token = f"{token}{Article.objects.count():x}"
        editor = _role_user("synth-editor", services.EDITORS_GROUP)
        reviewer = _role_user("synth-reviewer", services.REVIEWERS_GROUP)
        sources = [
            Source.objects.get_or_create(
                name=f"合成来源 {i + 1:02d}",
                defaults={
                    "slug": f"synth-source-{i + 1:02d}",
                    "kind": SOURCE_KINDS[i % len(SOURCE_KINDS)],
                },
            )[0]
            for i in range(max(1, opts["sources"]))
        ]
        self.digest_serial = Digest.objects.filter(slug__startswith="synth-").count()
        progress = tqdm(
            total=n_articles,
            unit="article",
            disable=opts["quiet"],
            desc="synth",
            file=sys.stderr,
        )
        made = {"articles": 0, "claims": 0, "digests": 0}
        pending = []  # claims made but not yet in a digest: digests stay full-sized across batches
        for first in range(0, n_articles, opts["batch"]):
            count = min(opts["batch"], n_articles - first)
            with transaction.atomic():
                claims = self._batch(
                    maker, rng, first, count, per_article, sources, editor, reviewer
                )
                pending.extend(claims)
                last = first + count >= n_articles
                made["digests"] += self._publish(pending, opts["claims_per_digest"], reviewer, last)
            made["articles"] += count
            made["claims"] += len(claims)
            progress.update(count)
        progress.close()
        self.stdout.write(
            f"synth: {made['articles']} articles, {made['claims']} claims, "
            f"{made['digests']} published digests."
        )

    # --- one batch of articles with their claims, evidence and verdicts ------------------------

    def _batch(self, maker, rng, first, count, per_article, sources, editor, reviewer):
        today = datetime.date.today()
        articles, spans_of = [], []
        for i in range(count):
            serial = f"{self.run_token}-{first + i}"
            title, body, script, spans = maker.article(
                serial, (max(14, per_article + 2), max(24, per_article + 4))
            )
            articles.append(
                Article(
                    source=rng.choice(sources),
                    title=title,
                    body=body,
                    script=script,
                    published_on=today - datetime.timedelta(days=rng.randint(0, 730)),
                    filename=f"synth/{serial}.txt",
                    encoding="utf-8",
                    search_text=scripts.fold(f"{title}\n{body}"),
                    fingerprint=content_fingerprint(body),
                )
            )
            spans_of.append(spans)
        Article.objects.bulk_create(articles)

        claims, quotes = [], []
        for article, spans in zip(articles, spans_of):
            for start, end in rng.sample(spans, min(per_article, len(spans))):
                # Often a claim is a clause of the sentence, not all of it.
                if end - start > 30 and rng.random() < 0.5:
                    end = start + rng.randint(20, end - start)
                quote = article.body[start:end]
                text = scripts.to_script(quote, scripts.HANS).rstrip("。！？!?；，,")
                claims.append(Claim(text=text, search_text=scripts.fold(text), created_by=editor))
                quotes.append((article, start, end, quote))
        Claim.objects.bulk_create(claims)

        evidence = [
            Evidence(
                claim=claim,
                article=article,
                start=start,
                end=end,
                quote=quote,
                stance=Evidence.Stance.SUPPORTS,
                added_by=editor,
            )
            for claim, (article, start, end, quote) in zip(claims, quotes)
        ]
        Evidence.objects.bulk_create(evidence)

        now = timezone.now()
        verdicts = []
        for claim in claims:
            rating = rng.choices([r for r, _ in RATINGS], weights=[3, 2, 2, 1])[0]
            verdicts.append(
                Verdict(
                    claim=claim,
                    rating=rating,
                    status=Verdict.Status.APPROVED,
                    rationale=f"合成核查：{rng.randint(1, 5)}个独立来源，{rng.choice(['均有原始出处', '仅有转述', '当事人否认'])}。",
                    proposed_by=editor,
                    reviewed_by=reviewer,
                    reviewed_at=now,
                )
            )
        Verdict.objects.bulk_create(verdicts)
        return claims

    # --- published digests holding the claims --------------------------------------------------

    def _publish(self, pending, per_digest, reviewer, last):
        """Publish full digests from `pending` (and the remainder when `last`); returns how many."""
        groups = []
        while len(pending) >= per_digest or (last and pending):
            groups.append(pending[:per_digest])
            del pending[:per_digest]
        if not groups:
            return 0
        digests = []
        for _group in groups:
            self.digest_serial += 1
            n = self.digest_serial
            digests.append(
                Digest(
                    slug=f"synth-{self.run_token}-{n}",
                    title=f"合成核查摘要 第{n}期",
                    intro="由 synth 命令生成的核查摘要，用于容量与性能测试。",
                    created_by=reviewer,
                )
            )
        Digest.objects.bulk_create(digests)
        DigestEntry.objects.bulk_create(
            DigestEntry(digest=digest, claim=claim, position=position)
            for digest, group in zip(digests, groups)
            for position, claim in enumerate(group)
        )
        # Published the way the desk publishes: what readers see is what publish_digest froze.
        for digest in digests:
            services.publish_digest(digest, actor=reviewer)
        return len(digests)
