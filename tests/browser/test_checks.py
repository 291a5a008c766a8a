"""The suite's own checks catch what they claim to: a deliberately bad page fails each of them, and a
good one passes. Without this a check that silently passes everything would go unnoticed."""

import pytest

from tests.browser.axe import run_axe
from tests.browser.checks import error_summary_problems, focus_problems, sideways_problems, static_problems

BAD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Bad</title>
<style>
  body { font-size: 19px; margin: 0; }
  a:focus, button:focus, input:focus { outline: none; }
  .tiny { font-size: 12px; }
  .wide { width: 600px; }
  .clicky { cursor: pointer; }
</style></head>
<body>
  <a href="/somewhere">First link</a>
  <a href="#main" class="govuk-skip-link">Skip</a>
  <main id="main">
    <h1>One</h1><h1>Two</h1>
    <input id="search" type="text" placeholder="Search">
    <label for="code">Code</label><input id="code" type="text">
    <button type="button">Go</button>
    <div class="clicky">Click me</div>
    <span onclick="void 0">Me too</span>
    <p class="tiny">Small print</p>
    <div class="wide">Too wide</div>
  </main>
  <script>document.getElementById("code").addEventListener("paste", (e) => e.preventDefault());</script>
</body></html>"""

GOOD_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head><title>Good</title>
<style>
  body { font-size: 19px; margin: 0 8px; }
  input, button { font-size: 19px; }
  a:focus, input:focus, button:focus { outline: 3px solid #fd0; box-shadow: 0 0 0 5px #0b0c0c; }
  .visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
    overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important; font-size: 10px; }
</style></head>
<body>
  <a href="#main" class="govuk-skip-link">Skip</a>
  <main id="main">
    <h1>One</h1>
    <label for="name">Name</label><input id="name" type="text" autocomplete="name">
    <a href="/a">A link<span class="visually-hidden"> with hidden small text</span></a>
    <button type="button">Go</button>
  </main>
</body></html>"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_extra_checks_catch_a_bad_page(blank_page):
    blank_page.set_content(BAD_PAGE)
    problems = "\n".join(static_problems(blank_page, "ja"))

    assert '<html lang="en">, expected "ja"' in problems
    assert "2 <h1> elements" in problems
    assert 'input#search[type="text"] has no visible label (only a placeholder: "Search")' in problems
    assert "paste is blocked on input#code" in problems
    assert "clickable non-control div.clicky" in problems
    assert "clickable non-control span" in problems and "onclick" in problems
    assert "text smaller than 16px" in problems and "12px p.tiny" in problems
    assert "first focusable element is a" in problems and "not the skip link" in problems

    focus = "\n".join(focus_problems(blank_page, from_page_start=True))
    assert "the first Tab focused a" in focus
    assert "no visible focus indicator" in focus

    assert sideways_problems(blank_page)[0].startswith("at 390px wide, page scrolls sideways")
    assert "div.wide" in sideways_problems(blank_page, 320)[0]

    assert error_summary_problems(blank_page, "en") == [
        "no error summary (.govuk-error-summary) on a page with form errors"
    ]
    violations = run_axe(blank_page)  # content outside landmarks, at least
    assert violations and all(v["id"] and v["help"] and v["nodes"][0]["target"] for v in violations)


def test_extra_checks_pass_a_good_page(blank_page):
    blank_page.set_content(GOOD_PAGE)

    assert static_problems(blank_page, "ja") == []
    assert focus_problems(blank_page, from_page_start=True) == []
    assert sideways_problems(blank_page, 320) == []
    assert run_axe(blank_page) == []
