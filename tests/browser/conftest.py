"""Playwright for Python driving Debian's Chromium against the WSGI server layer.

``playwright install`` cannot download browsers here, so the tests launch the
system Chromium (``CHROMIUM`` overrides the path). axe-core comes from npm
(``node_modules/axe-core``), installed by ``make test``.
"""

import json
import os
from pathlib import Path

import pytest

from tests.bip import smtp

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_url(browser_layer):
    """The demo site's address on the layer's WSGI server, e.g. http://localhost:55001/plone."""
    return f"http://{browser_layer['host']}:{browser_layer['port']}/plone"


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def login(page, site_url):
    """Log in through the login form, as a person would: ``login("redaktor", "demo-redaktor")``."""

    def do_login(username, password):
        page.goto(f"{site_url}/login")
        page.fill("#__ac_name", username)
        page.fill("#__ac_password", password)
        page.click("#buttons-login")
        page.wait_for_load_state("networkidle")

    return do_login


@pytest.fixture
def axe_violations(page):
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; return serious/critical ones."""

    def run():
        if not AXE_JS.exists():
            pytest.fail("axe-core is missing: run `npm ci` (make test does)")
        # Check the page a reader gets, not one half-loaded after a click.
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA_TAGS
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        return [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [node["target"] for node in v["nodes"]][:5],
            }
            for v in serious
        ]

    return run


def describe(violations):
    return json.dumps(violations, indent=2, ensure_ascii=False)


smtp_server = smtp.smtp_server  # a session fixture: a real SMTP server (aiosmtpd)


@pytest.fixture
def browser_mail_server(browser_layer, smtp_server):
    """The demo site on the WSGI server sends real mail to ``smtp_server``; yields the server,
    emptied (``tests.bip.smtp.real_mail``, as ``mail_server`` does for the functional layer)."""
    with smtp.real_mail(browser_layer["portal"], smtp_server) as server:
        yield server
