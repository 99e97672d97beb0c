"""The desk's texts in the reader's reading: `{% load readings %}`.

- `{{ text|shown:request.script }}`: the text as a reader of that reading sees it
  (sources.text.to_script: converted only when it is in the other script).
- `{{ text|converted:request.script }}`: whether that changes its words (a quote shown
  converted is marked so, with its original one click away).
- `{{ text|lang_of }}`: the BCP 47 tag of the text's own script, for a `lang` attribute.
- `{{ when|machine_time }}`: a time for `<time datetime>`, in the desk's time zone, to the
  second (HTML allows at most three digits of a fraction; Django's `date:"c"` gives six).
"""

from django import template
from django.utils import timezone

from sources import text as scripts

register = template.Library()

_TAGS = {scripts.HANS: "zh-Hans", scripts.HANT: "zh-Hant"}


@register.filter
def shown(text, script):
    return scripts.to_script(text, script) if script else text


@register.filter
def converted(text, script):
    return bool(script) and isinstance(text, str) and scripts.is_converted(text, script)


@register.filter
def lang_of(text):
    return _TAGS.get(scripts.detect_script(text or ""), "zh")


@register.filter
def machine_time(value):
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
