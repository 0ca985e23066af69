"""Browser tests: Debian's Chromium driven by pytest-playwright against Django's live_server."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, Response
from pytest_django.live_server_helper import LiveServer

from prolo.e2e.axe import assert_accessible

# Playwright's sync API runs an event loop in the test thread; without this Django refuses
# ORM calls made from the test body ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
RERENDERED_FORM = "the server responded with a status of 400"

# `playwright install` cannot reach its download host here, so use Debian's browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no network beyond 127.0.0.1
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
]


@pytest.hookimpl(tryfirst=True)  # before `-m "not e2e"` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only this package's.
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)
            # live_server serves from another thread, so tests must commit their data.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    # Replaces pytest-playwright's own base_url fixture, which pytest 9 warns about (an error
    # under filterwarnings=error); also lets tests write page.goto("/accounts/login/").
    return live_server.url


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Playwright's page, failing the test on any browser console error or HTTP 5xx."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A form re-rendered with its errors answers 400 on purpose; Chromium logs that as a
        # console error. Every other console error is a defect.
        if message.type == "error" and RERENDERED_FORM not in message.text:
            where = message.location["url"] or page.url
            problems.append(f"console error on {where}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"uncaught JavaScript error: {error}")

    def on_response(response: Response) -> None:
        if response.status >= 500:
            problems.append(f"HTTP {response.status} from {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    yield page
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def axe_check(page: Page) -> Callable[[], None]:
    """`axe_check()` runs the WCAG 2.2 AA axe rules on the page as it is now."""
    return lambda: assert_accessible(page)
