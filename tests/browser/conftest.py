"""What every browser test needs: Debian's chromium through Playwright, and the desk's roles.

The browser is Debian's chromium headless shell when it is installed (`chromium-headless-shell`,
built from the same Chromium release: its Blink, V8 and network stack without the full
browser; Chrome's "old headless" mode, the one Playwright's own Chromium uses for headless
work), else the full `chromium` in its headless mode. A new browser context, which most tests open, costs about a
quarter of the CPU time in the shell: the browser tests took 41–50 s of chromium's CPU time
instead of 81–90 s (`-p tests.browser.chromium_cpu` prints it), and passed in both.

Browser tests use a live server, hence a transactional database, which Django empties after
each test, data migrations included; the roles are put back before each test."""

import os
from pathlib import Path

import pytest

CHROMIUMS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
CHROMIUM = next((path for path in CHROMIUMS if Path(path).exists()), CHROMIUMS[-1])
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def desk_roles(desk_groups):
    """The desk's groups, put back after the live server's flush of the test before."""


@pytest.fixture(scope="package")
def _package_chromium():
    """One headless chromium for the browser tests that run one after another on a worker
    (`make test` hands out a test file at a time). Without chromium the tests are
    skipped, except in CI.

    Playwright's sync API runs an event loop in this thread for as long as it is started;
    Django's ORM refuses to run beside one unless told it is safe (it is: the loop is
    Playwright's, not ours), so the permission lasts exactly as long as the browser."""
    if not Path(CHROMIUM).exists():
        reason = (
            f"{CHROMIUM} is missing (install it with: "
            "apt-get install -y chromium-headless-shell, or chromium)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def chromium(_package_chromium):
    """The headless chromium, with no page of an earlier test left open: each test opens its
    own contexts (cookies, storage), which are closed after it."""
    yield _package_chromium
    for context in _package_chromium.contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
