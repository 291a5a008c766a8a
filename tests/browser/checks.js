// The browser suite's own checks, for what axe does not test. Evaluated in the page by checks.py:
// this file is one expression whose value is an object of check functions.
(() => {
  const MIN_FONT_PX = 16;

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

  const TEXT_TYPES = ["", "text", "email", "password", "tel", "search", "url", "number"];
  const INTERACTIVE = "a[href], button, input, label, summary, select, textarea, option";
  const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], iframe, [contenteditable=true]";
  const CONTROLS = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), textarea, select";

  function htmlLang(expected) {
    const lang = document.documentElement.getAttribute("lang");
    return lang === expected ? [] : [`<html lang="${lang}">, expected "${expected}"`];
  }

  function oneH1() {
    const h1s = [...document.querySelectorAll("h1")];
    return h1s.length === 1 ? [] : [`${h1s.length} <h1> elements, expected exactly one: ${h1s.map(describe).join(", ")}`];
  }

  // Every field has a visible label: never a placeholder, aria-label or title alone.
  function visibleLabels() {
    const problems = [];
    for (const control of document.querySelectorAll(CONTROLS)) {
      if (control.getClientRects().length === 0 || getComputedStyle(control).visibility === "hidden") continue;
      // A honeypot (meals/callbacks/_honeypot.html) is for no person: out of sight, hidden from screen
      // readers and out of the tab order, so it has no label anyone could see.
      if (control.closest('[aria-hidden="true"]') && control.tabIndex < 0 && hiddenFromSight(control)) continue;
      const labels = [...(control.labels || [])].filter(seen);
      const labelledBy = (control.getAttribute("aria-labelledby") || "")
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id))
        .filter(seen);
      if (labels.length || labelledBy.length) continue;
      const placeholder = control.getAttribute("placeholder");
      const only = placeholder ? ` (only a placeholder: "${placeholder}")` : "";
      problems.push(`${describe(control)} has no visible label${only}`);
    }
    return problems;
  }

  // Paste is never blocked: password managers, and people with tremor, rely on it.
  function pasteAllowed() {
    const problems = [];
    const inputs = [...document.querySelectorAll("input, textarea")].filter(
      (el) =>
        (el.tagName === "TEXTAREA" || TEXT_TYPES.includes((el.getAttribute("type") || "").toLowerCase())) &&
        el.getClientRects().length > 0 &&
        !el.disabled,
    );
    for (const input of inputs) {
      const data = new DataTransfer();
      data.setData("text/plain", "pasted text");
      const event = new ClipboardEvent("paste", { bubbles: true, cancelable: true, clipboardData: data });
      input.dispatchEvent(event);
      if (event.defaultPrevented) problems.push(`paste is blocked on ${describe(input)}`);
    }
    return problems;
  }

  // Anything that acts like a control must be a real one (a, button, input, label, summary, select).
  function noClickableNonControls() {
    const problems = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (el.matches(INTERACTIVE) || el.closest(INTERACTIVE)) continue;
      if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
      const reasons = [];
      if (el.hasAttribute("onclick") || typeof el.onclick === "function") reasons.push("has an onclick handler");
      if (getComputedStyle(el).cursor === "pointer") reasons.push("has cursor: pointer");
      const role = el.getAttribute("role");
      if (role === "button" || role === "link") reasons.push(`has role="${role}"`);
      if (reasons.length) problems.push(`clickable non-control ${describe(el)} ${reasons.join(", ")}`);
    }
    return problems;
  }

  // The smallest visible text, form controls included, is at least 16px.
  function fontSizes() {
    const small = new Map();
    const note = (el) => {
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < MIN_FONT_PX && !small.has(el)) small.set(el, size);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest("script, style, noscript, template, title")) continue;
      if (!hiddenFromSight(el)) note(el);
    }
    for (const el of document.querySelectorAll("input, select, textarea, button")) {
      const type = (el.getAttribute("type") || "").toLowerCase();
      if (!["hidden", "checkbox", "radio"].includes(type) && !hiddenFromSight(el)) note(el);
    }
    if (!small.size) return [];
    const samples = [...small.entries()].sort((a, b) => a[1] - b[1]).slice(0, 5);
    const list = samples.map(([el, size]) => `${size}px ${describe(el)}`).join("; ");
    return [`text smaller than ${MIN_FONT_PX}px (${small.size} element(s)): ${list}`];
  }

  // The skip link is the first thing a keyboard reaches, and it leads to <main>. No positive tabindex.
  function skipLinkFirst() {
    const problems = [];
    const focusable = [...document.querySelectorAll(FOCUSABLE)].filter(
      (el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden",
    );
    const positive = focusable.filter((el) => el.tabIndex > 0);
    if (positive.length) problems.push(`positive tabindex changes the tab order: ${positive.map(describe).join(", ")}`);
    const first = focusable[0];
    if (!first || !first.matches("a.govuk-skip-link")) {
      problems.push(`first focusable element is ${describe(first)}, not the skip link`);
    } else {
      const target = (first.getAttribute("href") || "").replace(/^#/, "");
      const main = document.getElementById(target);
      if (!main || main.tagName.toLowerCase() !== "main") {
        problems.push(`skip link points at #${target}, which is not the <main> element`);
      }
    }
    return problems;
  }

  // Measures the focused element, blurs it, measures again and puts focus back, so the next Tab
  // carries on from the same place. GOV.UK draws the focus ring of radios and checkboxes on the
  // label's ::before, so labels and pseudo-elements are compared too.
  function focusStep() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const parts = [[el, null], [el, "::before"], [el, "::after"]];
    for (const label of el.labels || []) parts.push([label, null], [label, "::before"], [label, "::after"]);
    const snapshot = () =>
      parts.map(([node, pseudo]) => {
        const cs = getComputedStyle(node, pseudo);
        return {
          outlineStyle: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth) || 0,
          outlineColor: cs.outlineColor,
          boxShadow: cs.boxShadow,
        };
      });
    const transparent = (color) => color === "transparent" || /rgba\([^)]*,\s*0\)$/.test(color);
    const outlineSeen = (s) => s.outlineStyle !== "none" && s.outlineWidth >= 1 && !transparent(s.outlineColor);
    const focused = snapshot();
    const skipLink = el.matches("a.govuk-skip-link");
    el.blur();
    const unfocused = snapshot();
    el.focus({ preventScroll: true });
    const indicator = focused.some((f, i) => {
      const u = unfocused[i];
      const outlineChanged = !outlineSeen(u) || f.outlineColor !== u.outlineColor || f.outlineWidth !== u.outlineWidth;
      return (outlineSeen(f) && outlineChanged) || (f.boxShadow !== "none" && f.boxShadow !== u.boxShadow);
    });
    return { element: describe(el), indicator, skipLink };
  }

  function sideways() {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !hiddenFromSight(el))
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)));
    const list = wide
      .slice(0, 5)
      .map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`)
      .join("; ");
    return `page scrolls sideways: scrollWidth ${root.scrollWidth}px > ${root.clientWidth}px; too wide: ${list}`;
  }

  function errorSummary() {
    const summary = document.querySelector(".govuk-error-summary");
    if (!summary) return null;
    const active = document.activeElement;
    const links = [...summary.querySelectorAll("a")].map((a) => {
      const href = a.getAttribute("href") || "";
      const id = href.startsWith("#") ? decodeURIComponent(href.slice(1)) : null;
      const target = id ? document.getElementById(id) : null;
      const field = "input, select, textarea, button, .govuk-error-message, [id$=non-field-errors]";
      return { href, text: a.textContent.trim(), exists: !!target, control: !!target && target.matches(field) };
    });
    const inline = [...document.querySelectorAll(".govuk-error-message")].map((e) => e.textContent.replace(/\s+/g, " "));
    return { focused: summary.contains(active), active: describe(active), links, inline, title: document.title };
  }

  return {
    staticProblems: (expectedLang) => [
      ...htmlLang(expectedLang),
      ...oneH1(),
      ...visibleLabels(),
      ...pasteAllowed(),
      ...noClickableNonControls(),
      ...fontSizes(),
      ...skipLinkFirst(),
    ],
    focusStep,
    sideways,
    errorSummary,
  };
})()
