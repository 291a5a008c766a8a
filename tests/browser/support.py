"""What the browser tests share besides fixtures (those are in conftest.py): where Chromium is, the
console watcher, the journeys' world (an area, its coordinator, a live server in one language) and the
small moves every journey makes (click and wait, submit, read the banner and the error summary)."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.people.models import User
from casserole import texts
from casserole.models import PostcodeCentroid
from tests.browser.axe import AXE_PATH
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.onboarding import cover_e8

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


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing() -> list[str]:
    """What the browser suite needs and this machine lacks, each with how to get it."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    if not AXE_PATH.exists():
        problems.append("node_modules/axe-core is missing (run `npm ci`)")
    if not STYLESHEET.exists():
        problems.append("static_build/css/main.css is missing (run `make assets`)")
    return problems


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
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || ""}:${event.lineNumber || ""}`;
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"} at ${where}`);
});
"""


def session_cookie(user, *, verified: bool = True) -> str:
    """A session for `user` in the live server's database (past the second factor when `verified`
    and the user has a confirmed device)."""
    if verified:
        client = verified_client(user)
    else:
        client = Client()
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# The journeys' world ------------------------------------------------------------------------------------


@dataclass
class World:
    """One journey in one language: `data` is the test's table entry for that language (the cook or
    the diner, as typed and as shown), `referrer` a referrer in the area when the journey needs one."""

    lang: str
    data: dict
    coordinator: User
    base: str  # the live server and the language prefix
    referrer: User | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def path(self, path: str) -> str:
        return f"/{self.lang}{path}"


OUTSIDE_EVERY_AREA = (
    ("GB", "SW1A", "51.501000", "-0.141000", "Westminster"),
    ("JP", "060", "43.064000", "141.347000", "札幌"),
)


def make_world(request, lang: str, data: dict, *, with_referrer: bool = False, ja_postcodes: str = "154") -> World:
    """English runs in area A (UK, E8) with its coordinator (and the referrer persona); Japanese in
    area B (Japan, `ja_postcodes`) with its own coordinator (and a Japanese referrer). The offline
    geocoder knows where E8 and 154 are, and SW1A and 060 (Sapporo), real places no club covers (so a
    postcode there is "no club near you yet"); nothing else (so ZZ9 9ZZ and 999-9999 are unrecognised)."""
    request.getfixturevalue("settings").GEOCODER = "offline"
    for country, prefix, latitude, longitude, place in OUTSIDE_EVERY_AREA:
        PostcodeCentroid.objects.get_or_create(
            country=country,
            prefix=prefix,
            defaults={"latitude": latitude, "longitude": longitude, "place_name": place},
        )
    referrer = None
    if lang == "en":
        cover_e8(request.getfixturevalue("area_a"))
        coordinator = request.getfixturevalue("coordinator_a")
        if with_referrer:
            referrer = request.getfixturevalue("referrer")
    else:
        area = request.getfixturevalue("area_b")
        area.postcode_prefixes = ja_postcodes
        area.save(update_fields=["postcode_prefixes"])
        PostcodeCentroid.objects.get_or_create(
            country="JP",
            prefix="154",
            defaults={"latitude": "35.643000", "longitude": "139.668000", "place_name": "世田谷"},
        )
        coordinator = request.getfixturevalue("coordinator_b")
        if with_referrer:
            referrer = UserFactory(
                full_name="佐藤 恵子",
                email="keiko@example.jp",
                is_referrer=True,
                home_area=area,
                preferred_language="ja",
            )
    live_server = request.getfixturevalue("live_server")
    return World(lang=lang, data=data, coordinator=coordinator, referrer=referrer, base=f"{live_server.url}/{lang}")


def t(lang: str, message: str, **values) -> str:
    """`message` as the server shows it in `lang` (the test passes before and after translation)."""
    with translation.override(lang):
        # Inside the override: a name with an honorific (casserole.names) adds さん only in Japanese.
        text = translation.gettext(message)
        return text % {key: str(value) for key, value in values.items()} if values else text


# Moves on a page --------------------------------------------------------------------------------------


def url_path(page) -> str:
    """The path of the page's current URL (no scheme, host or query)."""
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def click(page, selector: str):
    """Click the first match and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def submit_main_form(page):
    """Press the submit button of the page's (first) form in <main>: "Continue", "Save" and the like."""
    click(page, "main form button[type=submit]")


def submit_form(page, field: str):
    """Submit the form holding `field` with its (first) submit button."""
    click(page, f"form:has({field}) [type=submit]")


def banner(page) -> str:
    """Every banner's text (a referrer's pages have an "acting for" banner above the messages)."""
    return "\n".join(page.locator(".govuk-notification-banner").all_inner_texts())


def summary_links(page) -> set[str]:
    """Where the error summary's links point (the fields in error)."""
    links = page.locator(".govuk-error-summary a")
    return {links.nth(i).get_attribute("href") for i in range(links.count())}


def fill_date(page, name: str, day, *, full_width: bool = False):
    """Type `day` into the day, month and year boxes of the date field `name` (in full-width digits,
    as a Japanese keyboard types them, with `full_width`)."""

    def digits(number: int) -> str:
        text = str(number)
        return text.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if full_width else text

    page.fill(f'input[name="{name}_day"]', digits(day.day))
    page.fill(f'input[name="{name}_month"]', digits(day.month))
    page.fill(f'input[name="{name}_year"]', digits(day.year))


# Email ------------------------------------------------------------------------------------------------


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


def switch_user(page, server_url: str, user, *, verified: bool = True) -> None:
    """The tab signed in as `user` from now on: a second persona at the same language and width in one
    test (open_page gives one tab per language and width)."""
    page.context.clear_cookies()
    cookie = session_cookie(user, verified=verified)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server_url}])


# Text messages ----------------------------------------------------------------------------------------


def texts_to(number: str) -> list[str]:
    """The bodies of the texts sent to `number` (E.164) so far, oldest first (casserole.texts' test outbox)."""
    return [text["body"] for text in texts.outbox if text["to"] == number]
