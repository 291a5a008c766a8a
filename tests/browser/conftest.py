"""Browser tests: Debian's Chromium driven by Playwright (no pytest-playwright plugin), pages served by
pytest-django's live server and checked with axe-core and with the checks axe cannot make.

Without Chromium, axe-core or the compiled stylesheet the suite is skipped with the reason, except in
CI (CI=true), where it fails instead: a browser suite that silently skips proves nothing."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.support import (
    BROWSER_DIR,
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_LISTENER,
    ConsoleLog,
    in_ci,
    missing,
    session_cookie,
)


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected test, not only this folder's.
    browser_items = [item for item in items if BROWSER_DIR in Path(str(item.path)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    problems = missing()
    if problems and not in_ci():
        skip = pytest.mark.skip(reason="browser suite skipped: " + "; ".join(problems))
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole browser suite; each test opens its own contexts."""
    problems = missing()
    if problems:
        pytest.fail("CI is set, so the browser suite must run: " + "; ".join(problems), pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse
    # database calls from the test (SynchronousOnlyOperation). Only while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_tabs(browser):
    """One browser context and tab per language and width, reused from test to test: a new tab
    costs a renderer process, and the HTTP cache keeps the stylesheet and scripts between pages.
    `open_page` resets the cookies and the viewport for each test."""
    tabs = {}

    def _get(lang: str, width: int):
        key = (lang, width)
        if key not in tabs or tabs[key].is_closed() or not tabs[key].context.pages:
            context = browser.new_context(
                viewport={"width": width, "height": 900},
                locale="ja-JP" if lang == "ja" else "en-GB",
                timezone_id="Asia/Tokyo" if lang == "ja" else "Europe/London",
            )
            context.set_default_timeout(15_000)
            context.add_init_script(CSP_LISTENER)
            tabs[key] = context.new_page()
        return tabs[key]

    yield _get
    for page in tabs.values():
        if not page.is_closed():
            page.context.close()


@pytest.fixture
def open_page(browser_tabs, live_server):
    """`open_page(lang=..., width=..., user=None)` → (page, console): a tab at that width with no
    cookies but, when `user` is given, a session cookie signing them in."""
    opened = []

    def _open(*, lang: str, width: int, user=None, verified: bool = True):
        page = browser_tabs(lang, width)
        assert all(page is not other for other, _ in opened), "one tab per language and width in a test"
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": 900})
        if user is not None:
            cookie = session_cookie(user, verified=verified)
            page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        console = ConsoleLog(page)
        opened.append((page, console))
        return page, console

    yield _open
    from playwright.sync_api import Error as PlaywrightError

    for page, console in opened:
        console.detach()
        try:
            # Leave the tab idle, so nothing of this test reaches the server during the next one.
            page.goto("about:blank")
        except PlaywrightError:
            page.context.close()  # a broken tab is not handed to the next test
