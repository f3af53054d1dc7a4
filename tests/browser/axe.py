"""Accessibility checks with axe-core: inject the library into the page and fail on any WCAG 2.1 A/AA violation.

The site sends a strict Content-Security-Policy (no inline scripts), so axe-core is not added as a <script> tag;
Playwright evaluates the source through the DevTools protocol, which the page's CSP does not govern.
"""

from functools import cache
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_PATH = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_TARGETS = 3

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(
            f"axe-core saknas: {AXE_PATH} finns inte. Kör `npm ci` (eller `make test-setup`) i projektkatalogen.",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its WCAG 2.1 A/AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def format_violations(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} tillgänglighetsfel (axe-core, WCAG 2.1 A/AA) på {url}:"]
    for v in violations:
        targets = v["targets"]
        shown = ", ".join(targets[:MAX_TARGETS])
        more = f" (+{len(targets) - MAX_TARGETS} till)" if len(targets) > MAX_TARGETS else ""
        lines.append(f"  - {v['id']} [{v['impact']}]: {v['help']}\n      {shown}{more}\n      {v['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail the test with a readable list if axe-core finds any WCAG 2.1 A/AA violation on the current page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(violations, page.url), pytrace=False)
