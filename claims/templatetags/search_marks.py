"""The words searched for, marked in the results: `{% load search_marks %}`.

- `{{ text|marked_words:q }}`: the text, escaped, each place it writes a word of `q` (in any
  of its spellings: claims.search.spelled) inside `<mark>`. The text is not changed otherwise:
  a result shown in the reader's script is marked as shown.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from claims.search import spelled

register = template.Library()


@register.filter(needs_autoescape=True)
def marked_words(text, q, autoescape=True):
    escape = conditional_escape if autoescape else str
    text = "" if text is None else str(text)
    pattern = spelled(q or "")
    if pattern is None or not text:
        return escape(text)
    pieces, at = [], 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[at : found.start()]))
        pieces.append(format_html("<mark>{}</mark>", found.group()))
        at = found.end()
    pieces.append(escape(text[at:]))
    return mark_safe("".join(str(piece) for piece in pieces))
