"""What every BIP page carries: BIP header, subject menu, metadata block, archival note."""

from datetime import date

import pytest
from lxml import html as lxml_html
from plone import api

from ratusz.bip.viewlets import archiving_date
from ratusz.bip.viewlets import menu_sections
from tests.bip.pages_fixtures import METADATA
from tests.bip.pages_fixtures import browser_for
from tests.bip.pages_fixtures import commit
from tests.bip.pages_fixtures import create_item
from tests.bip.pages_fixtures import create_section


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def open_page(app, url, login=None):
    browser = browser_for(app, login)
    browser.open(url)
    assert browser.headers["status"].startswith("200"), url
    return lxml_html.fromstring(browser.contents)


def metadata(tree):
    """{row id suffix: (dd text, <time datetime> or None)} of the metadata block."""
    rows = {}
    for div in tree.cssselect("#ratusz-bip-metadata dl > div"):
        dd = div.cssselect("dd")[0]
        time = dd.cssselect("time")
        key = div.get("id").removeprefix("ratusz-bip-metadata-")
        rows[key] = (" ".join(dd.text_content().split()), time[0].get("datetime") if time else None)
    return rows


@pytest.fixture
def statute(site):
    portal, _app = site
    item = create_item(portal.pl.bip["status-prawny"], "BipPage", "statut", "Statut Miasta")
    commit()
    return item


# --- the metadata block ---------------------------------------------------------


def test_anonymous_sees_the_metadata_block_of_a_published_item(site, statute):
    portal, app = site
    tree = open_page(app, statute.absolute_url())
    rows = metadata(tree)
    assert list(rows) == [
        "publisher",
        "produced-by",
        "producing-unit",
        "responsible",
        "date-produced",
        "entered-by",
        "date-published",
        "date-modified",
        "history",
    ]
    assert rows["publisher"] == ("Urząd Miasta Przykładowo", None)
    assert rows["produced-by"][0] == METADATA["bip_produced_by"]
    assert rows["producing-unit"][0] == METADATA["bip_producing_unit"]
    assert rows["responsible"][0] == METADATA["bip_responsible"]
    assert rows["date-produced"][1] == "2026-03-02"
    assert rows["entered-by"][0] == "Ewa Redaktor (redaktor)"
    assert rows["date-published"][1] == statute.effective_date.strftime("%Y-%m-%d")
    assert rows["date-modified"][1] == statute.modified().strftime("%Y-%m-%d")
    history = tree.cssselect("#ratusz-bip-metadata-history a")[0]
    assert history.get("href") == f"{statute.absolute_url()}/@@bip-history"
    heading = tree.cssselect("#ratusz-bip-metadata h2")[0]
    assert tree.cssselect("#ratusz-bip-metadata")[0].get("aria-labelledby") == heading.get("id")


def test_metadata_block_follows_the_content_body(site, statute):
    portal, app = site
    tree = open_page(app, statute.absolute_url())
    assert tree.cssselect("#content-core ~ #viewlet-below-content-body #ratusz-bip-metadata")


def test_metadata_block_names_the_office_from_city_settings(site, statute):
    portal, app = site
    api.portal.set_registry_record("ratusz.city.office_name", "Urząd Gminy Nowe Pole")
    commit()
    tree = open_page(app, statute.absolute_url())
    assert metadata(tree)["publisher"][0] == "Urząd Gminy Nowe Pole"


def test_empty_metadata_of_a_draft_shows_dashes(site):
    portal, app = site
    with api.env.adopt_user(username="redaktor"):
        draft = api.content.create(
            container=portal.en.bip["legal-status"], type="BipPage", id="draft", title="Draft"
        )
    commit()
    tree = open_page(app, draft.absolute_url(), login="redaktor")
    rows = metadata(tree)
    for key in ("produced-by", "producing-unit", "responsible", "date-produced", "date-published"):
        assert rows[key] == ("—", None), key
    assert rows["entered-by"][0] == "Ewa Redaktor (redaktor)"
    labels = [dt.text_content() for dt in tree.cssselect("#ratusz-bip-metadata dt")]
    assert labels[:2] == ["Publishing body", "Information produced by"]
    assert "Date published" in labels


