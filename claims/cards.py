"""Share cards: the 1200×630 PNG that LINE, WeChat, Facebook and X show for a public page.

A claim's card shows its verdict badge (in the colour of the rating), the claim's text and the
desk's name, all in the reader's script. It is drawn from the frozen snapshot of the claim's
published entry only (never the live claim); conversion is for display, nothing is stored.
Pages without a claim (the archive, the empty home page) share the desk's card.

A CJK font is needed: `NEWSROOM_CARD_FONT` (setting or environment) names a font file, else the
system's Noto Sans CJK (Debian: `apt-get install fonts-noto-cjk`) is used. Without one, the card
URLs answer 503, pages carry no og:image and `manage.py check` warns (newsroom.W010): a card is
never drawn in boxes (tofu).
"""

import functools
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from newsroom.script import own_reading, rating_label
from sources import text as scripts

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing or its encoding changes: cached cards and their ETags follow it.
CARD_DESIGN = "3"

FONT_SETTING = "NEWSROOM_CARD_FONT"
# Where Debian's fonts-noto-cjk (and other distributions' packages) put Noto Sans CJK.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
INSTALL_HINT = (
    "Install a CJK font (Debian/Ubuntu: `apt-get install fonts-noto-cjk`) or set "
    "NEWSROOM_CARD_FONT to the path of a font file (.ttf, .otf or .ttc) with Chinese glyphs."
)

# The badge colours of the public site (static/public/site.css).
RATING_COLOURS = {
    "confirmed": "#1e7a34",
    "disputed": "#9a5b00",
    "rumour": "#6b3fa0",
    "false": "#b3261e",
}
INK, MUTED, LINE, BACKGROUND, ACCENT = "#1d1d1f", "#5f6368", "#d9dce1", "#fbfbf8", "#0b5394"

MARGIN = 72
TEXT_TOP, TEXT_BOTTOM = 190, 520  # the claim's text is drawn between these
ELLIPSIS = "…"
# Not at the start of a line (they hang at the end of the previous one), nor at its end.
CLOSING = set("，。、；：！？）」』》〉】〕”’…%,.;:!?)]}")
OPENING = set("（「『《〈【〔“‘([{")
# Latin words and numbers stay whole; every other character can be broken after.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’\-_/]*|\s+|.", re.S)
# The face of a .ttc collection for each script (Noto Sans CJK: JP, KR, SC, TC, HK, …).
_FACE = {None: "SC", scripts.HANS: "SC", scripts.HANT: "TC", scripts.HK: "HK"}

renders = 0  # cards drawn by this process (tests count them: a cache hit draws none)


# --- the font ---------------------------------------------------------------------------------


def configured_font():
    """The font file named by NEWSROOM_CARD_FONT (setting, else environment), or ""."""
    value = getattr(settings, FONT_SETTING, None)
    if value is None:
        value = os.environ.get(FONT_SETTING, "")
    return str(value or "").strip()


