"""The BIP search: what a reader finds, what narrows it, and what bad input does."""

from contextlib import contextmanager

import lxml.html
import pytest
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.interface import alsoProvides

from ratusz.bip.listings import catalog_text_query
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from tests.bip.listings_fixtures import anonymous
from tests.bip.listings_fixtures import create_register_content
from tests.bip.pages_fixtures import browser_for

HOSTILE = "<script>alert(1)</script>"


@contextmanager
def site_owner():
    with api.env.adopt_user(username=SITE_OWNER_NAME):
        yield


def search(portal, path="pl/bip", user=anonymous, **form):
    """The search view on ``path`` for the query ``form``: (found ids, view)."""
    section = portal.unrestrictedTraverse(path)
    request = portal.REQUEST
    request.form.clear()
    request.form.update(form)
    alsoProvides(request, IRatuszLayer)
    view = getMultiAdapter((section, request), name="bip-search")
    with user():
        found = [item["url"].rsplit("/", 1)[-1] for item in view.items()]
        view.found_items = view.items()
        view.found_notes = view.notes
    return found, view


@pytest.fixture(scope="class")
def items(portal_class):
    return create_register_content(portal_class)


def ids(items, *keys):
    return {items[key].getId() for key in keys}


class TestSearch:
    @pytest.mark.parametrize(
        "words, expected",
        [
            ("XII/123/2026", "budget"),  # an act's number
            ("ZP.271.12.2026", "procurement"),  # a reference number
            ("Przykładowska", "declaration"),  # a person's name
            ("przykladowska", "declaration"),  # without the accent, in lower case
            ("osiedla", "announcement"),  # words of a text
            ("budże", "budget"),  # the start of a word
            ("ustrój miasta", "page"),  # every word must be found
        ],
    )
    def test_finds_by_number_name_and_text(self, portal_class, items, words, expected):
        found, view = search(portal_class, SearchableText=words)
        assert items[expected].getId() in found
        assert view.count == len(found)

    def test_every_word_must_match(self, portal_class, items):
        found, _view = search(portal_class, SearchableText="budżetu rowerowej")
        assert found == []

    @pytest.mark.parametrize(
        "form, expected",
        [
            ({"portal_type": "BipLegalAct", "year": "2025"}, ("water",)),
            ({"portal_type": "BipAssetDeclaration"}, ("declaration",)),
            ({"year": "2025"}, ("water", "declaration")),
            ({"body": "mayor"}, ("order",)),
            ({"status": "open"}, ("procurement", "vacancy")),
            ({"status": "open", "portal_type": "BipJobVacancy"}, ("vacancy",)),
            ({"SearchableText": "sprawie", "body": "council", "year": "2026"}, ("budget",)),
        ],
    )
    def test_filters_narrow_the_results(self, portal_class, items, form, expected):
        found, _view = search(portal_class, **form)
        assert set(found) == ids(items, *expected)

    def test_archived_items_are_found_and_marked_archival(self, portal_class, items):
        found, view = search(portal_class, SearchableText="ulic")
        assert found == [items["streets"].getId()]
        assert view.found_items[0]["archived"] is True
        found, view = search(portal_class, SearchableText="budżetu")
        assert view.found_items[0]["archived"] is False

    def test_anonymous_never_finds_drafts(self, portal_class, items):
        found, _view = search(portal_class, SearchableText="tajnego")
        assert found == []
        found, _view = search(portal_class, SearchableText="XIII/130/2026")
        assert found == []

    def test_bip_staff_find_drafts_marked_as_drafts(self, portal_class, items):
        found, view = search(portal_class, user=site_owner, SearchableText="tajnego")
        assert found == [items["draft"].getId()]
        assert view.found_items[0]["state"] == "draft"
        assert view.found_items[0]["state_title"]

    def test_results_show_type_date_and_description(self, portal_class, items):
        _found, view = search(portal_class, SearchableText="ZP.271.12.2026")
        result = view.found_items[0]
        assert result["portal_type"] == "BipProcurement"
        # In the language the request negotiated (other tests may leave it Polish).
        assert result["type"] == translate(_("Public procurement"), context=view.request)
        assert result["datetime"] == "2026-04-15"
        assert result["title"] == items["procurement"].title

    def test_a_section_searches_only_itself(self, portal_class, items):
        found, _view = search(
            portal_class, "pl/bip/zamowienia-publiczne", SearchableText="Inwestycji"
        )
        assert found == []
        found, _view = search(
            portal_class, "pl/bip/nabor-na-stanowiska", SearchableText="Inwestycji"
        )
        assert found == [items["vacancy"].getId()]

    def test_the_english_bip_does_not_find_polish_items(self, portal_class, items):
        found, _view = search(portal_class, "en/bip", SearchableText="budżetu")
        assert found == []

    def test_the_section_searched_is_not_its_own_result(self, portal_class, items):
        found, _view = search(portal_class, "pl/bip/zamowienia-publiczne", portal_type="BipSection")
        assert "zamowienia-publiczne" not in found

    def test_an_empty_query_shows_no_results(self, portal_class, items):
        found, view = search(portal_class)
        assert found == []
        assert view.searched is False
        found, view = search(portal_class, SearchableText="   ", year="")
        assert view.searched is False

    @pytest.mark.parametrize(
        "words",
        ['"', "AND (", "*", "?", "NOT", ")(", '"budżetu', "OR OR", "\x00", "żółć*?\"'"],
    )
    def test_words_that_break_the_text_index_do_not_fail(self, portal_class, items, words):
        found, view = search(portal_class, SearchableText=words)
        assert view.searched is True
        # Either the words were made harmless, or the reader is told they were not understood.
        assert view.results is not None or view.found_notes

    def test_a_ten_thousand_character_query_is_shortened_and_said_so(self, portal_class, items):
        found, view = search(portal_class, SearchableText="budżetu 2026 " + "x" * 10_000)
        assert found == [items["budget"].getId()]
        assert any("200" in note for note in view.found_notes)
        assert len(view.params["SearchableText"]) <= 200

    def test_unknown_filter_values_are_ignored_with_a_note(self, portal_class, items):
        found, view = search(
            portal_class,
            SearchableText="budżetu 2026",
            portal_type="Document",
            year="abc",
            status=HOSTILE,
            body="parliament",
        )
        assert found == [items["budget"].getId()]
        assert view.found_notes
        for label in (_("Type"), _("Status")):
            assert translate(label, context=view.request) in view.found_notes[0]
        assert HOSTILE not in view.found_notes[0]


