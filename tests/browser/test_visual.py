"""What a person sees and axe does not check, measured in the browser from computed styles and
geometry: tags and task statuses keep Japanese words whole (no 「未開／始」), the header's links and its
"Sign out" button look alike, the language switcher's two items share a baseline, and a session that
still owes its second-factor code is offered no page it cannot open yet. Every page is audited too."""

import pytest

from tests.browser.checks import audit
from tests.browser.support import LANGS, WIDTHS, t
from tests.factories import UserFactory, loaded_course
from tests.onboarding import cover_e8, make_profile, photo_check
from training.models import Lesson
from training.services import complete_lesson

STEPS_PAGE = "/account/cook/"

# Where each character of an element's text sits: the text, its line count, the offsets where a new
# line starts, and the word boundaries the browser's own segmenter finds in the page's language
# (a line may start only at one of those). Characters without a box (collapsed spaces) are skipped.
TEXT_LINES_JS = """
(el) => {
  const lang = el.closest("[lang]").getAttribute("lang");
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let text = "", lines = 0, lastTop = null, node;
  const breaks = [];
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = [...range.getClientRects()].find((r) => r.width > 0 && r.height > 0);
      if (box) {
        if (lastTop === null || box.top > lastTop + box.height / 2) {
          if (lastTop !== null) breaks.push(text.length);
          lines += 1;
          lastTop = box.top;
        }
      }
      text += node.data[i];
    }
  }
  const words = [...new Intl.Segmenter(lang, { granularity: "word" }).segment(text)].map((s) => s.index);
  const box = el.getBoundingClientRect();
  const parent = el.parentElement.getBoundingClientRect();
  return {
    text: text.trim(),
    lines,
    midWord: breaks.filter((at) => !words.includes(at)).map((at) => text.slice(0, at) + "／" + text.slice(at)),
    overflows: box.left < parent.left - 1 || box.right > parent.right + 1 || box.right > window.innerWidth,
  };
}
"""

# The baseline of an element's first line of text: a zero-size inline-block put at the end of its
# text sits with its bottom edge on the baseline. Styled through the CSSOM, which the CSP allows.
BASELINE_JS = """
(el) => {
  const probe = document.createElement("span");
  probe.style.display = "inline-block";
  probe.style.width = "0";
  probe.style.height = "0";
  el.appendChild(probe);
  const baseline = probe.getBoundingClientRect().bottom;
  probe.remove();
  return baseline;
}
"""

# How an element looks, as computed: what must match between the menu's links and its button.
LOOK = ["fontSize", "fontWeight", "fontFamily", "fontStyle", "color", "backgroundColor", "textDecorationLine"]
FOCUS_LOOK = [*LOOK, "outlineStyle", "outlineWidth", "boxShadow"]
STYLE_JS = "(el, names) => { const s = getComputedStyle(el); return Object.fromEntries(names.map((n) => [n, s[n]])); }"
FOCUSED_STYLE_JS = f"(el, names) => {{ el.focus(); const look = ({STYLE_JS})(el, names); el.blur(); return look; }}"

ACCOUNT_LINK = '.govuk-service-navigation__list a[href$="/account/"]'
SIGN_OUT = '.govuk-service-navigation__list form[action$="/accounts/logout/"] button'
COORDINATOR_HOME = '.govuk-service-navigation__list a[href$="/coordinator/"]'


def _text_lines(page, selector: str) -> list[dict]:
    """TEXT_LINES_JS for every element matching `selector`, each named by its id or its text."""
    found = []
    for element in page.locator(selector).element_handles():
        info = element.evaluate(TEXT_LINES_JS)
        found.append({**info, "name": element.get_attribute("id") or info["text"]})
    return found


def _whole_words_problems(found: list[dict], *, one_line: bool) -> list[str]:
    problems = []
    for info in found:
        if info["midWord"]:
            problems.append(f"{info['name']!r} breaks inside a word: {info['midWord']}")
        if info["overflows"]:
            problems.append(f"{info['name']!r} sticks out of its column or the page")
        if one_line and info["lines"] != 1:
            problems.append(f"{info['name']!r} takes {info['lines']} lines, not 1")
    return problems


@pytest.fixture
def new_cook(db):
    """A cook as sign-up leaves them (email confirmed): profile and course not started, identity and
    approval cannot start yet. The course is loaded, so its step shows a tag too."""
    loaded_course()
    return UserFactory(full_name="山田 花子", email="hanako@example.jp", is_cook=True, preferred_language="ja")


@pytest.mark.parametrize("lang", LANGS)
def test_the_steps_page_keeps_each_status_tag_whole(live_server, open_page, new_cook, lang):
    for width in WIDTHS:
        page, console = open_page(lang=lang, width=width, user=new_cook)
        page.goto(f"{live_server.url}/{lang}{STEPS_PAGE}")
        tags = _text_lines(page, "#cook-steps .govuk-tag")
        assert [tag["text"] for tag in tags] == [t(lang, "Not started")] * 2, tags
        # 「未開始」 on one line at every width. "Not started" too from tablet width; on a phone the
        # task list keeps its status column narrow (govuk's design), so it may wrap, between words.
        problems = _whole_words_problems(tags, one_line=lang == "ja" or width >= 1280)
        # The statuses without a tag ("Cannot start yet") break, if at all, only between words.
        problems += _whole_words_problems(_text_lines(page, "#cook-steps .govuk-task-list__status"), one_line=False)
        audit(page, lang=lang, console=console, also_width=320 if width == 390 else None, extra=problems)


