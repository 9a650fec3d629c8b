"""Browser tests: Playwright for Python driving the system's Chromium against the
live test server. CI sets HOTLINE_REQUIRE_BROWSER=1, so a missing browser fails there
instead of skipping."""

import importlib
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# No background traffic: hotline offices run on closed networks, and so does CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("HOTLINE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (Debian package chromium)")
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    # Importing every view (charts, the API) takes seconds on a busy machine: done here,
    # not inside the first page's load and its timeout.
    importlib.import_module(settings.ROOT_URLCONF)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` → a fresh page (own cookies) on the live server, in Chinese."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        # The pages ask "are you sure?" before some actions; the tests answer yes.
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(new_page):
    """``sign_in(username)`` → a page signed in as that user (test password)."""

    def open_as(username: str, password: str = "pass-for-tests-1"):
        page = new_page()
        page.goto("/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    return open_as


def screenshot(page, name: str) -> None:
    """Saves docs/screenshots/<name>.png when HOTLINE_SCREENSHOTS=1 (README's pictures)."""
    if os.environ.get("HOTLINE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def submit(page, button):
    """Clicks a button that posts a form and waits for the page that answers."""
    with page.expect_navigation():
        button.click()
