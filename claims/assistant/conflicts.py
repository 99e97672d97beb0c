"""Figure conflicts for any story: two sentences that say the same thing about a quantity of one
kind (head counts, ages, money in one currency, percentages, dates, durations) and give
different values.

Each figure is read with the words of its clause (segmented, script-folded, glossary applied).
Two figures of one kind are the same quantity when their clauses share much of their weight
(idf-weighted Dice, idf from the desk's articles) and at least two words; two ages when, and
only when, one name stands beside both and one more word is shared (84岁的钟南山院士 and
85岁的钟南山院士).
Figures so linked form a group (union-find, kept in the index and extended as articles come);
a group in which two linked figures of two articles give values further apart than
quantities.TOLERANCE is a conflict. Its name is made of the words the clauses share around the
figure, not taken from a list.

What a desk reads every day is no disagreement, and is left out: a date that stamps a report
(TIME_OF_DAY, AS_OF), figures of reports stamped with other days (their sentence's own dates,
or else the article's first stamp: 尚有2例 on 8月9日 and 尚有13例 on 8月14日), head counts of
different things (`counted`), two sentences whose other figures are different numbers (two
reports), two values that one of the articles gives both of (it counts two things, the other
names one), a series (`_a_series`), and ages without the same name beside them (NAMED_KINDS).
Each rule has a test in tests/test_assistant.py; what they are worth on real texts is in
docs/assistant.md.
"""

import functools
from collections import defaultdict

from claims.assistant import figure_words
from claims.assistant.index import lock, settle
from claims.assistant.quantities import kind_name, kind_of, same_value, states_value

# How much of the two clauses' weight they must share (idf-weighted Dice).
LINK_OVERLAP = 0.55
# A word's weight falls with its distance (in words) from the figure: 1 / (1 + PROXIMITY * d).
PROXIMITY = 0.25
# Figures whose clauses share less are still one quantity when their sentences say the same
# (the clauses share half of LINK_OVERLAP, the sentences this much).
SENTENCE_LIKENESS = 0.45
# A sentence with more figures of one kind than this is a list (districts and their days
# without a case): none of them is linked.
ENUMERATION = 2
# Dates are in every report: two dates are one quantity only in sentences this alike.
DATE_LIKENESS = 0.6
# Kinds whose figures belong to one person or thing: two are one quantity when, and only when,
# the same name stands next to both (84岁的钟南山, 钟南山院士85岁; not 年仅39岁 and 年仅37岁).
NAMED_KINDS = {"age"}
# Each (kind, word) remembers this many recent figures: enough to find a group, bounded when
# the same sentence comes back in thousands of articles.
POSTING_CAP = 200
# Sentences whose weighted words are kept while rows are read, at most (memory stays bounded
# when a large desk is read for the first time).
SENTENCES_KEPT = 20_000
# A conflict lists at most this many figures (different values and articles first).
MAX_FIGURES_SHOWN = 12
# A date is a report's time stamp, not what the report says, when a clock time or a part of
# the day follows it (7月4日0—24时, 6月18日上午, 7月25日晚6时) or when "as of" or a time zone
# comes right before it (截至7月7日, 当地时间4月2日, 美国东部时间…): daily reports differ in it.
# (Words of the figure's clause, script-folded and segmented: 時/點 fold to 时/点.)
TIME_OF_DAY = {"时", "点", "分", "上午", "下午", "中午", "午", "晚", "晚上", "晚间", "早", "早上"}
TIME_OF_DAY |= {"早晨", "清晨", "凌晨", "傍晚", "夜", "夜间", "深夜", "午后"}
AS_OF = {"截至", "截止", "时间"}
# Counting words that count people, or cases of people (85人, 7名, 706例): one sort of thing.
# Any other counting word names what it counts (3次 tests, 68张 beds, 5万只 masks); 个 counts
# anything.
PERSONS = frozenset(figure_words.PEOPLE) - {"人次"} | {"例", "病例"}
COUNTING_WORDS = set(figure_words.PEOPLE) | figure_words.COUNTERS | set(figure_words.COUNT_WORDS)
COUNTING_WORD_LENGTHS = sorted({len(word) for word in COUNTING_WORDS}, reverse=True)


