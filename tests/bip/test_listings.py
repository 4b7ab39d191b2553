"""The BIP registers: which items a reader sees, in which order, and what bad input does."""

from datetime import date
from unittest import mock

import lxml.html
import pytest
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

from ratusz.interfaces import IRatuszLayer
from tests.bip.listings_fixtures import anonymous
from tests.bip.listings_fixtures import create_act
from tests.bip.listings_fixtures import create_register_content
from tests.bip.pages_fixtures import browser_for

HOSTILE = "<script>alert(1)</script>"


def section_at(portal, path):
    return portal.unrestrictedTraverse(f"pl/bip/{path}")


def render(portal, path="prawo-lokalne/uchwaly", as_anonymous=True, **form):
    """The register table of the section at ``path`` for the query ``form``, parsed."""
    section = section_at(portal, path)
    request = portal.REQUEST
    request.form.clear()
    request.form.update(form)
    request["ACTUAL_URL"] = f"{section.absolute_url()}/@@bip-register"
    alsoProvides(request, IRatuszLayer)
    view = getMultiAdapter((section, request), name="bip-register-table")
    if as_anonymous:
        with anonymous():
            html = view()
    else:
        with api.env.adopt_user(username=SITE_OWNER_NAME):
            html = view()
    return lxml.html.fromstring(html), html


def row_ids(doc):
    return [url.rsplit("/", 1)[-1] for url in doc.xpath("//tr[@data-url]/@data-url")]


def ids(items, *keys):
    return [items[key].getId() for key in keys]


def column_ids(doc):
    return doc.xpath("(//table)[1]/thead//th/@data-column")


def cell(doc, column):
    """The texts of one column, row by row."""
    return [
        " ".join(td.text_content().split())
        for td in doc.xpath(f"//tr[@data-url]/td[@data-column='{column}']")
    ]


@pytest.fixture(scope="class")
def items(portal_class):
    return create_register_content(portal_class)