def test_no_metadata_block_on_sections_and_pages_outside_the_bip(site):
    portal, app = site
    assert not open_page(app, portal.pl.bip["status-prawny"].absolute_url()).cssselect(
        "#ratusz-bip-metadata"
    )
    assert not open_page(app, f"{portal.absolute_url()}/pl").cssselect("#ratusz-bip-metadata")


# --- the archival note ---------------------------------------------------------------


def test_archived_item_shows_the_archival_note_with_its_date(site):
    portal, app = site
    notice = create_item(
        portal.pl.bip["ogloszenia-i-obwieszczenia"],
        "BipAnnouncement",
        "konsultacje",
        "Konsultacje 2025",
        state="archived",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 2, 1),
    )
    commit()
    archived_on = archiving_date(notice)
    assert archived_on is not None
    tree = open_page(app, notice.absolute_url())
    note = tree.cssselect("#ratusz-bip-archived")[0]
    assert note.get("role") == "note"
    assert note.cssselect("time")[0].get("datetime") == archived_on.strftime("%Y-%m-%d")
    # It stands above the title, where nobody misses it.
    assert tree.cssselect("#viewlet-above-content-title #ratusz-bip-archived")


def test_archival_note_in_english(site):
    portal, app = site
    notice = create_item(
        portal.en.bip.announcements,
        "BipAnnouncement",
        "old",
        "Old notice",
        state="archived",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 2, 1),
    )
    commit()
    note = open_page(app, notice.absolute_url()).cssselect("#ratusz-bip-archived")[0]
    assert "Archival information" in note.text_content()
    assert "Archived on" in note.text_content()


def test_published_item_has_no_archival_note(site, statute):
    portal, app = site
    assert not open_page(app, statute.absolute_url()).cssselect("#ratusz-bip-archived")


# --- the BIP header ----------------------------------------------------------------------


def test_bip_header_links_the_logo_to_bip_gov_pl_on_every_bip_page(site, statute):
    portal, app = site
    for url in (
        portal.pl.bip.absolute_url(),
        portal.pl.bip["status-prawny"].absolute_url(),
        statute.absolute_url(),
        portal.en.bip.absolute_url(),
    ):
        tree = open_page(app, url)
        link = tree.cssselect("#viewlet-above-content #ratusz-bip-header a.ratusz-bip-logo-link")
        assert link, url
        assert link[0].get("href") == "https://www.bip.gov.pl"
        logo = link[0].cssselect("img")[0]
        assert logo.get("alt") == "Biuletyn Informacji Publicznej"
        assert logo.get("src") == f"{portal.absolute_url()}/++theme++ratusz/img/bip-logo.svg"
        name = tree.cssselect("#ratusz-bip-header .ratusz-bip-header-office")[0]
        assert name.text_content() == "Urząd Miasta Przykładowo"


def test_bip_logo_is_served(site):
    portal, app = site
    browser = browser_for(app)
    browser.open(f"{portal.absolute_url()}/++theme++ratusz/img/bip-logo.svg")
    assert browser.headers["status"].startswith("200")
    assert "svg" in browser.headers["content-type"]


def test_no_bip_header_or_menu_outside_the_bip(site):
    portal, app = site
    tree = open_page(app, f"{portal.absolute_url()}/pl")
    assert not tree.cssselect("#ratusz-bip-header")
    assert not tree.cssselect("#ratusz-bip-menu")


# --- the subject menu ------------------------------------------------------------------------


def menu_links(tree):
    return {a.get("href"): a for a in tree.cssselect("nav#ratusz-bip-menu a")}


