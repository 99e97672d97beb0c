"""Compile the translation catalogues: every locale/*/LC_MESSAGES/django.po to its django.mo.

`make install` runs it (the .mo files are built, not committed), with Babel rather than GNU
gettext's msgfmt, so that a fresh machine needs nothing beyond Python. Fuzzy entries are left
out, as msgfmt does. Only catalogues older than their .po (or than a library catalogue they
take words from) are written, unless --all.

The libraries' own words in the Traditional readings. Django finds a language's words in each
app's locale/ folder, and falls back to the desk's default language (Simplified) for any it
does not find there. No library has a folder for zh-hant-hk (zh_Hant-hk), and some have no
zh_Hant one or an incomplete one, so a Hong Kong editor read Django's admin and form errors in
Simplified, and a Taiwan one some of DRF's. The compiled catalogue of each Traditional reading
therefore also carries, after the desk's own words (written for it, never converted), every
library word it lacks: the library's Traditional translation where it has one, else its
Simplified one converted by OpenCC for that reading (s2twp for Taiwan, s2hk for Hong Kong).
"""

import ast
import importlib.util
import sys
from pathlib import Path

import opencc
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"

SETTINGS = LOCALE.parent / "newsroom" / "settings.py"


def installed_apps():
    """INSTALLED_APPS as newsroom/settings.py writes them (read, not imported: the settings
    need the environment, and this runs at install)."""
    for node in ast.parse(SETTINGS.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            getattr(target, "id", None) == "INSTALLED_APPS" for target in node.targets
        ):
            return [ast.literal_eval(element) for element in node.value.elts]
    raise LookupError(f"no INSTALLED_APPS in {SETTINGS}")


def libraries():
    """The installed apps whose words the pages show, first the one whose translation wins when
    two have the same words (as Django merges them), then Django's own (forms, validators),
    which Django merges first and so loses ties."""
    return [*installed_apps(), "django.conf"]


# The Traditional readings: (folder, the libraries' Traditional folder it takes, OpenCC config).
TRADITIONAL = {"zh_Hant": ("zh_Hant", "s2twp.json"), "zh_Hant-hk": ("zh_Hant", "s2hk.json")}


def library_catalogues(folder):
    """The compiled catalogues of the libraries in `folder` (zh_Hant, zh_Hans), in the order of
    libraries()."""
    found = []
    for name in libraries():
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # an app of the desk's own: its words are in LOCALE
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        path = Path(next(iter(spec.submodule_search_locations))) / "locale" / folder
        path = path / "LC_MESSAGES" / "django.mo"
        if path.exists():
            found.append(path)
    return found


def _entries(mo_path):
    with open(mo_path, "rb") as handle:
        for message in read_mo(handle):
            if (
                message.id
                and message.string
                and (not isinstance(message.string, (tuple, list)) or all(message.string))
            ):
                yield message


def add_library_words(catalogue, folder):
    """Add to `catalogue` (a Traditional reading's) every library word it lacks."""
    traditional, config = TRADITIONAL[folder]
    converter = opencc.OpenCC(config)

    def convert(string):
        if isinstance(string, (tuple, list)):
            return tuple(converter.convert(part) for part in string)
        return converter.convert(string)

    simplify = opencc.OpenCC("t2s.json")

    def in_simplified(string):
        # Written wholly in Simplified forms: Simplified leaves it as it is, Traditional not.
        parts = string if isinstance(string, (tuple, list)) else (string,)
        return any(
            simplify.convert(part) == part and converter.convert(part) != part for part in parts
        )

    have = {(message.context, _key(message.id)) for message in catalogue if message.id}
    sources = [(path, False) for path in library_catalogues(traditional)]
    sources += [(path, True) for path in library_catalogues("zh_Hans")]
    for path, simplified in sources:
        for message in _entries(path):
            key = (message.context, _key(message.id))
            if key in have:
                continue
            have.add(key)
            string = message.string
            # A Simplified catalogue's words, and the few a Traditional one left in Simplified
            # (Django's admin: 删除), are converted.
            if simplified or in_simplified(string):
                string = convert(string)
            catalogue.add(message.id, string, context=message.context)


def _key(msgid):
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def sources_of(po_path: Path):
    """The files a compiled catalogue is made from."""
    folder = po_path.parent.parent.name
    found = [po_path]
    if folder in TRADITIONAL:
        found += library_catalogues(TRADITIONAL[folder][0]) + library_catalogues("zh_Hans")
    return found


def compile_catalogue(po_path: Path) -> Path:
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle, abort_invalid=True)
    folder = po_path.parent.parent.name
    if folder in TRADITIONAL:
        add_library_words(catalogue, folder)
    mo_path = po_path.with_suffix(".mo")
    partial = mo_path.with_suffix(".mo.part")
    with open(partial, "wb") as handle:
        write_mo(handle, catalogue, use_fuzzy=False)
    partial.replace(mo_path)
    return mo_path


def main(argv: list[str]) -> int:
    everything = "--all" in argv
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        stale = not mo_path.exists() or any(
            mo_path.stat().st_mtime < source.stat().st_mtime for source in sources_of(po_path)
        )
        if everything or stale:
            compile_catalogue(po_path)
            print(f"compiled {mo_path.relative_to(LOCALE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
