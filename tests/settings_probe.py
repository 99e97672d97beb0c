"""Settings as a fresh process reads them from its environment (newsroom/settings.py reads the
environment once, at import): for tests of what a variable changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_in_a_process(expression, *, unset=(), **env):
    """The JSON value of `expression` (Python over `settings`) in a new process whose
    environment is this one's without the variables `unset`, with `env` added."""
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_SECRET_KEY="x", **env)
    # The settings module alone, without django.setup(): values are all the tests read, and
    # loading every app would take most of the process's second.
    script = f"import json; from django.conf import settings; print(json.dumps({expression}))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=base,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