class Mentions:
    """The figures of the index's sentences, linked into groups."""

    def __init__(self):
        self.upto = 0  # sentence rows read
        self.row = []
        self.figure = []
        self.kind = []
        self.words = []
        self.weights = []
        self.nearness = []
        self.names = []
        self.dates = []
        # Each article's report stamp, its first date stamping a report (截至8月9日24时,
        # 8月9日0时至24时): {article: (its sentence row, [the date])}, the day the article's
        # figures are of where their own sentence names none.
        self.stamps = {}
        self.counted = []  # what each head count counts (`counted`)
        self.parent = []
        self.name = {}
        self.postings = defaultdict(list)
        self.disagreements = set()
        self.by_row = defaultdict(list)
        # The groups, and each group's figures shown and name, as of (rows read, the index's
        # generation): pages ask for them on every request, and they change only when
        # sentences are read or articles forgotten.
        self.cache = None
        self.cache_key = None
        self.shown = {}
        self.subjects = {}
        self.sentence_weights = None  # while rows are read (extend)
        self.settled_size = 0  # its size when it was last frozen (index.settle)

    def root(self, m):
        parent = self.parent
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    def sentence_likeness(self, index, a, b):
        """idf-weighted Dice of two sentences' words: the same claim, in other words or not."""
        mine, mine_total = self._weights(index, a)
        theirs, their_total = self._weights(index, b)
        if not mine or not theirs:
            return 0.0
        if len(mine) > len(theirs):
            mine, theirs = theirs, mine
        shared = sum(weight for word, weight in mine.items() if word in theirs)
        return 2 * shared / (mine_total + their_total)

    def _weights(self, index, row):
        """({word: its idf}, their sum) of a sentence's distinct words."""
        kept = self.sentence_weights
        found = kept.get(row) if kept is not None else None
        if found is None:
            weight = index.sentence_idf
            words = {word: weight(word) for word in index.s_words[row]}
            found = (words, sum(words.values()))
            if kept is not None:
                if len(kept) >= SENTENCES_KEPT:
                    kept.clear()
                kept[row] = found
        return found

    def extend(self, index):
        rows = range(self.upto, index.n_sentences)
        # Each sentence's words and their weights, for the sentences compared while these
        # rows are read (the idf does not change meanwhile): one is compared with many.
        self.sentence_weights = {}
        try:
            for row in rows:
                for figure in index.s_figures.get(row, ()):
                    if figure[4] == "date" and len(figure) >= 9:
                        left, _, right = figure[7].partition("|")
                        article = index.s_article[row]
                        kept = self.stamps.get(article)
                        # (An article read again has new rows; its old ones are dead.)
                        if _time_stamp(left, right) and (
                            kept is None or not index.s_alive[kept[0]]
                        ):
                            self.stamps[article] = (row, [figure])
            for row in rows:
                for figure in index.s_figures.get(row, ()):
                    self._add(index, row, figure)
        finally:
            self.sentence_weights = None
        if len(rows):
            self.cache = None
        self.upto = index.n_sentences

    def _add(self, index, row, figure):
        kind = kind_of(figure[4])
        if kind is None or len(figure) < 9:
            return
        sentence_figures = index.s_figures.get(row, ())
        if sum(1 for f in sentence_figures if kind_of(f[4]) == kind) > ENUMERATION:
            return  # a list of figures (a table in prose) states no one quantity
        dates = [f for f in sentence_figures if f[4] == "date" and f is not figure]
        left, _, right = figure[7].partition("|")
        if kind == "date" and (len(left.split()) < 2 or _time_stamp(left, right)):
            return  # a date heading its clause (4月18日下午) or stamping a report says when
        from claims.assistant import glossary

        left, names = glossary.apply(tuple(left.split()), frozenset(figure[8].split()))
        right, names = glossary.apply(tuple(right.split()), names)
        # Words nearer the figure say more about what it measures.
        nearness = {}
        for distance, word in enumerate(reversed(left)):
            nearness.setdefault(word, 1.0 / (1.0 + PROXIMITY * distance))
        for distance, word in enumerate(right):
            nearness[word] = max(nearness.get(word, 0.0), 1.0 / (1.0 + PROXIMITY * distance))
        words = tuple(dict.fromkeys(w for w in left + right if not w[0].isdigit()))
        m = len(self.row)
        self.row.append(row)
        self.figure.append(figure)
        self.kind.append(kind)
        self.words.append(words)
        self.weights.append(None)
        self.nearness.append(nearness)
        self.names.append(names)
        self.dates.append(dates)
        counts = counted(figure) if kind == "people" else None
        self.counted.append(counts)
        self.parent.append(m)
        self.by_row[row].append(m)
        if not words:
            return
        weight = {w: index.sentence_idf(w) * nearness[w] for w in words}
        self.weights[m] = weight
        mine = sum(weight.values()) or 1.0
        shared = defaultdict(list)
        for word in words:
            for other in self.postings.get((kind, word), ()):
                shared[other].append(word)
        for other, common in shared.items():
            if len(common) < 2:
                continue  # one shared word links nothing (every test below asks for two)
            disagree = None
            if self.root(other) == self.root(m):
                disagree = self.stated_apart(index, other, m)
                if not disagree:
                    continue  # linked already, and nothing to tell of the two
            if kind == "people" and not _same_thing_counted(counts, self.counted[other]):
                continue  # 80人 and 3次, 68张 and 1000张: different things counted
            if (
                names
                and self.names[other]
                and len(names & self.names[other]) * 2 < len(names | self.names[other])
            ):
                continue  # mostly different people, places or bodies: different events
            if (
                dates
                and self.dates[other]
                and not any(same_value(a, b) for a in dates for b in self.dates[other])
            ):
                continue  # the same quantity on different days is no disagreement
            their_weight = self.weights[other]
            theirs = sum(their_weight.values()) or 1.0
            overlap = sum(min(weight[w], their_weight[w]) for w in common) * 2 / (mine + theirs)
            if kind in NAMED_KINDS:
                if not any(
                    w in names and nearness[w] >= 0.5 and self.nearness[other].get(w, 0) >= 0.5
                    for w in common
                ):
                    continue  # an age is someone's: the same name stands next to it in both
            elif overlap >= LINK_OVERLAP:
                pass
            elif not (
                overlap >= LINK_OVERLAP / 2
                and self.sentence_likeness(index, row, self.row[other]) >= SENTENCE_LIKENESS
            ):
                continue
            if (
                kind == "date"
                and self.sentence_likeness(index, row, self.row[other]) < DATE_LIKENESS
            ):
                continue  # dates are everywhere: two of them must come in sentences alike
            if _other_figures_differ(index, row, self.row[other], (figure, self.figure[other])):
                continue  # two reports (of two days, two places): other counts, other dates
            a, b = self.root(other), self.root(m)
            self.parent[b] = a
            if disagree is None:
                disagree = self.stated_apart(index, other, m)
            if disagree and not self._reports_of_other_days(index, other, m):
                # A direct disagreement: these two sentences say the same and differ. (A group
                # holds figures linked through others too, but only direct pairs make a
                # conflict: a pair is told even when the two were linked already.)
                self.disagreements.add((other, m))
            if a not in self.name:
                # Names first (whose age, whose money), then the weightiest shared words, in
                # the order the clause says them.
                ordered = sorted(common, key=lambda w: (w not in names, -weight[w]))[:4]
                ordered.sort(key=words.index)
                self.name[a] = " ".join(ordered)
        for word in words:
            posting = self.postings[(kind, word)]
            posting.append(m)
            if len(posting) > POSTING_CAP:
                del posting[: len(posting) - POSTING_CAP]

    def stated_apart(self, index, a, b):
        """Mentions a and b, of two articles, state different values."""
        fa, fb = self.figure[a], self.figure[b]
        return (
            index.s_article[self.row[a]] != index.s_article[self.row[b]]
            and states_value(fa)
            and states_value(fb)
            and not same_value(fa, fb)
        )

    def _reports_of_other_days(self, index, a, b):
        """Mentions a and b are of other days: each sentence's own dates, or where it names
        none its article's report stamp (截至8月9日24时, 8月9日0时至24时), and none the same.
        尚有2例 and 尚有13例 in two daily reports are two days' counts, not a disagreement."""
        mine = self.dates[a] or self._stamp(index, a)
        theirs = self.dates[b] or self._stamp(index, b)
        return bool(mine and theirs) and not any(same_value(x, y) for x in mine for y in theirs)

    def _stamp(self, index, m):
        kept = self.stamps.get(index.s_article[self.row[m]])
        return kept[1] if kept else None

    def _said_by_both(self, index, said, a, b):
        """The article of one of the two mentions gives the other's value too, of the same
        quantity (`said`: {article: [its figures in the group]}): that article counts two
        quantities (a total and a share, two teams), of which the other names one; no
        disagreement."""
        figure_a, figure_b = self.figure[a], self.figure[b]
        return any(same_value(f, figure_b) for f in said[index.s_article[self.row[a]]]) or any(
            same_value(f, figure_a) for f in said[index.s_article[self.row[b]]]
        )

    def groups(self, index):
        """{root: [mention, ...]} of groups whose articles disagree."""
        key = (self.upto, index.generation)
        if self.cache is not None and self.cache_key == key:
            return self.cache
        members = defaultdict(list)
        alive = index.s_alive
        for m, row in enumerate(self.row):
            if alive[row]:
                members[self.root(m)].append(m)
        disagreeing = defaultdict(set)
        said = {}  # {root: {article: [its figures in the group]}}, of groups with a pair
        for a, b in self.disagreements:
            if alive[self.row[a]] and alive[self.row[b]]:
                root = self.root(a)
                if root not in said:
                    said[root] = defaultdict(list)
                    for m in members[root]:
                        said[root][index.s_article[self.row[m]]].append(self.figure[m])
                if not self._said_by_both(index, said[root], a, b):
                    disagreeing[root].update((a, b))
        found = {}
        for root, pair_members in disagreeing.items():
            if _a_series(self, index, members[root]):
                continue
            # The figures in direct disagreement first, then the rest of the group.
            found[root] = sorted(pair_members) + [m for m in members[root] if m not in pair_members]
        self.cache, self.cache_key, self.shown, self.subjects = found, key, {}, {}
        return found


