"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded (never `playwright install`): the tests use /usr/bin/chromium and fail – not skip –
when it or axe-core is missing, so a broken setup cannot pass as green.
"""

import io
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; without this Django's ORM refuses to run here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .axe import AXE_PATH, assert_accessible  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000
TEST_PASSWORD = "webblasare-test-2026"


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium saknas: {CHROMIUM} finns inte eller är inte körbar. Installera Debians paket "
            "(apt-get install chromium); webbläsartesterna laddar aldrig ner någon webbläsare.",
            pytrace=False,
        )
    if not AXE_PATH.exists():
        pytest.fail(
            f"axe-core saknas: {AXE_PATH} finns inte. Kör `npm ci` (eller `make test-setup`) i projektkatalogen.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra is installed in every test environment
        pytest.fail(
            "Python-paketet playwright saknas: installera testberoendena (pip install -e '.[test]').", pytrace=False
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The live server with the demo data loaded: real bodies, six subregions, 49 municipalities, demo users."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    return live_server


def sign_in(page, live_server, username: str, password: str = TEST_PASSWORD) -> None:
    """Give a demo user a known password (seed_demo sets none outside DEBUG) and sign in through the real form."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    user.set_password(password)
    user.save()
    page.goto(f"{live_server.url}/logga-in/")
    page.locator("input[name='username']").fill(username)
    page.locator("input[name='password']").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()
    # Signed in: the header offers "Logga ut" instead of the sign-in link.
    page.get_by_role("button", name="Logga ut").wait_for()


@pytest.fixture
def login():
    """`login(page, live_server, username)` – sign a demo user in through /logga-in/."""
    return sign_in


@pytest.fixture
def accessible():
    """`accessible(page)` – fail on any axe-core WCAG 2.1 A/AA violation on the current page."""
    return assert_accessible