class TestLegalActsRegister:
    """Council resolutions: one site for the class, the content is created once."""

    def test_shows_current_published_acts_newest_first(self, portal_class, items):
        doc, _html = render(portal_class)
        assert row_ids(doc) == ids(items, "order", "budget", "water")
        assert (
            doc.xpath(
                "string(//*[@id='bip-register-count']//span[@class][contains(@class,'number')])"
            )
            == "3"
        )

    def test_drafts_and_archived_acts_are_not_listed(self, portal_class, items):
        doc, _html = render(portal_class)
        assert items["draft"].getId() not in row_ids(doc)
        assert items["streets"].getId() not in row_ids(doc)

    def test_acts_are_grouped_by_year_when_not_filtered_by_year(self, portal_class, items):
        doc, _html = render(portal_class)
        assert doc.xpath("//h2[contains(@class,'bip-register-year')]/text()") == [
            "2026",
            "2025",
        ]

    def test_columns_show_number_date_subject_body_and_status(self, portal_class, items):
        doc, _html = render(portal_class)
        assert column_ids(doc) == ["number", "date", "title", "body", "status"]
        assert cell(doc, "number")[1] == "XII/123/2026"
        assert doc.xpath("//tr[@data-url][2]/td[@data-column='date']/time/@datetime") == [
            "2026-01-05"
        ]
        link = doc.xpath("//tr[@data-url][2]/td[@data-column='title']/a")[0]
        assert link.get("href") == items["budget"].absolute_url()
        assert link.text_content().strip() == items["budget"].title

    @pytest.mark.parametrize(
        "form, expected",
        [
            ({"year": "2025"}, ("water",)),
            ({"year": "2026"}, ("order", "budget")),
            ({"body": "mayor"}, ("order",)),
            ({"body": "council"}, ("budget", "water")),
            ({"status": "repealed"}, ("water",)),
            ({"kind": "order"}, ("order",)),
            ({"year": "2026", "body": "council"}, ("budget",)),
            ({"SearchableText": "budżetu"}, ("budget",)),
            ({"SearchableText": "XII/123/2026"}, ("budget",)),
            ({"SearchableText": "45/2026"}, ("order",)),
            ({"year": "2024"}, ()),
        ],
    )
    def test_filters_narrow_the_register(self, portal_class, items, form, expected):
        doc, _html = render(portal_class, **form)
        assert row_ids(doc) == ids(items, *expected)

    def test_year_filter_drops_the_year_headings(self, portal_class, items):
        doc, _html = render(portal_class, year="2026")
        assert doc.xpath("//h2[contains(@class,'bip-register-year')]") == []
        assert doc.xpath("//select[@name='year']/option[@selected]/@value") == ["2026"]

    def test_archive_shows_only_archived_acts(self, portal_class, items):
        doc, _html = render(portal_class)
        archive_link = doc.get_element_by_id("bip-register-archive-link").get("href")
        assert "archive=1" in archive_link
        doc, _html = render(portal_class, archive="1")
        assert row_ids(doc) == ids(items, "streets")
        current_link = doc.get_element_by_id("bip-register-current-link").get("href")
        assert "archive" not in current_link
        # The filter form keeps the reader in the archive.
        assert doc.xpath("//form//input[@name='archive']/@value") == ["1"]

    @pytest.mark.parametrize(
        "sort_on, sort_order, expected",
        [
            ("date", "ascending", ("water", "budget", "order")),
            ("number", "ascending", ("water", "budget", "order")),
            ("number", "descending", ("order", "budget", "water")),
            ("title", "ascending", ("budget", "water", "order")),
            ("body", "descending", ("order", "budget", "water")),
            ("status", "ascending", ("budget", "order", "water")),
        ],
    )
    def test_every_column_sorts(self, portal_class, items, sort_on, sort_order, expected):
        doc, _html = render(portal_class, sort_on=sort_on, sort_order=sort_order)
        assert row_ids(doc) == ids(items, *expected)

    def test_sorted_column_is_announced_and_its_link_reverses_the_order(self, portal_class, items):
        doc, _html = render(portal_class, sort_on="number", sort_order="ascending", body="council")
        sorted_headers = doc.xpath("//th[@aria-sort]")
        assert [th.get("data-column") for th in sorted_headers] == ["number"]
        assert sorted_headers[0].get("aria-sort") == "ascending"
        link = sorted_headers[0].xpath("a/@href")[0]
        assert "sort_order=descending" in link
        assert "body=council" in link  # the filters stay
        other = doc.xpath("//th[@data-column='date']/a/@href")[0]
        assert "sort_on=date" in other and "sort_order=ascending" in other

    def test_hostile_and_wrong_values_are_ignored_with_a_note(self, portal_class, items):
        doc, html = render(
            portal_class,
            year="abc",
            status=HOSTILE,
            kind="x" * 5000,
            sort_on="__class__",
            sort_order="sideways",
            b_start="-5",
        )
        assert row_ids(doc) == ids(items, "order", "budget", "water")
        assert doc.xpath("//*[contains(@class,'bip-register-notes')]//p")
        assert HOSTILE not in html
        assert "__class__" not in html

    def test_repeated_parameters_take_the_first_value(self, portal_class, items):
        doc, _html = render(portal_class, year=["2025", "2026"])
        assert row_ids(doc) == ids(items, "water")

    @pytest.mark.parametrize(
        "words",
        ['"', "uchwała AND (", "*", "?", "NOT", ")(", '"budżetu', "a" * 10_000, "\x00"],
    )
    def test_words_that_break_the_text_index_do_not_break_the_page(
        self, portal_class, items, words
    ):
        doc, html = render(portal_class, SearchableText=words)
        assert doc.get_element_by_id("bip-register-count") is not None
        assert "<script" not in html

    def test_a_huge_text_is_shortened_and_said_so(self, portal_class, items):
        doc, html = render(portal_class, SearchableText="budżetu " * 2000)
        assert doc.xpath("//*[contains(@class,'bip-register-notes')]//p")
        assert len(doc.xpath("//input[@name='SearchableText']/@value")[0]) <= 200
        assert row_ids(doc) == ids(items, "budget")

    def test_hostile_words_are_echoed_escaped(self, portal_class, items):
        doc, html = render(portal_class, SearchableText=f'"><img src=x onerror=alert(1)> {HOSTILE}')
        assert "<img src=x" not in html
        assert HOSTILE not in html

    def test_rows_come_from_the_catalog_without_waking_objects(self, portal_class, items):
        from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain

        with mock.patch.object(
            AbstractCatalogBrain, "getObject", side_effect=AssertionError("woke an object")
        ):
            doc, _html = render(portal_class, sort_on="number")
        assert len(row_ids(doc)) == 3

    def test_staff_see_drafts_marked_as_drafts(self, portal_class, items):
        doc, _html = render(portal_class, as_anonymous=False)
        draft_rows = doc.xpath("//tr[@data-state='draft']/@data-url")
        assert [url.rsplit("/", 1)[-1] for url in draft_rows] == ids(items, "draft")
        assert doc.xpath("//tr[@data-state='draft']//*[contains(@class,'bip-state-badge')]")


