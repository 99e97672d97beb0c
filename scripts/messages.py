"""Compile the translation catalogues: every locale/*/LC_MESSAGES/django.po to its django.mo.

`make install` runs it (the .mo files are built, not committed), with Babel rather than GNU
gettext's msgfmt, so that a fresh machine needs nothing beyond Python. Fuzzy entries are left
out, as msgfmt does. Only catalogues older than their .po are written, unless --all.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogue(po_path: Path) -> Path:
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle, abort_invalid=True)
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
        if everything or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            compile_catalogue(po_path)
            print(f"compiled {mo_path.relative_to(LOCALE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