def _a_series(mentions, index, group):
    """Three articles or more, each with a value no other article gives (16,947 people under
    observation, 9,121, 8,809…): a quantity reported as it changes, or several quantities, not
    sources that disagree about one."""
    values = []  # [(a value, the article that gave it first)]
    articles = set()
    for m in group:
        figure = mentions.figure[m]
        if not states_value(figure):
            continue
        article = index.s_article[mentions.row[m]]
        articles.add(article)
        for value, said_by in values:
            if same_value(value, figure):
                if said_by != article:
                    return False  # two articles give one value: sources that agree or not
                break
        else:
            values.append((figure, article))
    return len(articles) >= 3


def _time_stamp(left, right):
    """The date's clause words before and after it show a report's time stamp."""
    before, after = left.split(), right.split()
    return bool(before and before[-1] in AS_OF or TIME_OF_DAY.intersection(after[:2]))


def counted(figure):
    """What a head count counts: "persons", the counting word (次, 张, 只…), or None (个, or no
    counting word)."""
    text = figure[2]
    for length in COUNTING_WORD_LENGTHS:
        word = text[-length:]
        if word in COUNTING_WORDS:
            if word == "个":
                return None
            return "persons" if word in PERSONS else word
    return None


def _same_thing_counted(x, y):
    """Two head counts of what `counted` says may count one thing."""
    return x is None or y is None or x == y


