"""Every string the product shows through gettext has its translation in each reading's
catalogue (locale/zh_Hans, zh_Hant, zh_Hant-hk): a string missing from the Traditional
catalogues would show in Simplified (Django falls back to LANGUAGE_CODE), one missing from all
would show in English on a Chinese page.

The strings are found as `makemessages` finds them, without GNU gettext: Django's `templatize`
turns each template into gettext calls (read here), and Babel's Python extractor reads the
Python modules."""

import ast
import functools
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("claims", "sources", "newsroom", "webhooks")
# The gettext functions the modules call (the p- ones take a context first).
KEYWORDS = (
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
)
FOLDERS = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant", "zh_Hant-hk": "zh-hant-hk"}


def _messages(source, filename):
    """{(context, msgid)} of the gettext calls in Python source."""
    found = set()
    for _line, funcname, message, _comments in extract_python(
        io.BytesIO(source.encode("utf-8")), KEYWORDS, [], {}
    ):
        strings = message if isinstance(message, tuple) else (message,)
        if funcname.startswith(("pgettext", "npgettext")):
            context, msgid = strings[0], strings[1]
        else:
            context, msgid = None, strings[0]
        if isinstance(msgid, str) and msgid:
            found.add((context, msgid, filename))
    return found


# What `templatize` writes for {% translate %} and {% blocktranslate %}: gettext(u'…'),
# pgettext(u'context', u'…'), ngettext(u'…', u'…', count), npgettext(u'context', u'…', u'…', count).
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u?'(?:[^'\\]|\\.)*'\s*,\s*)*u?'(?:[^'\\]|\\.)*')")
QUOTED = re.compile(r"u?'(?:[^'\\]|\\.)*'")


def _template_messages(source, filename):
    found = set()
    for call in TEMPLATE_CALL.finditer(templatize(source, origin=filename)):
        strings = [ast.literal_eval(q.removeprefix("u")) for q in QUOTED.findall(call[2])]
        context = strings.pop(0) if call[1].startswith(("pgettext", "npgettext")) else None
        found.add((context, strings[0], filename))
    return found


@functools.cache
def used_strings():
    """{(context, msgid, where)} of every string the templates and modules translate (read once
    a run: the tests below each ask for it)."""
    found = set()
    for template in sorted((ROOT / "templates").rglob("*.html")):
        found |= _template_messages(
            template.read_text(encoding="utf-8"), str(template.relative_to(ROOT))
        )
    for package in PACKAGES:
        for module in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in module.parts:
                continue
            found |= _messages(module.read_text(encoding="utf-8"), str(module.relative_to(ROOT)))
    return frozenset(found)


def catalogue(folder):
    with open(ROOT / "locale" / folder / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


def test_the_extraction_finds_the_strings_of_templates_and_modules():
    used = {(context, msgid) for context, msgid, _where in used_strings()}
    assert (None, "Back to the last page") in used  # a template's {% translate %}
    assert ("rating", "Confirmed") in used  # a model's pgettext_lazy
    assert (None, "Only editors can do this.") in used  # a service's gettext
    assert len(used) > 500


def _translated_elsewhere(context, msgid, language):
    """Whether Django's or an installed app's own catalogue translates it (the admin's "Home",
    DRF's token errors) for `language`, rather than the fallback to Simplified Chinese."""

    def shown(lang):
        with translation.override(lang):
            return translation.pgettext(context, msgid) if context else translation.gettext(msgid)

    said = shown(language)
    return said != msgid and (language == "zh-hans" or said != shown("zh-hans"))


def _has_translation(written, context, msgid):
    entry = written.get(msgid, context=context)
    if entry is None:
        return False
    return bool(entry.string[0] if isinstance(entry.string, (tuple, list)) else entry.string)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_shown_string_is_translated_for_each_reading(folder):
    written = catalogue(folder)
    missing = sorted(
        f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for context, msgid, where in used_strings()
        if not _has_translation(written, context, msgid)
        and not _translated_elsewhere(context, msgid, FOLDERS[folder])
    )
    assert not missing, f"{len(missing)} strings without a {folder} translation:\n" + "\n".join(
        missing[:60]
    )


TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_translation_keeps_its_sources_markup_and_placeholders(folder):
    """A translation that drops a `%(name)s` fails when it is filled in (or says less), one that
    drops or adds a tag breaks the page's HTML."""
    wrong = []
    for entry in catalogue(folder):
        if not entry.id:
            continue
        source = entry.id[0] if isinstance(entry.id, (tuple, list)) else entry.id
        said = entry.string[0] if isinstance(entry.string, (tuple, list)) else entry.string
        if sorted(TAG.findall(source)) != sorted(TAG.findall(said)) or set(
            PLACEHOLDER.findall(source)
        ) != set(PLACEHOLDER.findall(said)):
            wrong.append(f"{source!r} → {said!r}")
    assert not wrong, "\n".join(wrong)
