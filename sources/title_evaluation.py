"""How well the importer names real posts: titles and outlet credits against a hand-checked gold.

The gold (`sources/data/titles_gold.jsonl`, its conventions in `sources/data/README.md`) holds,
for 120 texts of the shared corpus (60 Weibo posts, 60 Taiwan rumour messages), the title a
reader should see and the outlet the text credits. The texts themselves are read in place from
the corpus folder (`../shared/corpus/`), never copied into the project.

Each text goes through the importer's own path without a database (`importer.read_fields`, then
`publishers.find_publisher`), exactly as a file with that text would. The figures:

- `titled`: texts whose title is not blank (a reader would otherwise see the file name), over
  the gold sample and over every text of both files;
- `acceptable`: titles a reader can use, by the gold. A title the text marks (【…】, #话题#,
  《…》) must equal the gold's; one made from the lead must be a start of the lead (from
  `lead_from`, or the text's start) that ends at a boundary: punctuation, a space, a quote or
  bracket, a change between Chinese and Latin script, or after a particle (了, 的, 吗…) —
  never in the middle of a run; either may also be the gold's title itself. A cut (…) must be at
  most 40 characters wide and at least 6 characters long.
- `credits_found`: texts with a visible outlet credit where the credited name was found
  (script-folded, one name containing the other); `credits_wrong`: a name given where the text
  credits none, or another name than the credited one.
"""

import dataclasses
import json
import unicodedata
from pathlib import Path

from sources import text as scripts
from sources import titles
from sources.corpus import corpus_dir
from sources.importer import Refused, read_fields
from sources.publishers import find_publisher

GOLD = Path(__file__).resolve().parent / "data" / "titles_gold.jsonl"
CORPUS_FILES = {"weibo": "weibo_covid.jsonl", "tfc": "tfc_rumours.jsonl"}
PARTS = {
    "weibo": "Weibo posts",
    "tfc": "Taiwan rumour messages",
    "dev": "dev split (the patterns were written looking at it)",
    "held-out": "held-out split (annotated before the code saw it)",
}
_PARTICLES = set("了的吗嗎呢吧啊啦呀嘛哦喔")
_DROPPED = set("「」『』“”‘’\"'#*")


def read_corpus(folder=None):
    """{(corpus, id): text} of both files; FileNotFoundError when the corpus is not there."""
    folder = Path(folder or corpus_dir())
    texts = {}
    for corpus, name in CORPUS_FILES.items():
        with open(folder / name, encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                texts[(corpus, row["id"])] = row["text"]
    return texts


def read_gold(path=GOLD):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _kept(char):
    return not (
        char.isspace() or char in _DROPPED or unicodedata.category(char) in ("So", "Sk", "Co", "Cf")
    )


def _normalized(text):
    """`(normalized, raw index of each normalized character)`: NFKC, without spaces, quotes,
    topic marks and symbols, so that "「清冠一號…" and "清冠一號…" compare equal."""
    chars, where = [], []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char):
            if _kept(piece):
                chars.append(piece)
                where.append(index)
    return "".join(chars), where


def _core(title):
    return _normalized(title.rstrip().rstrip("…").rstrip("。.，,、；;：: "))[0]


def _at_boundary(lead, prefix_length):
    """Whether a title of the lead's first `prefix_length` normalized characters ends at a
    boundary of the raw lead."""
    normalized, where = _normalized(lead)
    if prefix_length >= len(normalized):
        return True
    last, following = where[prefix_length - 1], where[prefix_length]
    if following - last > 1:
        return True  # a space, a quote or a symbol lies between
    before, after = normalized[prefix_length - 1], normalized[prefix_length]
    if not (before.isalnum() and after.isalnum()):
        return True  # punctuation or a symbol (～, …) on either side
    scripts_differ = (titles._script(before), titles._script(after))
    return set(scripts_differ) == {"han", "latin"} or before in _PARTICLES


