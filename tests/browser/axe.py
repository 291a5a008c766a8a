"""axe-core in the page under test.

The pages send a strict Content-Security-Policy (script-src 'self' 'nonce-…'), so a <script> tag
added by the test would be refused. axe is evaluated through the DevTools protocol instead, which
CSP does not govern; the page keeps its real policy, so any CSP breakage still shows up as a console
error that the suite fails on."""

from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 AA plus axe's best practices. `target-size` (2.5.8) is off by default in axe, so it is
# switched on by name.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

_RUN = """async (options) => {
  const results = await window.axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 4).map((n) => ({
      target: n.target.join(" "),
      html: n.html.length > 300 ? n.html.slice(0, 300) + "…" : n.html,
      summary: n.failureSummary,
    })),
  }));
}"""


_COUNT = "async (options) => (await window.axe.run(document, options)).violations.length"


@cache
def axe_source() -> str:
    # Read at test time from node_modules: third-party code is never copied into the repository.
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """The page's axe violations, each with id, impact, help and its first few nodes."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Wrapped in a function so Playwright evaluates it as code, not as an expression; axe
        # assigns itself to window.axe.
        page.evaluate("() => {\n" + axe_source() + "\n}")
    # Building a CSS selector for every node checked is most of axe's run time; the selectors are
    # only needed to report violations, so a clean page is checked without them.
    if page.evaluate(_COUNT, {**AXE_OPTIONS, "selectors": False}) == 0:
        return []
    return page.evaluate(_RUN, AXE_OPTIONS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"axe {v['id']} ({v['impact']}): {v['help']} — {v['count']} element(s) [{v['helpUrl']}]")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            summary = " ".join((node["summary"] or "").split())
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)