def test_menu_lists_published_sections_and_the_fixed_entries(site):
    portal, app = site
    create_section(portal.pl.bip, "nowy-dzial", "Nowy dział w przygotowaniu", state="draft")
    commit()
    root = portal.pl.bip.absolute_url()
    tree = open_page(app, root)
    nav = tree.cssselect("nav#ratusz-bip-menu")[0]
    assert nav.get("aria-label")
    sections = [a.get("data-section") for a in nav.cssselect(".ratusz-bip-menu-sections a")]
    assert sections[:3] == ["status-prawny", "organy", "regulamin-organizacyjny"]
    assert "ochrona-danych-osobowych" in sections
    assert "nowy-dzial" not in sections
    # Subsections stay in their section's page; the fixed entry leads to this one.
    assert "uchwaly" not in sections
    assert "informacje-nieudostepnione" not in sections
    fixed = {a.get("id"): a.get("href") for a in nav.cssselect(".ratusz-bip-menu-fixed a")}
    assert fixed == {
        "ratusz-bip-menu-change-register": f"{root}/rejestr-zmian",
        "ratusz-bip-menu-instruction": f"{root}/instrukcja-obslugi",
        "ratusz-bip-menu-editorial-office": f"{root}#redakcja",
        "ratusz-bip-menu-not-published": f"{root}/informacje-nieudostepnione",
        "ratusz-bip-menu-accessibility": f"{portal.absolute_url()}/pl/deklaracja-dostepnosci",
    }


def test_bip_administrator_does_not_see_draft_sections_in_the_menu(site):
    portal, app = site
    create_section(portal.pl.bip, "nowy-dzial", "Nowy dział w przygotowaniu", state="draft")
    commit()
    tree = open_page(app, portal.pl.bip.absolute_url(), login="sekretarz")
    assert (
        "Nowy dział w przygotowaniu" not in tree.cssselect("nav#ratusz-bip-menu")[0].text_content()
    )


def test_english_menu_uses_english_ids_and_titles(site):
    portal, app = site
    root = portal.en.bip.absolute_url()
    tree = open_page(app, root)
    nav = tree.cssselect("nav#ratusz-bip-menu")[0]
    assert nav.get("aria-label") == "BIP subject menu"
    fixed = {a.get("id"): (a.get("href"), a.text_content()) for a in nav.cssselect("a[id]")}
    assert fixed["ratusz-bip-menu-instruction"] == (f"{root}/how-to-use", "How to use the BIP")
    assert fixed["ratusz-bip-menu-not-published"] == (
        f"{root}/information-on-request",
        "Information not published in the BIP",
    )
    assert fixed["ratusz-bip-menu-accessibility"][0] == (
        f"{portal.absolute_url()}/en/deklaracja-dostepnosci"
    )
    assert fixed["ratusz-bip-menu-change-register"][1] == "Change register"
    titles = [a.text_content() for a in nav.cssselect(".ratusz-bip-menu-sections a")]
    assert titles[0] == "Legal status and statute"


def test_menu_marks_the_current_section(site, statute):
    portal, app = site
    section = portal.pl.bip["status-prawny"]
    tree = open_page(app, section.absolute_url())
    current = tree.cssselect("nav#ratusz-bip-menu a[aria-current]")
    assert [(a.get("data-section"), a.get("aria-current")) for a in current] == [
        ("status-prawny", "page")
    ]
    tree = open_page(app, statute.absolute_url())
    current = tree.cssselect("nav#ratusz-bip-menu a[aria-current]")
    assert [(a.get("data-section"), a.get("aria-current")) for a in current] == [
        ("status-prawny", "true")
    ]
    tree = open_page(app, portal.pl.bip.absolute_url())
    assert not tree.cssselect("nav#ratusz-bip-menu a[aria-current]")


def test_menu_is_on_item_pages(site, statute):
    portal, app = site
    tree = open_page(app, statute.absolute_url())
    assert tree.cssselect("#viewlet-above-content nav#ratusz-bip-menu a[data-section=organy]")


def test_menu_sections_are_kept_until_the_catalog_changes(functional):
    from Products.CMFCore.indexing import processQueue

    from ratusz.bip.viewlets import published_sections

    portal, request = functional["portal"], functional["request"]
    root = portal.pl.bip
    path = "/".join(root.getPhysicalPath())
    first = published_sections(path, "informacje-nieudostepnione")
    assert published_sections(path, "informacje-nieudostepnione") is first
    assert [s["id"] for s in menu_sections(root, request)][:2] == ["status-prawny", "organy"]

    with api.env.adopt_roles(["Manager"]):
        root["majatek"].title = "Mienie komunalne"
        root["majatek"].reindexObject()
    processQueue()
    again = published_sections(path, "informacje-nieudostepnione")
    assert again is not first
    assert ("majatek", "Mienie komunalne", f"{path}/majatek") in again
