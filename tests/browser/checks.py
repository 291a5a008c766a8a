"""The checks axe cannot make, run on every page the browser suite visits, and `audit()`, which runs
axe and these checks together and fails with one message listing every problem found."""

import re
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from accounts.people.models import Area
from tests.browser.axe import format_violations, run_axe

HTML_LANG = {"en": "en-GB", "ja": "ja"}
FOCUS_STEPS = 6
_CHECKS_JS = (Path(__file__).resolve().parent / "checks.js").read_text(encoding="utf-8")


def _run(page, check: str, arg=None):
    """Call one function of checks.js in the page."""
    return page.evaluate(f"(arg) => ({_CHECKS_JS}).{check}(arg)", arg)


def static_problems(page, lang: str) -> list[str]:
    return _run(page, "staticProblems", HTML_LANG[lang])


# What a Japanese page must never show (issue 19): the UK help line, an honorific after a space or twice,
# a stand-in for a name (料理ボランティア, だれか) addressed as if it were one, and the words
# docs/glossary.md retired. tests/test_japanese_catalogue.py guards the catalogue itself (no さん after a
# placeholder: names come addressed by casserole.names); this catches what code and templates put together.
JAPANESE_NEVER = (
    (re.compile(r"0300 ?123 ?4567|\+44"), "the UK help line"),
    (re.compile(r"[ \u3000](さん|様)(?![A-Za-z])"), "a space before さん or 様"),
    (re.compile(r"さんさん|様様|さん様|様さん"), "an honorific twice"),
    (re.compile(r"お年寄り|紹介者|英国|あなたの|よくできました"), "a retired word (docs/glossary.md)"),
    (re.compile(r"(料理ボランティア|コーディネーター|だれか)(さん|様)"), "a stand-in for a name given an honorific"),
)


def japanese_problems(page) -> list[str]:
    text = page.inner_text("body")
    problems = []
    # Without a club in Japan there is no Japanese line to show, and the service's own line stands in.
    has_japanese_club = Area.objects.filter(country="JP").exists()
    for pattern, what in JAPANESE_NEVER[int(not has_japanese_club) :]:
        found = pattern.search(text)
        if found:
            start = max(found.start() - 20, 0)
            problems.append(f"{what} on a Japanese page: …{text[start : found.end() + 20]}…")
    return problems


def focus_problems(page, *, from_page_start: bool) -> list[str]:
    """Tab through the first few focusable elements; each must show a focus outline or shadow.
    From a fresh page load the first Tab must land on the skip link."""
    problems = []
    # A success banner or an error summary takes focus when the page opens (GOV.UK pattern); the
    # first Tab then starts from there. The static check still makes sure the skip link is first.
    from_page_start = from_page_start and page.evaluate(
        "() => !document.activeElement || document.activeElement === document.body"
    )
    nothing = 0
    for step in range(FOCUS_STEPS):
        page.keyboard.press("Tab")
        info = _run(page, "focusStep")
        if info is None:
            # Past the last element focus leaves the page once, then wraps round to the top.
            nothing += 1
            if step == 0 or nothing > 1:
                problems.append(f"Tab {step + 1} focused nothing on the page")
                break
            continue
        nothing = 0
        if step == 0 and from_page_start and not info["skipLink"]:
            problems.append(f"the first Tab focused {info['element']}, not the skip link")
        if not info["indicator"]:
            problems.append(f"no visible focus indicator (outline or box-shadow) on {info['element']}")
    return problems


def sideways_problems(page, width: int | None = None) -> list[str]:
    """No horizontal scrolling at the current width, or at `width` (the viewport is resized)."""
    if width is not None:
        page.set_viewport_size({"width": width, "height": 800})
    problem = _run(page, "sideways")
    return [f"at {width or page.viewport_size['width']}px wide, {problem}"] if problem else []


def error_summary_problems(page, lang: str) -> list[str]:
    """After a form with errors: the summary exists and has focus, every link leads to a field that
    exists and repeats an inline message, and the title starts with "Error:" in the page's language."""
    from django.utils import translation

    if page.query_selector(".govuk-error-summary"):
        # govuk-frontend's ErrorSummary moves focus when its module starts; give it a moment.
        with suppress(PlaywrightTimeoutError):  # reported below, with what has focus instead
            page.wait_for_function(
                "() => document.querySelector('.govuk-error-summary').contains(document.activeElement)", timeout=3000
            )
    info = _run(page, "errorSummary")
    if info is None:
        return ["no error summary (.govuk-error-summary) on a page with form errors"]
    problems = []
    if not info["focused"]:
        problems.append(f"focus is on {info['active']}, not inside the error summary")
    if not info["links"]:
        problems.append("the error summary has no links")
    for link in info["links"]:
        if not link["exists"]:
            problems.append(f"error summary link {link['href']} ({link['text']!r}) points at no element")
        elif not link["control"]:
            problems.append(f"error summary link {link['href']} ({link['text']!r}) does not point at a field")
        if not any(link["text"] in message for message in info["inline"]):
            problems.append(f"error {link['text']!r} is in the summary but not shown next to the field")
    with translation.override(lang):
        prefix = translation.gettext("Error:")
    if not info["title"].startswith(prefix):
        problems.append(f"title {info['title']!r} does not start with {prefix!r}")
    return problems


def audit(
    page,
    *,
    lang: str,
    console=None,
    from_page_start: bool = True,
    also_width: int | None = None,
    extra: list[str] | None = None,
) -> None:
    """Run axe and every extra check on the page as it is now, then fail listing all problems.
    `console` is the page's ConsoleLog; `also_width` re-checks sideways scrolling at that width last."""
    problems = list(extra or [])
    violations = run_axe(page)
    problems += static_problems(page, lang)
    if lang == "ja":
        problems += japanese_problems(page)
    problems += focus_problems(page, from_page_start=from_page_start)
    # Tabbing round ends on the skip link, which shows while focused and moves the page down: leave
    # nothing focused, so the test's next click lands where it aims.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    problems += sideways_problems(page)
    if also_width:
        problems += sideways_problems(page, also_width)
    if console is not None:
        problems += console.problems()
    message = []
    if violations:
        message.append(f"{len(violations)} axe violation(s):\n" + format_violations(violations))
    if problems:
        message.append(f"{len(problems)} other problem(s):\n" + "\n".join(f"  - {p}" for p in problems))
    assert not message, f"{page.url}\n" + "\n".join(message)