class TestOtherRegisters:
    def test_announcements_show_kind_and_publication_period(self, portal_class, items):
        doc, _html = render(portal_class, "ogloszenia-i-obwieszczenia")
        assert column_ids(doc) == ["title", "kind", "valid_from", "valid_to"]
        assert row_ids(doc) == ids(items, "announcement")
        assert doc.xpath("//td[@data-column='valid_to']/time/@datetime") == ["2026-03-01"]
        # No status filter: an announcement has none.
        assert doc.xpath("//select[@name='status']") == []
        assert doc.xpath("//select[@name='kind']/option/@value") == [
            "",
            "announcement",
            "notice",
        ]

    def test_procurements_show_reference_procedure_deadline_and_status(self, portal_class, items):
        doc, _html = render(portal_class, "zamowienia-publiczne")
        assert column_ids(doc) == ["reference_number", "title", "procedure", "deadline", "status"]
        assert cell(doc, "reference_number") == ["ZP.271.12.2026"]
        assert doc.xpath("//td[@data-column='deadline']/time/@datetime") == ["2026-04-15T10:00:00"]
        doc, _html = render(portal_class, "zamowienia-publiczne", status="awarded")
        assert row_ids(doc) == []

    def test_vacancies_show_position_unit_deadline_and_status(self, portal_class, items):
        doc, _html = render(portal_class, "nabor-na-stanowiska", status="open")
        assert column_ids(doc) == ["position", "unit", "deadline", "status"]
        assert cell(doc, "position") == ["Inspektor ds. zamówień publicznych"]
        assert doc.xpath("//td[@data-column='position']/a/@href") == [
            items["vacancy"].absolute_url()
        ]
        assert cell(doc, "unit") == ["Wydział Inwestycji"]

    def test_declarations_show_person_office_year_and_kind(self, portal_class, items):
        doc, _html = render(portal_class, "oswiadczenia-majatkowe", year="2025", kind="annual")
        assert column_ids(doc) == ["person", "office", "year", "kind"]
        assert cell(doc, "person") == ["Grażyna Przykładowska"]
        assert cell(doc, "year") == ["2025"]
        doc, _html = render(portal_class, "oswiadczenia-majatkowe", year="2026")
        assert row_ids(doc) == []

    def test_a_section_that_is_not_a_register_renders_no_table(self, portal_class, items):
        section = section_at(portal_class, "status-prawny")
        view = getMultiAdapter((section, portal_class.REQUEST), name="bip-register-table")
        assert view() == ""

    def test_a_long_register_comes_in_pages_of_fifty(self, portal_class, items):
        orders = section_at(portal_class, "prawo-lokalne/zarzadzenia")
        for number in range(1, 53):
            create_act(
                orders,
                f"Zarządzenie nr {number}",
                f"{number}/2026",
                date(2026, 1, 1 + number % 28),
                body="mayor",
                kind="order",
                state="draft",
            )
        doc, _html = render(portal_class, "prawo-lokalne/zarzadzenia", as_anonymous=False)
        assert len(row_ids(doc)) == 50
        assert doc.xpath("//*[contains(@class,'bip-register-pages')]//a")
        doc, _html = render(
            portal_class, "prawo-lokalne/zarzadzenia", as_anonymous=False, b_start="50"
        )
        assert len(row_ids(doc)) == 2


# Through the publisher, as the demo users ---------------------------------------------------


@pytest.fixture(scope="class")
def published_site(functional_class):
    """The demo site with the register content, committed for zope.testbrowser."""
    functional_class.testSetUp()
    try:
        portal = functional_class["portal"]
        items = create_register_content(portal)
        transaction.commit()
        yield functional_class["app"], portal, items
    finally:
        functional_class.testTearDown()


REGISTER = "pl/bip/prawo-lokalne/uchwaly/@@bip-register"


