"""The console in a real browser: sign in, the overview shows what the API returns, the live board, the
worklists, what a resident may not see, and phone-sized and wall-sized screens."""

from __future__ import annotations

from tests.e2e.conftest import DESK, PHONE, WALL


def test_sign_in_rejects_a_wrong_password_and_admits_the_right_one(open_console, shot):
    page = open_console(None)
    page.fill("#username", "admin")
    page.fill("#password", "not-the-password")
    page.click("form.login button[type=submit]")
    error = page.locator(".form-error")
    error.wait_for()
    assert "用户名或密码不正确" in error.inner_text()
    shot(page, "wrong-password")
    page.fill("#password", "minsheng-demo")
    page.click("form.login button[type=submit]")
    page.wait_for_selector(".topbar")
    assert page.locator("[data-testid=username]").inner_text() == "admin"
