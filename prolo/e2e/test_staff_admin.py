"""Staff administration and password reset in the browser: every page passes axe (WCAG 2.2
A/AA) at 1280 and 320 px, where nothing may scroll sideways, including a form shown with its
errors. The portal's argument-free reset pages are also in test_portal_modes' sweep; this adds
the page a reset link opens, in every toolbar mode."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from prolo.clinic.models import Patient, User
from prolo.clinic.permissions import Actor
from prolo.clinic.services.password_reset import reset_link
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.clinic.services.staff import staff_invite
from prolo.e2e.axe import assert_accessible
from prolo.e2e.test_portal_modes import CASES, check_page, context_for

__all__ = ["context_for"]  # the fixture of test_portal_modes: a browser context per mode
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _check(page: Page, url: str, width: int) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status < 500, f"{url} answered {response.status}"
    assert_accessible(page)
    if width <= 320:
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 30))"
        )
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{url} scrolls sideways at {width} px {wide}"


def _context(
    browser: Browser, live_server: LiveServer, width: int, user: User | None
) -> BrowserContext:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    return context


@pytest.mark.parametrize("width", [1280, 320])
def test_the_staff_pages_are_accessible_and_fit_320_px(
    browser: Browser,
    live_server: LiveServer,
    adam: User,
    adam_actor: Actor,
    nora: User,
    width: int,
) -> None:
    nora.email = "nora.quinn.with.a.long.address@riverside-prolotherapy.example.org"
    nora.save(update_fields=["email"])
    issued = staff_invite(
        actor=adam_actor,
        email="a.new.colleague.with.a.long.address@example.org",
        role="nurse",
        link_base="http://t/",
    )
    admin_context = _context(browser, live_server, width, adam)
    visitor_context = _context(browser, live_server, width, None)
    try:
        _walk(admin_context.new_page(), visitor_context.new_page(), issued.token, nora, width)
    finally:
        # An open context keeps its keep-alive sockets, and with them a live-server thread and
        # its database connection, which would stop the test database from being dropped.
        admin_context.close()
        visitor_context.close()


def _walk(admin: Page, visitor: Page, token: str, nora: User, width: int) -> None:
    for url in (
        reverse("staff:staff-list"),
        reverse("staff:staff-invite"),
        reverse("staff:staff-member", args=[nora.code]),
    ):
        _check(admin, url, width)
    admin.goto(reverse("staff:staff-invite"))
    admin.get_by_role("button", name="Send invitation").click()  # empty: errors shown
    assert_accessible(admin)
    if width <= 320:
        assert admin.evaluate(NO_SIDEWAYS_SCROLL)

    for url in (
        reverse("accounts:login"),
        reverse("accounts:password-reset"),
        reverse("accounts:password-reset-sent"),
        reset_link(nora, "/accounts/reset/"),
        "/accounts/reset/x/y/",
        reverse("accounts:staff-join", args=[token]),
        reverse("accounts:staff-join", args=["made-up"]),
    ):
        _check(visitor, url, width)


@pytest.mark.parametrize(("mode", "width"), CASES)
def test_the_portal_reset_link_page_is_accessible_in_every_mode(
    alice_actor: Actor,
    pat: Patient,
    context_for: Callable[..., BrowserContext],
    mode: str,
    width: int,
) -> None:
    issued = invitation_send(
        actor=alice_actor, patient=pat, email="pat@example.org", link_base="http://t/"
    )
    account = invitation_accept(token=issued.token, password="a long portal passphrase")
    page = context_for(mode, width).new_page()
    check_page(page, reset_link(account.user, "/portal/reset/"), mode, width)
    check_page(page, reverse("portal:password-reset"), mode, width)
