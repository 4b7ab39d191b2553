"""What the catalog knows of each BIP item: the values registers filter, sort and show."""

from datetime import date

import pytest
from DateTime import DateTime
from plone import api

from ratusz.bip.indexers import natural_sort_key
from ratusz.bip.indexers import sortable_text
from tests.bip.listings_fixtures import create_register_content
from tests.bip.listings_fixtures import html


@pytest.fixture(scope="class")
def items(portal_class):
    return create_register_content(portal_class)


def indexed(obj):
    """The index values and the metadata the catalog holds for ``obj``."""
    catalog = api.portal.get_tool("portal_catalog")
    brain = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(obj))[0]
    data = catalog.getIndexDataForRID(brain.getRID())
    # The catalog reports "" for an index that does not hold the object.
    return {name: None if value == "" else value for name, value in data.items()}, brain


def found(**query):
    """The ids of what the catalog finds (as a Manager: every state)."""
    with api.env.adopt_roles(["Manager"]):
        return {brain.getId for brain in api.content.find(**query)}


class TestIndexers:
    """One site for the class: the content is created once (a layer set-up per test is slow)."""

    def test_legal_act_is_filed_by_year_body_status_kind_and_section(self, items):
        data, brain = indexed(items["budget"])
        assert data["bip_year"] == 2026
        assert data["bip_body"] == "council"
        assert data["bip_status"] == "in_force"
        assert data["bip_kind"] == "resolution"
        assert data["bip_section"] == "prawo-lokalne"
        same_day = (DateTime("2026/01/05 00:00"), DateTime("2026/01/05 23:59"))
        assert items["budget"].getId() in found(
            bip_sort_date={"query": same_day, "range": "min:max"}
        )
        assert brain.bip_summary == {
            "number": "XII/123/2026",
            "date": "2026-01-05",
            "body": "council",
            "status": "in_force",
            "kind": "resolution",
        }

    def test_mayors_order_is_filed_under_the_mayor(self, items):
        data, brain = indexed(items["order"])
        assert (data["bip_body"], data["bip_kind"], data["bip_year"]) == ("mayor", "order", 2026)
        assert brain.bip_summary["number"] == "45/2026"

    def test_announcement_has_a_kind_and_a_period_but_no_status(self, items):
        data, brain = indexed(items["announcement"])
        assert data["bip_kind"] == "notice"
        assert data["bip_year"] == 2026
        assert data["bip_section"] == "ogloszenia-i-obwieszczenia"
        # "current" or "expired" would depend on the day of indexing: not indexed.
        assert data["bip_status"] is None
        assert data["bip_body"] is None
        assert brain.bip_summary == {
            "kind": "notice",
            "valid_from": "2026-02-01",
            "valid_to": "2026-03-01",
        }

    def test_procurement_is_filed_by_procedure_status_and_deadline(self, items):
        data, brain = indexed(items["procurement"])
        assert data["bip_kind"] == "basic"
        assert data["bip_status"] == "open"
        assert data["bip_year"] == 2026
        assert brain.bip_summary == {
            "reference_number": "ZP.271.12.2026",
            "procedure": "basic",
            "value_range": "national",
            "deadline": "2026-04-15T10:00:00",
            "status": "open",
        }

    def test_vacancy_is_filed_by_status_and_deadline(self, items):
        data, brain = indexed(items["vacancy"])
        assert data["bip_status"] == "open"
        assert data["bip_kind"] is None
        assert data["bip_section"] == "nabor-na-stanowiska"
        assert brain.bip_summary == {
            "position": "Inspektor ds. zamówień publicznych",
            "unit": "Wydział Inwestycji",
            "deadline": "2026-03-31T15:30:00",
            "status": "open",
        }

    def test_asset_declaration_is_filed_under_its_own_year(self, items):
        data, brain = indexed(items["declaration"])
        # Filed in 2026, but it declares 2025: the register files it under 2025.
        assert data["bip_year"] == 2025
        assert data["bip_kind"] == "annual"
        assert brain.bip_summary == {
            "person": "Grażyna Przykładowska",
            "office": "Radna Rady Miasta",
            "year": 2025,
            "kind": "annual",
        }

    def test_page_is_dated_by_its_publication(self, items):
        data, brain = indexed(items["page"])
        assert data["bip_year"] == items["page"].effective_date.year()
        assert data["bip_section"] == "status-prawny"
        assert data["bip_status"] is None
        assert brain.bip_summary == {}

    def test_section_belongs_to_its_top_level_section(self, portal_class):
        data, _brain = indexed(portal_class.pl.bip["prawo-lokalne"]["uchwaly"])
        assert data["bip_section"] == "prawo-lokalne"
        root_data, _brain = indexed(portal_class.pl.bip)
        assert root_data["bip_section"] is None

    def test_content_outside_the_bip_is_not_in_the_bip_indexes(self, portal_class):
        with api.env.adopt_roles(["Manager"]):
            document = api.content.create(
                container=portal_class.pl, type="Document", title="Aktualności", description="x"
            )
        data, brain = indexed(document)
        for index in ("bip_year", "bip_body", "bip_status", "bip_kind", "bip_section"):
            assert data[index] is None, index
        assert not brain.bip_summary

    def test_editing_an_act_updates_its_register_values(self, items):
        act = items["water"]
        with api.env.adopt_roles(["Manager"]):
            act.act_status = "in_force"
            act.act_date = date(2024, 12, 30)
            act.reindexObject()
        data, brain = indexed(act)
        assert (data["bip_status"], data["bip_year"]) == ("in_force", 2024)
        assert brain.bip_summary["date"] == "2024-12-30"

    @pytest.mark.parametrize(
        "words, expected",
        [
            ('"XII/123/2026"', "budget"),  # the act's number
            ('"ZP.271.12.2026"', "procurement"),  # a procurement's reference number
            ("Przykładowska", "declaration"),  # the person of a declaration
            ("Inspektor", "vacancy"),  # the position
            ("Inwestycji", "vacancy"),  # the unit
            ("Pzp", "vacancy"),  # the requirements (rich text)
            ("osiedla", "announcement"),  # the announcement's text
            ("ustrój", "page"),  # a page's text
        ],
    )
    def test_full_text_finds_the_type_specific_fields(self, items, words, expected):
        assert items[expected].getId() in found(SearchableText=words)

    def test_full_text_finds_the_producer_of_the_information(self, items):
        names = found(SearchableText="Wytwórca")
        assert {items["budget"].getId(), items["vacancy"].getId()} <= names

    def test_full_text_finds_a_section_by_its_introduction(self, portal_class):
        section = portal_class.pl.bip["budzet-i-finanse"]
        with api.env.adopt_roles(["Manager"]):
            section.text = html("<p>Sprawozdania z wykonania budżetu i wieloletnia prognoza.</p>")
            section.reindexObject()
        assert "budzet-i-finanse" in found(SearchableText="prognoza", portal_type="BipSection")


def test_act_numbers_sort_as_people_read_them():
    numbers = ["XII/1234/2026", "IX/5/2026", "XII/123/2026", "XII/99/2026"]
    assert sorted(numbers, key=natural_sort_key) == [
        "IX/5/2026",
        "XII/99/2026",
        "XII/123/2026",
        "XII/1234/2026",
    ]


def test_names_sort_without_case_or_accents():
    assert sortable_text("Łukasz Żak") == "lukasz zak"