# Through the publisher, as the demo users ---------------------------------------------------


@pytest.fixture(scope="class")
def published_site(functional_class):
    functional_class.testSetUp()
    try:
        portal = functional_class["portal"]
        items = create_register_content(portal)
        transaction.commit()
        yield functional_class["app"], portal, items
    finally:
        functional_class.testTearDown()


def result_ids(browser):
    doc = lxml.html.fromstring(browser.contents)
    return [url.rsplit("/", 1)[-1] for url in doc.xpath("//li[@data-state]//h3/a/@href")]


class TestSearchPage:
    @pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik"])
    def test_visitors_and_residents_never_find_drafts(self, published_site, login):
        app, portal, items = published_site
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/pl/bip/@@bip-search?SearchableText=sprawie")
        assert browser.headers["status"].startswith("200")
        assert set(result_ids(browser)) == ids(items, "budget", "water", "order", "streets")

    @pytest.mark.parametrize("login", ["redaktor", "sekretarz", "administrator"])
    def test_bip_staff_find_drafts(self, published_site, login):
        app, portal, items = published_site
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/pl/bip/@@bip-search?SearchableText=tajnego")
        assert result_ids(browser) == [items["draft"].getId()]

    def test_the_form_is_labelled_and_the_count_announced(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(
            f"{portal.absolute_url()}/pl/bip/@@bip-search?SearchableText=bud%C5%BCetu+2026"
        )
        doc = lxml.html.fromstring(browser.contents)
        form = doc.get_element_by_id("bip-search-form")
        assert form.get("role") == "search"
        assert len(form.xpath(".//fieldset/legend")) == 2
        for control in form.xpath(".//input[@type!='hidden'] | .//select"):
            assert form.xpath(f".//label[@for='{control.get('id')}']"), control.get("name")
        assert form.xpath(".//button[@type='submit']")
        count = doc.get_element_by_id("bip-search-count")
        assert count.get("role") == "status"
        assert count.xpath("string(.//*[contains(@class,'number')])") == "1"
        archival = doc.xpath("//*[contains(@class,'bip-archival-badge')]")
        assert archival == []

    def test_archived_results_carry_the_archival_badge(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/pl/bip/@@bip-search?SearchableText=ulic")
        doc = lxml.html.fromstring(browser.contents)
        assert doc.xpath("//li[@data-state='archived']//*[contains(@class,'bip-archival-badge')]")

    def test_without_a_query_only_the_form_is_shown(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/pl/bip/@@bip-search")
        doc = lxml.html.fromstring(browser.contents)
        assert doc.get_element_by_id("bip-search-form") is not None
        assert doc.xpath("//*[@id='bip-search-results']") == []
        assert doc.xpath("string(//*[@id='bip-search-count'])").strip() == ""

    @pytest.mark.parametrize(
        "query",
        [
            "SearchableText=" + "a" * 10_000,
            "SearchableText=%22",
            "SearchableText=AND%20(",
            "SearchableText=*",
            "SearchableText=%3F",
            "SearchableText=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
            "year=abc&status=%3Cscript%3Ealert(1)%3C/script%3E&portal_type=Document",
            "b_start=-1&SearchableText=sprawie",
            "b_start=99999999999999&SearchableText=sprawie",
            "SearchableText:list=a&SearchableText:list=b",
            "year:int=2026",
        ],
    )
    def test_hostile_input_gives_a_page_not_an_error(self, published_site, query):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/pl/bip/@@bip-search?{query}")
        assert browser.headers["status"].startswith("200")
        assert "<script>alert(1)" not in browser.contents

    def test_the_english_search_speaks_english(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/en/bip/@@bip-search?SearchableText=x&year=abc")
        doc = lxml.html.fromstring(browser.contents)
        assert doc.xpath("string(//h1)").strip() == "Search the BIP"
        assert "Some filter values were not understood and are ignored: Year." in (browser.contents)
        assert "Nothing found. Try other words or fewer filters." in browser.contents


@pytest.mark.parametrize(
    "words, query",
    [
        ("uchwała XII/123/2026 AND (", 'uchwała* AND "XII/123/2026"'),
        ('"budżet', "budżet*"),
        ("ZP.271.12.2026", '"ZP.271.12.2026"'),
        ("* ? ( ) NOT or", ""),
        ("a-b", "a* AND b*"),
    ],
)
def test_words_become_a_safe_text_index_query(words, query):
    assert catalog_text_query(words) == query
