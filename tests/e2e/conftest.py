"""Browser tests of the console: Debian's Chromium driven by Playwright (no browser download), against the
platform started as real processes with demo data. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from tests.e2e.platform import DEMO_PASSWORD, RunningPlatform

CHROMIUM = os.environ.get("MINSHENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}
WALL = {"width": 3840, "height": 2160}


# Module scope, not session: Playwright's sync API runs an event loop in this thread while the browser is open,
# and the asyncio tests that run after this package need the thread to themselves.
@pytest.fixture(scope="module")
def platform(db_templates, tmp_path_factory):
    running = RunningPlatform(tmp_path_factory.mktemp("e2e"), db_templates)
    try:
        running.start()
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(platform):  # after the platform: the platform's set-up and tear-down run asyncio outside Playwright
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
    sync_api.expect.set_options(timeout=15_000)  # the first answers of fresh processes may take a few seconds
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for the browser tests and is missing at {CHROMIUM} "
                    "(apt-get install chromium; `make test` installs it)")
    if shutil.which("fc-list") and not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout:
        warnings.warn("no CJK font (apt-get install fonts-noto-cjk): screenshots will show boxes for Chinese",
                      stacklevel=1)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_console(browser, platform, request):
    """``open_console("doctor", viewport=PHONE)`` -> a page signed in as that demo user (through the form)."""
    contexts = []
    errors: list[str] = []

    def open_(username: str | None, *, viewport: dict = DESK, route: str = ""):
        context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{platform.url}/console/{route}")
        if username:
            page.fill("#username", username)
            page.fill("#password", DEMO_PASSWORD)
            page.click("form.login button[type=submit]")
            page.wait_for_selector(".topbar")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def shot(request):
    """``shot(page, "name")`` saves a full-page screenshot under artifacts/e2e/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
