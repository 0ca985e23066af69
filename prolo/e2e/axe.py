"""axe-core accessibility checks for Playwright pages (WCAG 2.0-2.2, levels A and AA)."""

from functools import cache
from importlib.resources import files
from typing import Any

from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    # The PyPI package bundles axe.min.js; we only borrow the file, not its Python API.
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Fail listing every axe violation on the page, with the offending elements."""
    # evaluate(), not add_script_tag(): a strict Content-Security-Policy blocks the latter.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    results = page.evaluate("options => axe.run(document, options)", options)
    violations = results["violations"]
    assert not violations, f"axe: {len(violations)} violation(s) on {page.url}\n" + "\n".join(
        format_violation(v) for v in violations
    )


def format_violation(violation: dict[str, Any]) -> str:
    lines = [
        f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})"
    ]
    for node in violation["nodes"]:
        target = " ".join(str(t) for t in node["target"])
        summary = node.get("failureSummary", "").replace("\n", " ")
        lines.append(f"    {target}: {node['html']}\n      {summary}")
    return "\n".join(lines)
