"""Hypothesis settings for the property tests (tests/test_schemathesis.py,
tests/test_form_fuzz.py): a number of examples read from the environment (`make test` runs a
few, CI many), the same examples on every run, no deadline and no example database."""

import os

from hypothesis import HealthCheck, settings


def bounded(variable, default):
    """(examples, settings) for `variable` in the environment, else `default` examples."""
    examples = int(os.environ.get(variable, default))
    return examples, settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
