"""Kept viewlet HTML (ratusz.fragments): a visitor never sees an outdated or another page's part.

Each test first views a page (which keeps the fragments), then changes what a
fragment shows and views again: the change must be there at once.
"""

import pytest
import transaction
from lxml import html as lxml_html
from plone import api

from ratusz.bip.viewlets import BipSubjectMenuViewlet
from ratusz.site.viewlets import CityFooterViewlet
from ratusz.site.viewlets import PathBarViewlet
from tests.bip.pages_fixtures import browser_for
from tests.bip.pages_fixtures import commit
from tests.bip.pages_fixtures import create_item


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.fixture
def statute(site):
    portal, _app = site
    item = create_item(portal.pl.bip["status-prawny"], "BipPage", "statut", "Statut Miasta")
    commit()
    return item


def page(app, url, login=None):
    browser = browser_for(app, login)
    browser.open(url)
    assert browser.headers["status"].startswith("200"), url
    return lxml_html.fromstring(browser.contents)


def texts(tree, selector):
    return [" ".join(e.text_content().split()) for e in tree.cssselect(selector)]


def as_manager(function):
    with api.env.adopt_roles(["Manager"]):
        function()
    commit()


def rename_section(portal, title):
    """Rename the section "status-prawny" and commit, as a BIP administrator's edit would."""

    def rename():
        portal.pl.bip["status-prawny"].title = title
        portal.pl.bip["status-prawny"].reindexObject()

    as_manager(rename)


def test_menu_shows_a_renamed_section_on_the_next_view(site, statute):
    portal, app = site
    assert "Status prawny i statut" in texts(
        page(app, statute.absolute_url()), "#ratusz-bip-menu a"
    )

    rename_section(portal, "Status prawny miasta")
    links = texts(page(app, statute.absolute_url()), "#ratusz-bip-menu a")
    assert "Status prawny miasta" in links
    assert "Status prawny i statut" not in links


def test_menu_marks_the_section_of_each_page_viewed_one_after_another(site, statute):
    portal, app = site
    other = create_item(portal.pl.bip["organy"], "BipPage", "rada", "Rada Miasta")
    commit()

    def current(url):
        links = page(app, url).cssselect("#ratusz-bip-menu a[aria-current]")
        return [(a.get("data-section") or a.get("id"), a.get("aria-current")) for a in links]

    for _ in range(2):  # the second round is served from kept fragments
        assert current(statute.absolute_url()) == [("status-prawny", "true")]
        assert current(other.absolute_url()) == [("organy", "true")]
        assert current(portal.pl.bip["organy"].absolute_url()) == [("organy", "page")]
        assert current(f"{portal.pl.bip.absolute_url()}/rejestr-zmian") == [
            ("ratusz-bip-menu-change-register", "page")
        ]
        assert current(portal.pl.bip.absolute_url()) == []


def test_metadata_block_shows_an_edit_at_once(site, statute):
    _portal, app = site
    url = statute.absolute_url()
    assert "Zofia Sekretarz, Sekretarz Miasta" in texts(page(app, url), "#ratusz-bip-metadata dd")

    def edit():
        statute.bip_responsible = "Adam Nowak, Sekretarz Miasta"

    as_manager(edit)
    rows = texts(page(app, url), "#ratusz-bip-metadata dd")
    assert "Adam Nowak, Sekretarz Miasta" in rows
    assert "Zofia Sekretarz, Sekretarz Miasta" not in rows


def test_metadata_block_of_one_item_never_shows_on_another(site, statute):
    portal, app = site
    other = create_item(
        portal.pl.bip["status-prawny"], "BipPage", "regulamin", "Regulamin", bip_responsible="Ola"
    )
    commit()
    assert "Ola" not in texts(page(app, statute.absolute_url()), "#ratusz-bip-metadata dd")
    assert "Ola" in texts(page(app, other.absolute_url()), "#ratusz-bip-metadata dd")
    history = page(app, other.absolute_url()).cssselect("#ratusz-bip-metadata-history a")
    assert history[0].get("href") == f"{other.absolute_url()}/@@bip-history"


