"""The checks axe cannot make, run on every page the browser suite visits, and `audit()`, which runs
axe and these checks together and fails with one message listing every problem found."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.axe import format_violations, run_axe

HTML_LANG = {"en": "en-GB", "ja": "ja"}
MIN_FONT_PX = 16
FOCUS_STEPS = 6

# Shared helpers, prepended to each script below.
_JS_HELPERS = r"""
const describe = (el) => {
  if (!el || el.nodeType !== 1) return String(el);
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  const cls = typeof el.className === "string" ? el.className.trim() : "";
  if (cls) s += "." + cls.split(/\s+/).join(".");
  for (const attr of ["name", "type", "href"]) {
    if (el.hasAttribute(attr)) s += `[${attr}="${el.getAttribute(attr)}"]`;
  }
  const text = (el.innerText || el.value || "").trim().replace(/\s+/g, " ");
  if (text) s += ` "${text.slice(0, 40)}"`;
  return s;
};
// Hidden from sight: not rendered, invisible, or clipped away like .govuk-visually-hidden.
const hiddenFromSight = (el) => {
  if (el.getClientRects().length === 0) return true;
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.visibility === "hidden" || cs.display === "none") return true;
    if (cs.clipPath === "inset(50%)") return true;
    if (cs.clip && /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip)) return true;
    const r = e.getBoundingClientRect();
    if (cs.overflow === "hidden" && r.width <= 1 && r.height <= 1) return true;
  }
  return false;
};
const seen = (el) => el && !hiddenFromSight(el) && (el.innerText || el.textContent || "").trim() !== "";
"""

_STATIC_CHECKS = (
    "(expectedLang) => {"
    + _JS_HELPERS
    + r"""
  const problems = [];

  // <html lang> matches the language of the URL.
  const lang = document.documentElement.getAttribute("lang");
  if (lang !== expectedLang) problems.push(`<html lang="${lang}">, expected "${expectedLang}"`);

  // Exactly one <h1>.
  const h1s = [...document.querySelectorAll("h1")];
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements, expected exactly one: ${h1s.map(describe).join(", ")}`);

  // Every field has a visible label: never a placeholder, aria-label or title alone.
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), textarea, select"
  );
  for (const control of controls) {
    const cs = getComputedStyle(control);
    if (control.getClientRects().length === 0 || cs.visibility === "hidden") continue;
    const labels = [...(control.labels || [])].filter(seen);
    const labelledBy = (control.getAttribute("aria-labelledby") || "")
      .split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)).filter(seen);
    if (labels.length === 0 && labelledBy.length === 0) {
      const placeholder = control.getAttribute("placeholder");
      problems.push(`${describe(control)} has no visible label` + (placeholder ? ` (only a placeholder: "${placeholder}")` : ""));
    }
  }

  // Paste is never blocked (password managers and people with tremor rely on it).
  const textInputs = [...document.querySelectorAll("input, textarea")].filter((el) =>
    el.tagName === "TEXTAREA" || ["", "text", "email", "password", "tel", "search", "url", "number"].includes((el.getAttribute("type") || "").toLowerCase())
  ).filter((el) => el.getClientRects().length > 0 && !el.disabled);
  for (const input of textInputs) {
    const data = new DataTransfer();
    data.setData("text/plain", "pasted text");
    const event = new ClipboardEvent("paste", { bubbles: true, cancelable: true, clipboardData: data });
    input.dispatchEvent(event);
    if (event.defaultPrevented) problems.push(`paste is blocked on ${describe(input)}`);
  }

  // No clickable <div>/<span>: anything that acts like a control must be a real one.
  const interactive = "a[href], button, input, label, summary, select, textarea, option";
  for (const el of document.body.querySelectorAll("*")) {
    if (el.matches(interactive) || el.closest(interactive)) continue;
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const reasons = [];
    if (el.hasAttribute("onclick") || typeof el.onclick === "function") reasons.push("has an onclick handler");
    if (getComputedStyle(el).cursor === "pointer") reasons.push("has cursor: pointer");
    const role = el.getAttribute("role");
    if (role === "button" || role === "link") reasons.push(`has role="${role}"`);
    if (reasons.length) problems.push(`clickable non-control ${describe(el)} ${reasons.join(", ")}`);
  }

  // Smallest visible text is at least 16px (body text is 19px in English; checked by the stylesheet).
  const small = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest("script, style, noscript, template, title")) continue;
    if (hiddenFromSight(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < %(min_font)s && !small.has(el)) small.set(el, size);
  }
  for (const el of document.querySelectorAll("input, select, textarea, button")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "checkbox", "radio"].includes(type) || hiddenFromSight(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < %(min_font)s && !small.has(el)) small.set(el, size);
  }
  if (small.size) {
    const samples = [...small.entries()].sort((a, b) => a[1] - b[1]).slice(0, 5);
    problems.push(`text smaller than %(min_font)spx (${small.size} element(s)): ` + samples.map(([el, size]) => `${size}px ${describe(el)}`).join("; "));
  }

  // The skip link is the first thing a keyboard user reaches, and it leads to <main>.
  const focusable = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], iframe, [contenteditable=true]"
  )].filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
  const positive = focusable.filter((el) => el.tabIndex > 0);
  if (positive.length) problems.push(`positive tabindex changes the tab order: ${positive.map(describe).join(", ")}`);
  const first = focusable[0];
  if (!first || !first.matches("a.govuk-skip-link")) {
    problems.push(`first focusable element is ${describe(first)}, not the skip link`);
  } else {
    const target = (first.getAttribute("href") || "").replace(/^#/, "");
    const main = document.getElementById(target);
    if (!main || main.tagName.toLowerCase() !== "main") problems.push(`skip link points at #${target}, which is not the <main> element`);
  }
  return problems;
}"""
).replace("%(min_font)s", str(MIN_FONT_PX))

# Measures the focused element, blurs it, measures again and puts focus back, so the next Tab
# carries on from the same place. GOV.UK draws the focus ring of radios and checkboxes on the
# label's ::before, so labels and pseudo-elements are compared too.
_FOCUS_STEP = (
    "() => {"
    + _JS_HELPERS
    + r"""
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parts = [[el, null], [el, "::before"], [el, "::after"]];
  for (const label of el.labels || []) parts.push([label, null], [label, "::before"], [label, "::after"]);
  const snapshot = () => parts.map(([node, pseudo]) => {
    const cs = getComputedStyle(node, pseudo);
    return { outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
             outlineColor: cs.outlineColor, boxShadow: cs.boxShadow };
  });
  const transparent = (color) => /rgba\([^)]*,\s*0\)$/.test(color) || color === "transparent";
  const outlineSeen = (s) => s.outlineStyle !== "none" && s.outlineWidth >= 1 && !transparent(s.outlineColor);
  const focused = snapshot();
  const skipLink = el.matches("a.govuk-skip-link");
  el.blur();
  const unfocused = snapshot();
  el.focus({ preventScroll: true });
  let indicator = false;
  focused.forEach((f, i) => {
    const u = unfocused[i];
    if (outlineSeen(f) && (!outlineSeen(u) || f.outlineColor !== u.outlineColor || f.outlineWidth !== u.outlineWidth)) indicator = true;
    if (f.boxShadow !== "none" && f.boxShadow !== u.boxShadow) indicator = true;
  });
  return { element: describe(el), indicator, skipLink };
}"""
)

_SIDEWAYS = (
    "() => {"
    + _JS_HELPERS
    + r"""
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !hiddenFromSight(el))
    .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)));
  return `page scrolls sideways: scrollWidth ${root.scrollWidth}px > ${root.clientWidth}px; too wide: ` +
    wide.slice(0, 5).map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`).join("; ");
}"""
)

_ERROR_SUMMARY = r"""() => {
  const summary = document.querySelector(".govuk-error-summary");
  if (!summary) return null;
  const active = document.activeElement;
  const links = [...summary.querySelectorAll("a")].map((a) => {
    const href = a.getAttribute("href") || "";
    const id = href.startsWith("#") ? decodeURIComponent(href.slice(1)) : null;
    const target = id ? document.getElementById(id) : null;
    return { href, text: a.textContent.trim(), exists: !!target,
             control: !!target && target.matches("input, select, textarea, button, .govuk-error-message, [id$=non-field-errors]") };
  });
  const inline = [...document.querySelectorAll(".govuk-error-message")].map((e) => e.textContent.replace(/\s+/g, " "));
  return { focused: summary.contains(active), active: active ? active.tagName + "." + active.className : null,
           links, inline, title: document.title };
}"""


def static_problems(page, lang: str) -> list[str]:
    return page.evaluate(_STATIC_CHECKS, HTML_LANG[lang])


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
        info = page.evaluate(_FOCUS_STEP)
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
    problem = page.evaluate(_SIDEWAYS)
    return [f"at {width or page.viewport_size['width']}px wide, {problem}"] if problem else []


def error_summary_problems(page, lang: str) -> list[str]:
    """After a form with errors: the summary exists and has focus, every link leads to a field that
    exists and repeats an inline message, and the title starts with "Error:" in the page's language."""
    from django.utils import translation

    if page.query_selector(".govuk-error-summary"):
        # govuk-frontend's ErrorSummary moves focus when its module starts; give it a moment.
        try:
            page.wait_for_function(
                "() => document.querySelector('.govuk-error-summary').contains(document.activeElement)", timeout=3000
            )
        except PlaywrightTimeoutError:
            pass  # reported below with what has focus instead
    info = page.evaluate(_ERROR_SUMMARY)
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


def audit(page, *, lang: str, console=None, from_page_start: bool = True, also_width: int | None = None,
          extra: list[str] | None = None) -> None:
    """Run axe and every extra check on the page as it is now, then fail listing all problems.
    `console` is the page's ConsoleLog; `also_width` re-checks sideways scrolling at that width last."""
    problems = list(extra or [])
    violations = run_axe(page)
    problems += static_problems(page, lang)
    problems += focus_problems(page, from_page_start=from_page_start)
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
