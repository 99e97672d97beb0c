"""Markdown in article bodies, located character by character: for display only.

Some imported articles are Markdown (`**重点**`, `### 小标题`, `- 要点`, `> 引文`). The stored
body keeps every character: quotes are substrings of it and evidence offsets index it. So the
reader does not render Markdown into other text; `scan()` says which characters are markup
(hidden when shown) and which runs of text they format, by their offsets in the body, and
`render()` turns a slice of the body into HTML whose text content is exactly that slice: the
markup characters stay in the page, hidden from sight and from assistive technology, and the
formatted text is wrapped in <strong>, <em>, <code> or a span with a class. `plain()` is
a text without its markup characters, for showing a quote.

Why a scanner of our own and not markdown-it-py: markdown-it-py gives block tokens a line map
but inline tokens no position at all, and their content is already transformed (escapes and
entities decoded, list and quote markers and indentation removed), so character offsets can
only be recovered by searching for each token's text again; and its CommonMark emphasis rules
leave `**「重点」**是` and `的**“引语”**。` unformatted, because a delimiter next to punctuation
must also touch white space or punctuation on its other side, which Chinese text never has
(in the seed articles markdown-it-py formats 67 bold runs and leaves `**` showing in 8 places;
this scanner formats 73 and leaves none). It covers what news bodies carry: ATX headings,
emphasis, code spans and fenced code, links and images, bullet lists, block quotes, rules and
backslash escapes, each construct within a line (emphasis does not span lines), emphasis
delimiters allowed beside any punctuation. Numbered list markers (`1.`) are text: readers need
them. A line of `===` or `---` is a rule (a setext heading's underline shows as one); tables,
reference links, strikethrough (`~~` is decoration in chat messages) and raw HTML are text.
"""

import bisect
import dataclasses
import html
import re
import string
import unicodedata

from django.utils.safestring import mark_safe

ASCII_PUNCTUATION = frozenset(string.punctuation)

# Line constructs, each matched at the start of what is left of a line (`endpos` is the line's
# end, where `$` and `\Z` match).
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_RULE = re.compile(
    r"[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:=[ \t]*){3,})"
)
_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]+|\Z)")
_BULLET = re.compile(r"[ \t]*([-*+])[ \t]+(?=\S)")
_FENCE_OPEN = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})(.*)")
_FENCE_CLOSE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})[ \t]*")
# Inline constructs.
_SPECIAL = re.compile(r"[\\`*_\[<]|!\[")
_TICKS = re.compile(r"`+")
_LINK = re.compile(
    r"!?\[(?P<label>[^\[\]\n]*)\]"
    r"\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
)
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|ftp|mailto):[^\s<>]+)>", re.IGNORECASE)

# Each kind of formatting as it is shown, outermost first.
_ORDER = ("quote", "h1", "h2", "h3", "h4", "h5", "h6", "bullet", "li", "hr", "pre", "link", "img")
_ORDER += ("strong", "em", "code")
_RANK = {kind: rank for rank, kind in enumerate(_ORDER)}
_TAGS = {f"h{n}": (f'<span class="md-h{n}">', "</span>") for n in range(1, 7)}
_TAGS.update(
    quote=('<span class="md-quote">', "</span>"),
    bullet=('<span class="md-bullet">', "</span>"),
    li=('<span class="md-li">', "</span>"),
    hr=('<span class="md-hr">', "</span>"),
    pre=('<code class="md-pre">', "</code>"),
    link=('<span class="md-link" title="{}">', "</span>"),
    img=('<span class="md-img" title="{}">', "</span>"),
    strong=("<strong>", "</strong>"),
    em=("<em>", "</em>"),
    code=("<code>", "</code>"),
)
# Markup characters stay in the page (its text content is the stored body), out of sight and
# out of the accessibility tree: `hidden` is display: none.
_HIDDEN = '<span class="md-mark" hidden>{}</span>'