class TestRegisterPage:
    @pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik"])
    def test_public_and_residents_see_published_acts_only(self, published_site, login):
        app, portal, items = published_site
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{REGISTER}")
        assert browser.headers["status"].startswith("200")
        doc = lxml.html.fromstring(browser.contents)
        assert row_ids(doc) == ids(items, "order", "budget", "water")
        assert items["draft"].title not in browser.contents

    @pytest.mark.parametrize("login", ["redaktor", "sekretarz", "administrator"])
    def test_bip_staff_see_drafts_in_the_register(self, published_site, login):
        app, portal, items = published_site
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{REGISTER}")
        doc = lxml.html.fromstring(browser.contents)
        assert items["draft"].getId() in row_ids(doc)
        assert doc.xpath("//tr[@data-state='draft']")

    def test_the_page_has_the_section_title_and_the_register(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/{REGISTER}")
        doc = lxml.html.fromstring(browser.contents)
        assert doc.xpath("string(//h1)").strip() == "Uchwały Rady Miasta"
        assert doc.xpath("//form[@id='bip-register-filters']//fieldset/legend")
        assert doc.xpath("//label[@for='bip-register-year']")

    def test_hostile_query_string_gives_a_page_not_an_error(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(
            f"{portal.absolute_url()}/{REGISTER}?year=abc&status=%3Cscript%3Ealert(1)%3C/script%3E"
            "&sort_on=nonsense&sort_order=%22%3E&b_start=x&SearchableText=AND%20(%22"
            "&kind:list=a&kind:list=b"
        )
        assert browser.headers["status"].startswith("200")
        assert "<script>alert(1)" not in browser.contents
        doc = lxml.html.fromstring(browser.contents)
        assert doc.xpath("//*[contains(@class,'bip-register-notes')]")

    def test_english_register_speaks_english(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/en/bip/local-law/resolutions/@@bip-register?year=x")
        assert "Some filter values were not understood and are ignored: Year." in (browser.contents)
        assert "Show the archive" in browser.contents

    def test_a_plain_section_says_it_is_not_a_register(self, published_site):
        app, portal, items = published_site
        browser = browser_for(app)
        browser.open(f"{portal.absolute_url()}/pl/bip/status-prawny/@@bip-register")
        assert browser.headers["status"].startswith("200")
        assert 'class="bip-register-none"' in browser.contents


# The sort indexes an upgrade step adds (catalog.xml): sorting uses them when present -----


SORT_INDEXES = {
    "bip_number": "FieldIndex",
    "bip_name": "FieldIndex",
    "bip_unit": "FieldIndex",
    "bip_end_date": "DateIndex",
}


@pytest.fixture(scope="class")
def indexed_items(portal_class):
    catalog = api.portal.get_tool("portal_catalog")
    for name, meta_type in SORT_INDEXES.items():
        if name not in catalog.indexes():
            catalog.addIndex(name, meta_type)
    items = create_register_content(portal_class)
    for item in items.values():
        item.reindexObject(idxs=list(SORT_INDEXES))
    return items


class TestSortIndexes:
    @pytest.mark.parametrize(
        "path, sort_on, index, count",
        [
            ("prawo-lokalne/uchwaly", "number", "bip_number", 3),
            ("zamowienia-publiczne", "reference_number", "bip_number", 1),
            ("nabor-na-stanowiska", "position", "bip_name", 1),
            ("oswiadczenia-majatkowe", "office", "bip_unit", 1),
            ("ogloszenia-i-obwieszczenia", "valid_to", "bip_end_date", 1),
        ],
    )
    def test_the_catalog_sorts_when_the_index_exists(
        self, portal_class, indexed_items, path, sort_on, index, count
    ):
        section = section_at(portal_class, path)
        request = portal_class.REQUEST
        request.form.clear()
        request.form.update(sort_on=sort_on)
        view = getMultiAdapter((section, request), name="bip-register-table")
        assert view.query()["sort_on"] == [index, "sortable_title"]
        doc, _html = render(portal_class, path, sort_on=sort_on)
        # Every item is in the sort index: none is dropped from the register.
        assert len(row_ids(doc)) == count

    @pytest.mark.parametrize(
        "sort_order, expected",
        [
            ("ascending", ("water", "budget", "order")),
            ("descending", ("order", "budget", "water")),
        ],
    )
    def test_acts_sort_by_number_through_the_index(
        self, portal_class, indexed_items, sort_order, expected
    ):
        doc, _html = render(portal_class, sort_on="number", sort_order=sort_order)
        assert row_ids(doc) == ids(indexed_items, *expected)
