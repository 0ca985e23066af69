"""Keyboard-only driving for browser tests: reach each control with Tab, as a user would.

A control that Tab cannot reach, or that shows no visible focus once reached, fails the test.
"""

from __future__ import annotations

from playwright.sync_api import Page

MAX_TABS = 80


def focused_name(page: Page) -> str:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "";
        const label = el.labels && el.labels[0] ? el.labels[0].innerText : "";
        return (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
    }"""
    )


def tab_to(page: Page, name: str) -> None:
    """Press Tab until the focused control's accessible name starts with `name`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_name(page).startswith(name):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{name!r} has focus but no visible focus outline"
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def press_and_wait(page: Page, key: str = "Enter") -> None:
    """Press `key` on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