@functools.cache
def _system_font():
    """A system font with Chinese glyphs: Noto Sans CJK where distributions put it, else what
    fontconfig lists for zh-cn. Looked up once per process."""
    for path in KNOWN_FONTS:
        if os.path.isfile(path):
            return path
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(
                ["fc-list", ":lang=zh-cn", "file"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
        # Prefer a sans-serif regular face, as the site's own font stack does.
        files.sort(key=lambda f: ("Sans" not in f, "Bold" in f, f))
        for path in files:
            if os.path.isfile(path):
                return path
    return ""


def font_file():
    """The font file cards are drawn with, or "" when there is none: the configured one if set
    (a configured file that is missing is not replaced by another), else a system CJK font."""
    configured = configured_font()
    if configured:
        return configured if os.path.isfile(configured) else ""
    return _system_font()


def font_problem():
    """Why no card can be drawn, or None."""
    configured = configured_font()
    if configured and not os.path.isfile(configured):
        return f"The card font NEWSROOM_CARD_FONT={configured!r} is not a file."
    if not font_file():
        return "No CJK font was found for share cards."
    if _load(font_file(), _bold_of(font_file()), None) is None:
        return f"The card font {font_file()!r} cannot be read."
    return None


def available():
    """Whether cards can be drawn (pages carry og:image only then)."""
    return font_problem() is None


def _bold_of(path):
    """The bold face beside a regular one (NotoSansCJK-Regular.ttc → -Bold.ttc), else itself."""
    candidate = Path(path)
    for regular, bold in (("-Regular", "-Bold"), ("Regular", "Bold")):
        if regular in candidate.name:
            sibling = candidate.with_name(candidate.name.replace(regular, bold, 1))
            if sibling.is_file():
                return str(sibling)
    return path


@functools.lru_cache(maxsize=16)
def _face_index(path, script):
    """The index of the face for `script` in a .ttc collection (0 in any other file)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    wanted = _FACE.get(script, "SC")
    for index in range(32):
        try:
            family, _style = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            break
        if (family or "").split()[-1:] == [wanted] and "Mono" not in (family or ""):
            return index
    return 0


@functools.lru_cache(maxsize=64)
def _font(path, script, size):
    return ImageFont.truetype(path, size, index=_face_index(path, script))


def _load(regular, bold, script):
    """(regular, bold) loader for `script`, or None when the files cannot be read."""
    try:
        _font(regular, script, 12)
        _font(bold, script, 12)
    except OSError:
        return None
    return (
        functools.partial(_font, regular, script),
        functools.partial(_font, bold, script),
    )


# --- text -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _notdef(font):
    """How the font draws a character it has no glyph for (the box), to leave such out."""
    return _glyph(font, "\u0378")  # unassigned in Unicode


def _glyph(font, char):
    image = Image.new("L", (font.size * 2, font.size * 2))
    ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=8192)
def _has_glyph(font, char):
    return char.isspace() or _glyph(font, char) != _notdef(font)


def drawable(font, text):
    """`text` on one line, without the characters the font would draw as boxes (emoji in a
    font without them, say): no tofu on a card."""
    text = " ".join(text.split())
    return "".join(char for char in text if _has_glyph(font, char))


def wrap(text, font, width, max_lines):
    """`text` in lines of at most `width` pixels (CJK broken between any two characters, Latin
    words kept whole, closing punctuation never at the start of a line), at most `max_lines`
    of them: the last one ends with an ellipsis when the text is longer."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            token = " "
            if not line:
                continue
        if font.getlength(line + token) <= width or not line.strip():
            line += token
        elif token[0] in CLOSING and font.getlength(line + token) <= width + font.size:
            line += token  # hangs in the margin rather than starting the next line
        else:
            carry = ""
            while line and line[-1] in OPENING:  # an opening bracket goes with what it opens
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + ("" if token == " " else token)
        while font.getlength(line) > width and len(line) > 1:  # a word wider than the line
            cut = len(line) - 1
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last.rstrip("，。、；：,.;: ") + ELLIPSIS) > width:
        last = last[:-1]
    kept[-1] = last.rstrip("，。、；：,.;: ") + ELLIPSIS
    return kept


# --- drawing ----------------------------------------------------------------------------------


def _shown(text, script):
    return scripts.to_script(text, script) if script else text


def _fonts(script):
    path = font_file()
    fonts = _load(path, _bold_of(path), script) if path else None
    if fonts is None:
        raise FontMissing(font_problem() or "No CJK font was found for share cards.")
    return fonts


class FontMissing(RuntimeError):
    pass


def _canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    return image, ImageDraw.Draw(image)


def _footer(draw, regular, bold, script, colour):
    draw.line([(MARGIN, 548), (WIDTH - MARGIN, 548)], fill=LINE, width=2)
    name = drawable(bold(30), _shown(settings.DESK_NAME or "", script))
    draw.text((MARGIN, 572), name, font=bold(30), fill=MUTED, anchor="lm")
    draw.rectangle([(0, HEIGHT - 14), (WIDTH, HEIGHT)], fill=colour)


def _png(image):
    """The card as PNG, at zlib's default level: measured on a claim's card, 23 ms and 79 KB,
    against 101 ms and 76 KB with Pillow's `optimize` (level 9 and a filter search)."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render_claim_card(snapshot, script=None):
    """The PNG of a published claim's card, from its frozen `snapshot`, in `script` (None: the
    claim's own script, its verdict named and its text drawn in the words and the glyphs of
    that script: a Traditional claim is not labelled in Simplified)."""
    global renders
    renders += 1
    looks = script or own_reading(snapshot.get("text") or "")
    regular, bold = _fonts(looks)
    rating = snapshot["verdict"]["rating"]
    colour = RATING_COLOURS.get(rating, MUTED)
    image, draw = _canvas()
    draw.rectangle([(0, 0), (14, HEIGHT)], fill=colour)

    label = drawable(bold(44), rating_label(rating, looks))
    left, top, right, bottom = draw.textbbox((0, 0), label, font=bold(44), anchor="lt")
    badge = [(MARGIN, 64), (MARGIN + right - left + 56, 64 + 88)]
    draw.rounded_rectangle(badge, radius=16, fill=colour)
    draw.text(
        ((badge[0][0] + badge[1][0]) / 2, (badge[0][1] + badge[1][1]) / 2),
        label,
        font=bold(44),
        fill="#ffffff",
        anchor="mm",
    )

    text = _shown(snapshot.get("text") or "", script)
    width = WIDTH - 2 * MARGIN
    for size in (60, 52, 46):  # the largest size the whole text fits in
        spacing = round(size * 1.45)
        max_lines = (TEXT_BOTTOM - TEXT_TOP) // spacing
        lines = wrap(drawable(regular(size), text), regular(size), width, max_lines)
        if not lines or not lines[-1].endswith(ELLIPSIS) or size == 46:
            break
    for number, line in enumerate(lines):
        draw.text((MARGIN, TEXT_TOP + number * spacing), line, font=regular(size), fill=INK)

    _footer(draw, regular, bold, script, colour)
    return _png(image)


DESK_TAGLINE = "中文新闻事实核查：每个判定都由两位编辑审核"


def render_desk_card(script=None):
    """The desk's own card (pages without a claim): its name and what it does."""
    global renders
    renders += 1
    regular, bold = _fonts(script)
    image, draw = _canvas()
    draw.rectangle([(0, 0), (14, HEIGHT)], fill=ACCENT)
    name = _shown(settings.DESK_NAME or "", script)
    lines = wrap(drawable(bold(72), name), bold(72), WIDTH - 2 * MARGIN, 3)
    top = 150
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * 100), line, font=bold(72), fill=INK)
    tagline = drawable(regular(40), _shown(DESK_TAGLINE, script))
    draw.text((MARGIN, top + len(lines) * 100 + 40), tagline, font=regular(40), fill=MUTED)
    draw.line([(MARGIN, 548), (WIDTH - MARGIN, 548)], fill=LINE, width=2)
    draw.rectangle([(0, HEIGHT - 14), (WIDTH, HEIGHT)], fill=ACCENT)
    return _png(image)
