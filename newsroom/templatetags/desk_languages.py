"""The desk's languages for the language switch: `{% desk_languages as languages %}` gives
settings.LANGUAGES, (code, name) with each name in its own language (Django's
get_available_languages would translate the names into the current one)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def desk_languages():
    return settings.LANGUAGES