@dataclasses.dataclass
class Markup:
    """Where a text's Markdown is: `hidden`, the markup characters as sorted, disjoint
    (start, end) offsets; `spans`, (start, end, kind, detail) of the formatted runs (detail is
    a link's address); `loose`, emphasis delimiter runs of two or more characters left
    unpaired, which in a fragment of a text (a quote) are markup whose pair lies outside."""

    hidden: list
    spans: list
    loose: list
    _layout: tuple | None = None

    def __bool__(self):
        return bool(self.hidden)

    def layout(self, length):
        """(points, states): the offsets where what is shown changes, and for each run between
        two of them (hidden, ((kind, detail), ...) outermost first)."""
        if self._layout is None or self._layout[0][-1] != length:
            self._layout = _layout(self, length)
        return self._layout


@dataclasses.dataclass
class _Delimiter:
    char: str
    start: int
    length: int
    opens: bool
    closes: bool


def _category(char):
    return unicodedata.category(char)


def _edge(char):
    """Whether `char` beside a delimiter ends a word: white space or punctuation."""
    return char.isspace() or _category(char)[0] in "PS"


def _ascii_digit(char):
    return char.isascii() and char.isdigit()


class _Scanner:
    def __init__(self, text):
        self.text = text
        self.hidden = []
        self.spans = []
        self.loose = []

    def hide(self, a, b):
        if b > a:
            self.hidden.append((a, b))

    def span(self, a, b, kind, detail=""):
        if b > a:
            self.spans.append((a, b, kind, detail))

    def run(self):
        lines = self._lines()
        roles = self._fences(lines)
        for index, (a, b) in enumerate(lines):
            role = roles.get(index)
            if role == "fence":
                self.hide(a, b)
            elif role == "pre":
                self.span(a, b, "pre")
            else:
                self._line(a, b)
        return Markup(_merged(self.hidden), self.spans, sorted(self.loose))

    def _lines(self):
        """(start, end) of each line, without its line break."""
        text, out, pos = self.text, [], 0
        while True:
            stop = text.find("\n", pos)
            end = len(text) if stop < 0 else stop
            out.append((pos, end - 1 if end > pos and text[end - 1] == "\r" else end))
            if stop < 0:
                return out
            pos = stop + 1

    def _fences(self, lines):
        """{line index: "fence" or "pre"} for fenced code blocks; an opening fence without its
        closing fence is text."""
        text, roles, closers = self.text, {}, []
        for index, line in enumerate(lines):
            closing = _FENCE_CLOSE.fullmatch(text, *line)
            if closing:
                closers.append((index, closing.group(1)[0], len(closing.group(1))))
        closer_lines = [i for i, _char, _n in closers]
        # A fence of a character and length found unclosed from some line on stays unclosed
        # from any later line: remembered, so that many unclosed fences cost no more than one.
        unclosed = {}
        index = 0
        while index < len(lines):
            opening = _FENCE_OPEN.fullmatch(text, *lines[index])
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                char, length = opening.group(1)[0], len(opening.group(1))
                if length < unclosed.get(char, length + 1):
                    first = bisect.bisect_right(closer_lines, index)
                    close = next(
                        (i for i, c, n in closers[first:] if c == char and n >= length), None
                    )
                    if close is None:
                        unclosed[char] = length
                    else:
                        roles[index] = roles[close] = "fence"
                        roles.update((inner, "pre") for inner in range(index + 1, close))
                        index = close
            index += 1
        return roles

    def _rstrip(self, a, b):
        while b > a and self.text[b - 1] in " \t":
            b -= 1
        return b

    def _line(self, a, b):
        text, pos = self.text, a
        while quote := _QUOTE.match(text, pos, b):
            self.hide(pos, quote.end())
            pos = quote.end()
        if pos > a:
            self.span(pos, self._rstrip(pos, b), "quote")
        if _RULE.fullmatch(text, pos, b):
            self.hide(pos, b)
            self.span(pos, b, "hr")
            return
        heading = _HEADING.match(text, pos, b)
        if heading:
            self.hide(pos, heading.end())
            start, end = heading.end(), self._rstrip(heading.end(), b)
            hashes = end
            while hashes > start and text[hashes - 1] == "#":
                hashes -= 1
            if hashes < end and (hashes == start or text[hashes - 1] in " \t"):  # `## 标题 ##`
                end = self._rstrip(start, hashes)
                self.hide(end, b)
            self.span(start, end, f"h{len(heading.group(1))}")
            self.inline(start, end)
            return
        bullet = _BULLET.match(text, pos, b)
        if bullet:
            self.hide(bullet.start(1), bullet.end())  # indentation stays: it shows nesting
            self.span(bullet.start(1), bullet.end(), "bullet")  # a bullet drawn in its place
            pos = bullet.end()
            self.span(pos, self._rstrip(pos, b), "li")
        self.inline(pos, b)

    def inline(self, a, b):
        text, delimiters, i, unclosed = self.text, [], a, set()
        while found := _SPECIAL.search(text, i, b):
            i = found.start()
            char = text[i]
            if char == "\\":  # an escaped punctuation character is shown without its backslash
                if i + 1 < b and text[i + 1] in ASCII_PUNCTUATION:
                    self.hide(i, i + 1)
                    i += 2
                else:
                    i += 1
            elif char == "`":
                i = self._code(i, b, unclosed)
            elif char in "[!":
                i = self._link(i, b)
            elif char == "<":
                auto = _AUTOLINK.match(text, i, b)
                if auto:
                    self.hide(i, i + 1)
                    self.hide(auto.end() - 1, auto.end())
                    self.span(i + 1, auto.end() - 1, "link", auto.group("url"))
                    i = auto.end()
                else:
                    i += 1
            else:
                j = i
                while j < b and text[j] == char:
                    j += 1
                delimiter = self._delimiter(char, i, j, a, b)
                if delimiter:
                    delimiters.append(delimiter)
                i = j
        self._emphasis(delimiters)

    def _code(self, i, b, unclosed):
        """A code span from the backticks at i to the next run of as many; else they are text.
        `unclosed` holds the run lengths already found without a closing run on this line."""
        run = _TICKS.match(self.text, i, b).end()
        n = run - i
        if n not in unclosed:
            for closing in _TICKS.finditer(self.text, run, b):
                if closing.end() - closing.start() == n:
                    self.hide(i, run)
                    self.hide(closing.start(), closing.end())
                    self.span(run, closing.start(), "code")
                    return closing.end()
            unclosed.add(n)
        return run

    def _link(self, i, b):
        link = _LINK.match(self.text, i, b)
        if not link:
            return i + 1
        start, end = link.start("label"), link.end("label")
        self.hide(i, start)
        self.hide(end, link.end())
        self.span(start, end, "img" if self.text[i] == "!" else "link", link.group("url"))
        self.inline(start, end)
        return link.end()

    def _delimiter(self, char, i, j, a, b):
        """The run of `char` from i to j as an emphasis delimiter, or None. Unlike CommonMark, a
        delimiter may touch punctuation (Chinese text has no spaces around `**「重点」**`); it
        must not touch white space on the side it formats."""
        before = self.text[i - 1] if i > a else " "
        after = self.text[j] if j < b else " "
        # Never beside white space on the inside, nor inside brackets: (*) is a footnote mark.
        opens = not after.isspace() and _category(after) not in ("Pe", "Pf")
        closes = not before.isspace() and _category(before) not in ("Ps", "Pi")
        if char == "*":
            if _ascii_digit(before) and _ascii_digit(after):  # 3*4, 2**10
                return None
        else:  # _ only at a word's edge, as in CommonMark: @卡布叻_周深 @MD_摩登兄弟 is text
            opens = opens and _edge(before)
            closes = closes and _edge(after)
        if not (opens or closes):
            return None
        return _Delimiter(char, i, j - i, opens, closes)

    def _emphasis(self, delimiters):
        """Pair openers and closers, nearest first, as CommonMark does (without its rule of 3).
        Openers are kept by character, so that a closer finds its opener at once."""
        openers = {"*": [], "_": []}
        for closer in delimiters:
            same, other = openers[closer.char], openers["_" if closer.char == "*" else "*"]
            while closer.closes and closer.length and same:
                opener = same[-1]
                n = 2 if opener.length >= 2 and closer.length >= 2 else 1
                inner = opener.start + opener.length
                self.hide(inner - n, inner)
                self.hide(closer.start, closer.start + n)
                self.span(inner, closer.start, "strong" if n == 2 else "em")
                opener.length -= n
                closer.start += n
                closer.length -= n
                while other and other[-1].start > opener.start:
                    other.pop()  # delimiters between the two are text now
                if not opener.length:
                    same.pop()
            if closer.length and closer.opens:
                same.append(closer)
        for delimiter in delimiters:
            if 2 <= delimiter.length <= 3:  # a longer run (__________) is decoration
                self.loose.append((delimiter.start, delimiter.start + delimiter.length))


