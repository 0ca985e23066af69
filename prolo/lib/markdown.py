"""Clinic-written Markdown turned into HTML that is safe to put in a page.

Consent documents and education articles are edited by clinic staff; their text must never be
able to inject script or styling into a patient's page. Markdown's raw-HTML pass-through is
therefore cleaned with nh3 (an allow-list sanitiser) after rendering.
"""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]  # no stubs, and no new dependency
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# h1 is left out on purpose: the page owns its one h1, and a document's "# Title" becomes text.
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML (links get rel="noopener noreferrer"; no images or scripts)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    # Safe: nh3 has just removed every tag, attribute and URL scheme not allow-listed.
    return mark_safe(cleaned)
