"""The shared corpus of real texts (../shared/corpus/, beside the project; its README says what
each set holds), as the evaluation commands read it: where it is, its sets, and a text's body
as the importer would store it."""

import json
from pathlib import Path

from django.conf import settings


def corpus_dir():
    return Path(settings.BASE_DIR).parent / "shared" / "corpus"


def read_sets(directory=None):
    """{set name: [record, ...]} of every *.jsonl file in the folder (the corpus by default);
    FileNotFoundError when there is none."""
    directory = Path(directory or corpus_dir())
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no *.jsonl in {directory}")
    return {
        path.stem: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for path in files
    }


def stored_body(text):
    """The body the importer would store for a message of the corpus (boilerplate apart)."""
    from sources.importer import Refused, read_fields

    try:
        return read_fields(f"---\ntitle: message\n---\n{text}\n".encode())[0].body
    except Refused:
        return text
