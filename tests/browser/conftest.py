"""Browser tests: Debian's Chromium driven by Playwright (no pytest-playwright plugin), pages served by
pytest-django's live server and checked with axe-core and with the checks axe cannot make.

Without Chromium, axe-core or the compiled stylesheet the suite is skipped with the reason, except in
CI (CI=true), where it fails instead: a browser suite that silently skips proves nothing."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.browser.axe import AXE_PATH

CHROMIUM = Path("/usr/bin/chromium")
STYLESHEET = Path(__file__).resolve().parents[2] / "static_build" / "css" / "main.css"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_DIR = Path(__file__).resolve().parent
LANGS = ("en", "ja")
WIDTHS = (390, 1280)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing() -> list[str]:
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    if not AXE_PATH.exists():
        problems.append("node_modules/axe-core is missing (run `npm ci`)")
    if not STYLESHEET.exists():
        problems.append("static_build/css/main.css is missing (run `make assets`)")
    return problems


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected test, not only this folder's.
    browser_items = [item for item in items if BROWSER_DIR in Path(str(item.path)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    problems = _missing()
    if problems and not _in_ci():
        skip = pytest.mark.skip(reason="browser suite skipped: " + "; ".join(problems))
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole browser suite; each test opens its own contexts."""
    problems = _missing()
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


class ConsoleLog:
    """Console errors, uncaught exceptions and CSP violations of one page. A page must log none;
    a non-200 page's own status line ("Failed to load resource" for its URL) is expected."""

    def __init__(self, page):
        self.entries: list[str] = []
        self.expected_failures: set[str] = set()
        self._page = page
        self._handlers = {
            "console": self._on_console,
            "pageerror": self._on_page_error,
            "requestfailed": self._on_request_failed,
        }
        for event, handler in self._handlers.items():
            page.on(event, handler)

    def detach(self):
        for event, handler in self._handlers.items():
            self._page.remove_listener(event, handler)

    def _on_page_error(self, error):
        self.entries.append(f"uncaught exception: {error}")

    def _on_console(self, message):
        if message.type not in ("error", "assert"):
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and url in self.expected_failures:
            return
        self.entries.append(f"console {message.type}: {message.text} ({url})")

    def _on_request_failed(self, request):
        # Navigations cancelled by the next navigation are not failures of the page.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        self.entries.append(f"request failed: {request.url} ({request.failure})")

    def problems(self) -> list[str]:
        problems, self.entries = self.entries, []
        return problems


# Records CSP violations even if the browser stops logging them to the console.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || ""}:${event.lineNumber || ""}`;
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"} at ${where}`);
});
"""


def session_cookie(user, *, verified: bool = True) -> str:
    """A session for `user` in the live server's database (past the second factor when `verified`
    and the user has a confirmed device)."""
    from tests.conftest import verified_client

    if verified:
        client = verified_client(user)
    else:
        client = Client()
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


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
            context.add_init_script(_CSP_LISTENER)
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


def url_path(page) -> str:
    """The path of the page's current URL (no scheme, host or query)."""
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def last_email_to(address: str):
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no email to {address}; outbox has {[(m.to, m.subject) for m in mail.outbox]}"
    return messages[-1]


def link_in(message, pattern: str) -> str:
    """The first URL in the email's text (or HTML) body whose path matches `pattern`."""
    bodies = [message.body] + [content for content, _ in getattr(message, "alternatives", [])]
    for body in bodies:
        for url in re.findall(r"https?://[^\s\"'<>]+", body):
            if re.search(pattern, url):
                return url
    raise AssertionError(f"no link matching {pattern!r} in email {message.subject!r}:\n{message.body}")