def test_footer_and_bip_header_show_changed_city_settings(site, statute):
    _portal, app = site
    url = statute.absolute_url()
    tree = page(app, url)
    assert texts(tree, "#ratusz-footer h2")[0] == "Urząd Miasta Przykładowo"

    api.portal.set_registry_record("ratusz.city.office_name", "Urząd Gminy Nowe Pole")
    api.portal.set_registry_record("ratusz.city.phone", "+48 11 222 33 44")
    commit()
    tree = page(app, url)
    assert texts(tree, "#ratusz-footer h2")[0] == "Urząd Gminy Nowe Pole"
    assert tree.cssselect('#ratusz-footer a[href="tel:+48112223344"]')
    assert texts(tree, ".ratusz-bip-header-office") == ["Urząd Gminy Nowe Pole"]
    assert "Urząd Gminy Nowe Pole" in texts(tree, "#ratusz-bip-metadata dd")


def test_footer_shows_a_changed_site_action(site, statute):
    portal, app = site
    url = statute.absolute_url()
    assert "Mapa witryny" in texts(page(app, url), ".ratusz-site-actions a")

    def rename():
        portal.portal_actions.site_actions.sitemap.title = "Spis treści serwisu"

    as_manager(rename)
    assert "Spis treści serwisu" in texts(page(app, url), ".ratusz-site-actions a")


def test_breadcrumbs_show_a_renamed_parent(site, statute):
    portal, app = site
    assert "Status prawny i statut" in texts(
        page(app, statute.absolute_url()), "#portal-breadcrumbs a"
    )

    rename_section(portal, "Status prawny miasta")
    crumbs = texts(page(app, statute.absolute_url()), "#portal-breadcrumbs a")
    assert "Status prawny miasta" in crumbs


def test_language_selector_links_follow_the_page(site, statute):
    portal, app = site

    def selector_links(url):
        return [a.get("href") for a in page(app, url).cssselect("#portal-languageselector a")]

    for _ in range(2):
        on_statute = selector_links(statute.absolute_url())
        on_home = selector_links(portal.pl.bip.absolute_url())
        assert on_statute != on_home
        assert len(on_statute) == 3
        on_history = selector_links(f"{statute.absolute_url()}/@@bip-history")
        assert all("post_path=/%40%40bip-history" in link for link in on_history)
        with_query = selector_links(f"{portal.pl.bip.absolute_url()}/rejestr-zmian?section=organy")
        assert all("section=organy" in link for link in with_query)


def test_signed_in_users_get_freshly_rendered_footer_and_breadcrumbs(functional, statute):
    request = functional["request"]
    with api.env.adopt_user(username="redaktor"):
        footer = CityFooterViewlet(statute, request, None, None)
        footer.update()
        path_bar = PathBarViewlet(statute, request, None, None)
        path_bar.update()
        assert footer.fragment_key() is None
        assert path_bar.fragment_key() is None


def test_nothing_is_kept_from_a_request_that_changed_content(functional, statute):
    portal, request = functional["portal"], functional["request"]
    request.set("ACTUAL_URL", statute.absolute_url())

    def menu():
        viewlet = BipSubjectMenuViewlet(statute, request, None, None)
        viewlet.update()
        return viewlet.render()

    assert "Status prawny i statut" in menu()
    with api.env.adopt_roles(["Manager"]):
        portal.pl.bip["status-prawny"].title = "Nazwa w niezapisanej zmianie"
        portal.pl.bip["status-prawny"].reindexObject()
    assert "Nazwa w niezapisanej zmianie" in menu()
    transaction.abort()
    assert "Nazwa w niezapisanej zmianie" not in menu()
    assert "Status prawny i statut" in menu()