def _other_figures_differ(index, a, b, compared=()):
    """Both sentences give other figures (not dates, not the figures compared), and most of
    them are not the same number in both: two reports (of two days, two places). The same
    number is the same unit, value and qualifier: 923 cases and 931 are two numbers, "more
    than 14万" and 141,426 too."""
    mine = _other_figures(index, a, compared)
    theirs = _other_figures(index, b, compared)
    if not mine or not theirs:
        return False
    if len(mine) > len(theirs):
        mine, theirs = theirs, mine
    said = {(f[4], f[3], f[5]) for f in theirs}
    shared = sum(1 for f in mine if (f[4], f[3], f[5]) in said)
    return shared * 2 < len(mine)


def _other_figures(index, row, compared):
    return [
        f for f in index.s_figures.get(row, ()) if f[4] not in ("date", "") and f not in compared
    ]


def _disagree(mentions, index, group):
    """Two figures of the group, of one kind, state different values in two articles."""
    return any(
        mentions.kind[a] == mentions.kind[b] and mentions.stated_apart(index, a, b)
        for i, a in enumerate(group)
        for b in group[i + 1 :]
    )


def _holding_the_index_lock(function):
    """`function` reads the figures and their groups (growing lists, caches) with the index's
    lock held: a threaded server's requests take turns."""

    @functools.wraps(function)
    def locked(*args, **kwargs):
        with lock():
            return function(*args, **kwargs)

    return locked


def mentions_of(index):
    """The index's figures, read up to its last sentence, with the index's lock held: two
    requests of a threaded server (`make run`) reading new sentences at once added the same
    figures twice, one under the other's feet (an IndexError, a 500 on the assistant's queue).
    A caller that goes on reading the figures and their groups holds the lock as well."""
    with lock():
        if index.mentions is None:
            index.mentions = Mentions()
        index.mentions.extend(index)
        # Built after the index was frozen, and as long-lived: frozen in turn once large (at
        # 100,000 claims, a full collection walked its 100,000 lists and sets in 124 ms, in
        # one request of the queue in six).
        settle(index.mentions, len(index.mentions.row))
        return index.mentions