def _merged(intervals):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _layout(markup, length):
    points = {0, length}
    for a, b in markup.hidden:
        points.update((a, b))
    starts, ends = {}, {}
    for span in markup.spans:
        points.update(span[:2])
        starts.setdefault(span[0], []).append(span)
        ends.setdefault(span[1], []).append(span)
    points = sorted(p for p in points if 0 <= p <= length)
    hidden_ends = dict(markup.hidden)
    active, states, hidden_until = [], [], -1
    for point in points[:-1]:
        for span in ends.get(point, ()):
            active.remove(span)
        active.extend(starts.get(point, ()))
        hidden_until = hidden_ends.get(point, hidden_until)
        kinds = sorted(((kind, detail) for _a, _b, kind, detail in active), key=_rank)
        states.append((point < hidden_until, tuple(kinds)))
    return points, states


def _rank(kind_detail):
    return _RANK[kind_detail[0]]


def scan(text):
    """The Markdown of `text` (a Markup; false when the text has none)."""
    return _Scanner(text or "").run()


def render(text, start, end, markup, convert=None):
    """HTML of text[start:end] whose text content is exactly that slice: markup characters
    hidden, formatted runs in their elements, each piece escaped; `convert` (a function of
    text) is applied to the shown pieces, each on its own."""
    if not markup.hidden and not markup.spans:
        piece = text[start:end]
        return mark_safe(escape(convert(piece) if convert else piece))
    points, states = markup.layout(len(text))
    index = bisect.bisect_right(points, start) - 1
    out, pos, open_kinds = [], start, ()
    while pos < end:
        stop = min(points[index + 1], end)
        hidden, kinds = states[index]
        # Close what the next piece is not in (innermost first), open what it adds: elements
        # nest, outermost first in _ORDER.
        keep = 0
        while keep < min(len(kinds), len(open_kinds)) and kinds[keep] == open_kinds[keep]:
            keep += 1
        out.extend(_TAGS[kind][1] for kind, _detail in reversed(open_kinds[keep:]))
        out.extend(_TAGS[kind][0].format(escape(detail)) for kind, detail in kinds[keep:])
        open_kinds = kinds
        piece = text[pos:stop]
        if hidden:
            out.append(_HIDDEN.format(escape(piece)))
        else:
            out.append(escape(convert(piece) if convert else piece))
        pos, index = stop, index + 1
    out.extend(_TAGS[kind][1] for kind, _detail in reversed(open_kinds))
    return mark_safe("".join(out))  # every piece of text and every address is escaped above


def escape(text):
    """Text for HTML content or an attribute value (as Django's escape, without its lazy
    wrapper: the reader escapes thousands of pieces)."""
    return html.escape(text, quote=True)


def _without(text, start, end, intervals):
    out, pos = [], start
    for a, b in intervals:
        if b <= pos or a >= end:
            continue
        out.append(text[pos:a] if a > pos else "")
        pos = max(pos, b)
    out.append(text[pos:end])
    return "".join(out)


def plain_slice(text, start, end, markup=None):
    """text[start:end] without the markup characters that `text`'s Markdown has there (a quote
    shown without them, knowing the whole body)."""
    markup = scan(text) if markup is None else markup
    return _without(text, start, end, markup.hidden)


def plain(fragment):
    """A fragment of a text (a quote) without its markup characters, display only: Markdown
    found in it, and emphasis markers whose pair lies outside it (`裁员**，结果`)."""
    if not fragment or not isinstance(fragment, str):
        return fragment
    markup = scan(fragment)
    if not markup.hidden and not markup.loose:
        return fragment
    return _without(fragment, 0, len(fragment), _merged(markup.hidden + markup.loose))
