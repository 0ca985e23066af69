"""Proves the browser test setup: live server, database, Chromium and axe."""

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from prolo.e2e.axe import assert_accessible


def test_login_page_renders_and_is_accessible(page: Page, live_server: LiveServer) -> None:
    get_user_model().objects.create_user(username="alice", password="alice-e2e-password")

    page.goto(live_server.url + "/accounts/login/")

    expect(page.get_by_role("heading").first).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_accessible(page)