def subject(mentions, index, root, group):
    """The conflict's name: the words most of its figures' clauses share (names first), in the
    order the first clause says them, and the kind of quantity."""
    counts = {}
    for m in group:
        for word in mentions.weights[m] or ():
            counts[word] = counts.get(word, 0) + 1
    shared = [w for w, n in counts.items() if n * 2 >= len(group) and n > 1] or mentions.name.get(
        root, ""
    ).split()
    names = set()
    for m in group:
        names.update(mentions.figure[m][8].split() if len(mentions.figure[m]) > 8 else ())
    best = sorted(
        shared, key=lambda w: (w not in names, -counts.get(w, 0) * index.sentence_idf(w))
    )[:4]
    order = {w: i for i, w in enumerate(w for m in group for w in mentions.words[m])}
    best.sort(key=lambda w: order.get(w, 0))
    return f"{' '.join(best)} · {kind_name(mentions.kind[root])}".strip(" ·")


def _subject(mentions, index, root, group):
    if root not in mentions.subjects:
        mentions.subjects[root] = subject(mentions, index, root, group)
    return mentions.subjects[root]


def _shown(mentions, index, group):
    """The figures to show: one per (article, value), different values first, sourced first."""
    seen, first, rest = set(), [], []
    values_seen = []
    for m in group:
        row = mentions.row[m]
        figure = mentions.figure[m]
        key = (index.s_article[row], round(figure[3], 4), figure[4])
        if key in seen:
            continue
        seen.add(key)
        new_value = not any(same_value(figure, v) for v in values_seen)
        if new_value:
            values_seen.append(figure)
        (first if new_value else rest).append(m)
    chosen = (first + rest)[:MAX_FIGURES_SHOWN]
    return sorted(
        chosen,
        key=lambda m: (
            bool(index.s_hedged[mentions.row[m]]),
            index.s_article[mentions.row[m]],
            mentions.figure[m][0],
        ),
    )


@_holding_the_index_lock
def conflicts(index, articles=None, roots=None):
    """[{"subject", "figures": [{"text", "value", "unit", "qualifier", "article", "quote",
    "start", "end", "hedged"}]}], sourced figures before hedged ones."""
    from sources.models import Article

    mentions = mentions_of(index)
    groups = mentions.groups(index)
    if roots is not None:
        groups = {r: g for r, g in groups.items() if r in roots}
    allowed = None if articles is None else {a.pk for a in articles}
    chosen = {}
    for root, group in groups.items():
        if allowed is not None:
            group = [m for m in group if index.s_article[mentions.row[m]] in allowed]
            if len(group) < 2 or not _disagree(mentions, index, group):
                continue
            chosen[root] = _shown(mentions, index, group)
        elif root in mentions.shown:
            chosen[root] = mentions.shown[root]
        else:
            chosen[root] = mentions.shown[root] = _shown(mentions, index, group)
    ids = {index.s_article[mentions.row[m]] for group in chosen.values() for m in group}
    by_id = {
        a.pk: a for a in (articles or Article.objects.filter(pk__in=ids).select_related("source"))
    }
    result = []
    for root, group in chosen.items():
        figures = []
        for m in group:
            row = mentions.row[m]
            article = by_id.get(index.s_article[row])
            if article is None:
                continue
            start, end, text, value, unit, qualifier = mentions.figure[m][:6]
            figures.append(
                {
                    "text": text,
                    "value": value,
                    "unit": unit,
                    "qualifier": qualifier,
                    "article": article,
                    "quote": article.body[index.s_start[row] : index.s_end[row]],
                    "start": start,
                    "end": end,
                    "hedged": bool(index.s_hedged[row]),
                }
            )
        if len({f["article"].pk for f in figures}) > 1:
            result.append(
                {
                    "subject": _subject(mentions, index, root, groups[root]),
                    "figures": figures,
                    "group": root,
                }
            )
    result.sort(key=lambda c: (c["subject"], c["group"]))
    return result


@_holding_the_index_lock
def roots_in_spans(index, spans):
    """The groups of the figures inside the given (article_id, start, end) spans."""
    mentions = mentions_of(index)
    roots = set()
    for article_id, start, end in spans:
        for row in index.article_rows.get(article_id, ()):
            if index.s_start[row] < end and start < index.s_end[row]:
                for m in mentions.by_row.get(row, ()):
                    figure = mentions.figure[m]
                    if start <= figure[0] and figure[1] <= end:
                        roots.add(mentions.root(m))
    return roots