@pytest.mark.parametrize("lang", LANGS)
def test_longer_tags_wrap_only_between_words_and_stay_inside_the_page(
    live_server, open_page, settings, area_a, new_cook, lang
):
    # Further on: the profile saved, a photo waiting for a coordinator, one lesson read.
    settings.GEOCODER = "offline"
    cover_e8(area_a)
    make_profile(new_cook)
    photo_check(new_cook)
    complete_lesson(user=new_cook, lesson=Lesson.objects.order_by("pk").first())
    expected = [t(lang, "Waiting for a coordinator"), t(lang, "In progress")]

    for width in (320, *WIDTHS):
        page, console = open_page(lang=lang, width=width, user=new_cook)
        page.goto(f"{live_server.url}/{lang}{STEPS_PAGE}")
        tags = _text_lines(page, "#cook-steps .govuk-tag")
        assert [tag["text"] for tag in tags] == expected, tags
        # A long tag may take two lines (the task list keeps its status column narrow, and govuk caps
        # an English tag at 160 px), but only between words; a short one is on one line (in English,
        # from tablet width: see the test above).
        problems = _whole_words_problems(tags[:1], one_line=False)
        problems += _whole_words_problems(tags[1:], one_line=lang == "ja" or width >= 1280)
        problems += _whole_words_problems(_text_lines(page, "#cook-steps .govuk-task-list__status"), one_line=False)
        audit(page, lang=lang, console=console, extra=problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_headers_links_and_sign_out_button_look_alike(live_server, open_page, new_cook, lang):
    for width in WIDTHS:
        page, console = open_page(lang=lang, width=width, user=new_cook)
        page.goto(f"{live_server.url}/{lang}/account/")
        link, button = page.locator(ACCOUNT_LINK), page.locator(SIGN_OUT)
        assert link.inner_text() == t(lang, "Your account") and button.inner_text() == t(lang, "Sign out")

        assert link.evaluate(STYLE_JS, LOOK) == button.evaluate(STYLE_JS, LOOK), "at rest"
        assert link.evaluate(FOCUSED_STYLE_JS, FOCUS_LOOK) == button.evaluate(FOCUSED_STYLE_JS, FOCUS_LOOK), (
            "with keyboard focus"
        )
        link.hover()
        hovered_link = link.evaluate(STYLE_JS, LOOK)
        button.hover()
        assert hovered_link == button.evaluate(STYLE_JS, LOOK), "under the pointer"
        page.mouse.move(0, 0)
        link_box, button_box = link.bounding_box(), button.bounding_box()
        assert abs(link_box["height"] - button_box["height"]) <= 1, (link_box, button_box)
        assert min(link_box["height"], button_box["height"]) >= 44, "targets of at least 44 px"
        if width >= 1280:
            # Side by side on a wide screen: one row, one baseline.
            assert abs(link.evaluate(BASELINE_JS) - button.evaluate(BASELINE_JS)) <= 1
        page.reload()  # the audit's first Tab starts from the top of a fresh page
        audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_switchers_two_items_share_a_baseline(live_server, open_page, new_cook, lang):
    for width in WIDTHS:
        page, console = open_page(lang=lang, width=width, user=new_cook)
        page.goto(f"{live_server.url}/{lang}/account/")
        items = page.locator(".govuk-language-navigation__list-item > :is(a, span)")
        assert items.all_inner_texts() == ["English", "日本語"]
        current = page.locator('.govuk-language-navigation [aria-current="true"]')
        assert current.inner_text() == {"en": "English", "ja": "日本語"}[lang]
        english, japanese = (items.nth(i).evaluate(BASELINE_JS) for i in range(2))
        assert abs(english - japanese) <= 1, f"at {width}px the baselines are {english} and {japanese}"
        assert items.nth(0 if lang == "ja" else 1).bounding_box()["height"] >= 44, "the link is a 44 px target"
        audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", LANGS)
def test_before_the_code_the_header_offers_only_signing_out(live_server, open_page, coordinator_a, lang):
    code_page = f"{live_server.url}/{lang}/account/two-factor/"

    page, console = open_page(lang=lang, width=390, user=coordinator_a, verified=False)
    page.goto(code_page)
    assert page.url == code_page, "a coordinator who has not given the code is kept on the code page"
    assert page.locator(COORDINATOR_HOME).count() == 0, "no 'Coordinator home' before the code"
    assert page.locator(ACCOUNT_LINK).count() == 0, "no 'Your account' before the code"
    assert page.locator(SIGN_OUT).inner_text() == t(lang, "Sign out")
    audit(page, lang=lang, console=console)

    verified, verified_console = open_page(lang=lang, width=1280, user=coordinator_a)
    verified.goto(code_page)
    assert verified.locator(COORDINATOR_HOME).inner_text() == t(lang, "Coordinator home")
    assert verified.locator(ACCOUNT_LINK).inner_text() == t(lang, "Your account")
    audit(verified, lang=lang, console=verified_console)
