"""The staff intranet: news and document library published to staff only, never to
anonymous visitors or residents (pages, search, REST API, sitemap, feeds)."""

import gzip
from urllib.parse import quote

import pytest
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile

from ratusz.cases.case import create_case
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import was_refused

SECRET = "Zebranie kierowników wydziałów"
WORD = quote("kierowników")


def text(browser):
    contents = browser.contents
    return contents.decode("utf-8", "replace") if isinstance(contents, bytes) else contents


@pytest.fixture
def portal(functional):
    return functional["portal"]


@pytest.fixture
def news(portal):
    with api.env.adopt_user(username="sekretariat"):
        item = api.content.create(
            container=portal.intranet.aktualnosci,
            type="News Item",
            id="zebranie",
            title=SECRET,
            description="W piątek o 10:00 w sali 12.",
        )
    return item


def test_news_starts_as_a_draft_and_is_published_to_staff(portal, news):
    assert api.content.get_state(news) == "draft"
    with api.env.adopt_user(username="urzednik"):
        assert not api.user.has_permission("View", obj=news)
    with api.env.adopt_user(username="sekretariat"):
        api.content.transition(obj=news, transition="publish_internally")
    assert api.content.get_state(news) == "internal"
    with api.env.adopt_user(username="urzednik"):
        assert api.user.has_permission("View", obj=news)
        assert not api.user.has_permission("Modify portal content", obj=news)
    for login in ("mieszkaniec", "redaktor", "sekretarz"):
        with api.env.adopt_user(username=login):
            assert not api.user.has_permission("View", obj=news), login


def test_only_the_secretariat_and_administrators_add_news(portal):
    folder = portal.intranet.aktualnosci
    for login, may in (
        ("sekretariat", True),
        ("administrator", True),
        ("urzednik", False),
        ("redaktor", False),  # a website editor is not intranet staff
        ("mieszkaniec", False),
    ):
        with api.env.adopt_user(username=login):
            assert api.user.has_permission("Add portal content", obj=folder) is may, login


def test_published_news_reaches_no_one_outside_the_staff(portal, news, functional):
    with api.env.adopt_user(username="sekretariat"):
        api.content.transition(obj=news, transition="publish_internally")
    api.portal.set_registry_record("plone.enable_sitemap", True)
    transaction.commit()
    app = functional["app"]
    portal_url = portal.absolute_url()
    for login in (None, "mieszkaniec"):
        browser = browser_for(app, login)
        browser.open(news.absolute_url())
        assert was_refused(browser), login
        browser.open(f"{portal_url}/@@search?SearchableText={WORD}")
        assert "searchResults" in text(browser) or "search-results" in text(browser), login
        assert SECRET not in text(browser), login
        found = rest(app, "GET", f"{portal_url}/++api++/@search?SearchableText={WORD}", login)
        assert found.json["items_total"] == 0, login
        assert rest(app, "GET", news.absolute_url(), login).status_int in (401, 403), login
        browser.open(f"{portal.intranet.aktualnosci.absolute_url()}/RSS")
        assert SECRET not in text(browser), login
        browser.open(f"{portal_url}/intranet")
        assert was_refused(browser), login
    response = browser_for(app).testapp.get(f"{portal_url}/sitemap.xml.gz", expect_errors=True)
    assert response.status_int == 200
    sitemap = gzip.decompress(response.body).decode()
    assert "/intranet" not in sitemap
    assert "/pl" in sitemap
    staff = browser_for(app, "urzednik")
    staff.open(f"{portal_url}/intranet")
    assert SECRET in text(staff)  # the front page lists staff news
    assert 'id="ratusz-work-assigned_to_me"' in text(staff)
    staff.open(f"{portal_url}/@@search?SearchableText={WORD}")
    assert SECRET in text(staff)


def test_a_scan_in_a_case_keeps_the_cases_settings(portal):
    with api.env.adopt_user(username="urzednik"):
        case = create_case(
            portal.intranet.sprawy, title="Sprawa", department="OR", jrwa="0020", kind="general"
        )
        scan = api.content.create(
            container=case,
            type="File",
            id="skan.pdf",
            title="Skan",
            file=NamedBlobFile(b"%PDF-1.4", filename="skan.pdf"),
        )
    workflow = api.portal.get_tool("portal_workflow")
    assert workflow.getChainFor(scan) == ()
    with api.env.adopt_user(username="kierownik"):
        assert api.user.has_permission("View", obj=scan)
    with api.env.adopt_user(username="ksiegowa"):
        assert not api.user.has_permission("View", obj=scan)
    with api.env.adopt_user(username="sekretariat"):
        document = api.content.create(
            container=portal.intranet.dokumenty,
            type="File",
            id="regulamin.pdf",
            title="Regulamin",
            file=NamedBlobFile(b"%PDF-1.4", filename="regulamin.pdf"),
        )
    assert workflow.getChainFor(document) == ("ratusz_intranet_content_workflow",)
    # Outside the intranet the site's own workflow applies.
    assert workflow.getChainFor(portal.pl) != ("ratusz_intranet_content_workflow",)