def title_verdict(title, gold, text):
    """ "equal", "cut at a boundary", or why the title is not acceptable."""
    if not title.strip():
        return "blank"
    if _core(title) == _core(gold["title"]):
        return "equal"
    if gold["kind"] == "marked":
        full = gold["title"]
        if not title.endswith("…"):
            return "not the headline"
    else:
        start = text.find(gold["lead_from"]) if gold.get("lead_from") else 0
        full = text[max(start, 0) :][:400]
    core = _core(title)
    if titles.width(title) > titles.MAX_WIDTH + 1:
        return "too long"
    if len(core) < 6 or not _normalized(full)[0].startswith(core):
        return "not a start of the lead"
    if not _at_boundary(full, len(core)):
        return "cut inside a word"
    return "cut at a boundary"


def _same_name(found, credited):
    a, b = scripts.fold_compact(found), scripts.fold_compact(credited)
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 2 and (a in b or b in a)))


@dataclasses.dataclass
class Result:
    corpus: str
    id: str
    title: str
    title_verdict: str
    outlet: str | None
    gold: dict

    @property
    def title_ok(self):
        return self.title_verdict in ("equal", "cut at a boundary")

    @property
    def credit_found(self):
        return bool(self.outlet) and any(
            _same_name(self.outlet, name) for name in self.gold["outlets"]
        )

    @property
    def credit_wrong(self):
        return bool(self.outlet) and not self.credit_found


def name_text(text):
    """`(title, outlet name or None)` of a text imported as a file (no database)."""
    fields, _ = read_fields(text.encode("utf-8"))
    found = find_publisher(fields.source_name, fields.body, fields.boilerplate)
    return fields.title, found[0] if found else None


def _titled(text):
    try:
        return bool(read_fields(text.encode("utf-8"))[0].title.strip())
    except Refused:
        return False


def evaluate_titles(folder=None, gold_path=GOLD, whole_corpus=True):
    """The figures (a dict) and the per-text results against the gold."""
    texts = read_corpus(folder)
    results = []
    for gold in read_gold(gold_path):
        text = texts[(gold["corpus"], gold["id"])]
        title, outlet = name_text(text)
        results.append(
            Result(
                gold["corpus"], gold["id"], title, title_verdict(title, gold, text), outlet, gold
            )
        )
    present = [r for r in results if r.gold["outlets"]]
    figures = {
        "texts": len(results),
        "titled": sum(bool(r.title.strip()) for r in results),
        "acceptable": sum(r.title_ok for r in results),
        "equal": sum(r.title_verdict == "equal" for r in results),
        "credits_present": len(present),
        "credits_found": sum(r.credit_found for r in present),
        "credits_wrong": sum(r.credit_wrong for r in results),
    }
    for part in (*CORPUS_FILES, "dev", "held-out"):
        mine = [r for r in results if part in (r.corpus, r.gold.get("split"))]
        credited = [r for r in mine if r.gold["outlets"]]
        figures[part] = {
            "texts": len(mine),
            "acceptable": sum(r.title_ok for r in mine),
            "credits_present": len(credited),
            "credits_found": sum(r.credit_found for r in credited),
            "credits_wrong": sum(r.credit_wrong for r in mine),
        }
    if whole_corpus:
        figures["corpus_texts"] = len(texts)
        figures["corpus_titled"] = sum(_titled(text) for text in texts.values())
    return figures, results


def report(figures):
    """The figures as lines for the terminal."""

    def share(part, whole):
        return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"

    lines = [
        f"gold sample: {figures['texts']} texts",
        f"titled (no file name shown): {share(figures['titled'], figures['texts'])}",
        f"acceptable titles: {share(figures['acceptable'], figures['texts'])}, "
        f"equal to the gold {figures['equal']}",
    ]
    lines.append(
        f"outlet credits found: {share(figures['credits_found'], figures['credits_present'])}; "
        f"wrong or spurious names: {figures['credits_wrong']}"
    )
    for part, what in PARTS.items():
        part_figures = figures[part]
        lines.append(
            f"  {what}: titles {share(part_figures['acceptable'], part_figures['texts'])}, credits "
            f"{share(part_figures['credits_found'], part_figures['credits_present'])}, "
            f"wrong {part_figures['credits_wrong']}"
        )
    if "corpus_texts" in figures:
        lines.append(
            f"whole corpus titled: {share(figures['corpus_titled'], figures['corpus_texts'])}"
        )
    return lines
