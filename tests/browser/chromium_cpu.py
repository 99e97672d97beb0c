"""How much CPU time chromium spends on each browser test: a pytest plugin, off by default.

    .venv/bin/python -m pytest -m browser tests/browser -p tests.browser.chromium_cpu

Chromium's processes are not the test process's children that it waits for, so `time` and
pytest's durations leave them out. Around each test this sums the user and system time of
every process whose name starts with "chrom" (and of the children they reaped) from /proc,
and prints a line per test and the total: chromium's time beside the test process's own.
A test in which the browser closed (its processes gone) is left out of the total."""

import os
import resource
import time

import pytest

TICKS = os.sysconf("SC_CLK_TCK")
_rows = []


def chromium_seconds():
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                line = stat.read()
        except OSError:  # gone meanwhile
            continue
        name, fields = line[line.index("(") + 1 : line.rindex(")")], line.rsplit(")", 1)[1].split()
        if name.startswith("chrom"):
            total += sum(int(value) for value in fields[11:15]) / TICKS
    return total


def _own_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    chromium, own, started = chromium_seconds(), _own_seconds(), time.monotonic()
    yield
    _rows.append(
        (
            chromium_seconds() - chromium,
            _own_seconds() - own,
            time.monotonic() - started,
            item.nodeid,
        )
    )


def pytest_terminal_summary(terminalreporter):
    if not _rows:
        return
    write = terminalreporter.write_line
    write("chromium CPU s   test CPU s   wall s   test")
    for chromium, own, wall, nodeid in _rows:
        write(f"{chromium:14.2f} {own:12.2f} {wall:8.2f}   {nodeid}")
    kept = [row for row in _rows if row[0] >= 0]
    write(
        f"{sum(r[0] for r in kept):14.2f} {sum(r[1] for r in kept):12.2f} "
        f"{sum(r[2] for r in kept):8.2f}   total over {len(kept)} of {len(_rows)} tests"
    )
