"""Investments: budget, status and dates checked on the way in (forms and REST alike), the
public facts on the maps, the page with the photos, and who may add one."""

import ast
import base64
from datetime import date
from decimal import Decimal

import pytest
import transaction
from plone import api
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import Invalid

from ratusz.gis.investment import IInvestment
from ratusz.gis.investment import InvestmentProperties
from ratusz.gis.investment import NegativeBudget
from ratusz.gis.investment import format_pln
from ratusz.gis.investment import investment_statuses
from ratusz.gis.markers import marker_type
from ratusz.i18n import _
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused
from tests.gis.layer_helpers import create_investment

PLANNED_END = _("The planned end cannot be before the planned start.")
ACTUAL_END = _("The actual end cannot be before the actual start.")


def polish(message):
    return translate(message, target_language="pl")


# A 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_amounts_are_written_the_polish_way():
    assert format_pln(Decimal("1250000")) == "1\u00a0250\u00a0000,00\u00a0zł"
    assert format_pln(Decimal("999.999")) == "1\u00a0000,00\u00a0zł"
    assert format_pln(0) == "0,00\u00a0zł"
    assert format_pln(Decimal("-0")) == "0,00\u00a0zł"  # not "-0,00 zł"
    assert format_pln(None) == ""


def test_investments_are_a_marker_type_with_statuses_as_categories():
    kind = marker_type("Investment")
    assert kind is not None
    assert kind.category_vocabulary == "ratusz.gis.investment_statuses"
    assert [term.value for term in investment_statuses(None)] == [
        "planned",
        "tender",
        "in_progress",
        "completed",
        "cancelled",
    ]


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def investment_body(**fields):
    return {
        "@type": "Investment",
        "title": "Przebudowa ul. Górnośląskiej",
        "status": "tender",
        "budget": "4250000.50",
        "contractor": "Drogbud Sp. z o.o.",
        "planned_start": "2026-05-04",
        "planned_end": "2026-12-18",
        "address": "ul. Górnośląska, Kalisz",
        "geolocation": {"latitude": 51.7488, "longitude": 18.0712},
        **fields,
    }


def no_investments():
    transaction.begin()
    return not api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Investment"
    )


def test_an_editor_adds_an_investment_and_the_maps_show_its_public_facts(site):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", "redaktor", investment_body())
    assert response.status_int == 201, response.text
    assert response.json["budget"] in ("4250000.50", 4250000.5)
    transaction.begin()
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Investment"
    )[0]
    assert api.portal.get_tool("portal_catalog").unrestrictedSearchResults(geo_category="tender")
    assert brain.geo_properties == {
        "category": "tender",
        "budget": "4250000.50",
        "budget_text": "4\u00a0250\u00a0000,50\u00a0zł",
        "contractor": "Drogbud Sp. z o.o.",
        "planned_start": "2026-05-04",
        "planned_end": "2026-12-18",
    }
    # the editor sees the draft on the maps, with its status as the category
    geojson = rest(
        app, "GET", f"{portal.absolute_url()}/++api++/@geojson?portal_type=Investment", "redaktor"
    )
    feature = geojson.json["features"][0]
    assert feature["geometry"]["coordinates"] == [18.0712, 51.7488]
    assert feature["properties"]["category"] == "tender"
    assert feature["properties"]["category_title"] in ("Tender", "Przetarg")
    assert feature["properties"]["type_title"] in ("Investments", "Inwestycje")
    anonymous = rest(app, "GET", f"{portal.absolute_url()}/++api++/@geojson?portal_type=Investment")
    assert anonymous.json["features"] == []


def rest_errors(response):
    """plone.restapi's field errors: the repr of a list of dicts in ``message``."""
    return ast.literal_eval(response.json["message"])


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"planned_start": "2026-12-18", "planned_end": "2026-05-04"}, PLANNED_END),
        ({"actual_start": "2026-06-01", "actual_end": "2026-05-31"}, ACTUAL_END),
        ({"budget": "-1"}, "budget"),
        ({"budget": "-0"}, "budget"),
        ({"budget": "12.345"}, "budget"),
        ({"budget": "dużo"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"status": "stolen"}, "status"),
        ({"contractor": '<img src=x onerror="alert(1)">'}, "contractor"),
        ({"planned_start": "2026-02-30"}, "planned_start"),
        ({"geolocation": {"latitude": 95, "longitude": 18}}, "geolocation"),
    ],
    ids=[
        "planned end first",
        "actual end first",
        "negative budget",
        "minus zero",
        "grosze fractions",
        "not a number",
        "infinite",
        "unknown status",
        "markup",
        "no such day",
        "off the map",
    ],
)
def test_rest_refuses_wrong_values_and_creates_nothing(site, fields, field):
    portal, app = site
    response = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", investment_body(**fields)
    )
    assert response.status_int == 400, response.text
    errors = rest_errors(response)
    if isinstance(field, Message):  # an invariant: the message says which dates
        assert [error["message"] for error in errors] == [polish(field)], errors
    else:
        assert [error.get("field") for error in errors] == [field], errors
    assert no_investments()


def test_a_budget_not_a_number_is_named_by_its_title(site):
    portal, app = site
    response = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", investment_body(budget="dużo")
    )
    message = rest_errors(response)[0]["message"]
    assert message.startswith(polish(_("Budget (PLN)")) + ":"), message
    minus_zero = rest(
        app, "POST", f"{portal.absolute_url()}/pl", "redaktor", investment_body(budget="-0")
    )
    assert rest_errors(minus_zero)[0]["message"] == polish(NegativeBudget.__doc__)


def test_dates_may_be_corrected_but_not_reversed_by_patch(site):
    portal, app = site
    item = create_investment(portal, "hala", 51.75, 18.09)
    transaction.commit()
    reversed_ = rest(app, "PATCH", item.absolute_url(), "redaktor", {"planned_end": "2026-01-01"})
    assert reversed_.status_int == 400, reversed_.text  # planned start is 2026-04-01
    moved = rest(app, "PATCH", item.absolute_url(), "redaktor", {"planned_end": "2026-04-01"})
    assert moved.status_int == 204, moved.text
    transaction.begin()
    assert portal.pl["hala"].planned_end == date(2026, 4, 1)


def test_the_invariants_name_the_dates_out_of_order():
    class Data:
        planned_start = date(2026, 5, 1)
        planned_end = date(2026, 4, 1)
        actual_start = date(2026, 5, 2)
        actual_end = date(2026, 5, 2)  # the same day is fine

    errors = []
    with pytest.raises(Invalid):
        IInvestment.validateInvariants(Data(), errors)
    assert [translate(error.args[0], target_language="en") for error in errors] == [
        "The planned end cannot be before the planned start."
    ]


@pytest.mark.parametrize(
    "login, allowed",
    [
        (None, False),
        ("mieszkaniec", False),
        ("urzednik", False),
        ("kierownik", False),
        ("redaktor", True),
        ("administrator", True),
    ],
)
def test_who_may_add_an_investment(site, login, allowed):
    portal, app = site
    response = rest(app, "POST", f"{portal.absolute_url()}/pl", login, investment_body())
    assert (response.status_int == 201) is allowed, (login, response.status_int)


def test_photos_go_inside_and_nothing_else(site):
    portal, app = site
    item = create_investment(portal, "most", 51.76, 18.09)
    transaction.commit()
    image = {
        "@type": "Image",
        "title": "Most przed remontem",
        "description": "Widok od strony parku.",
        "image": {
            "data": base64.b64encode(PNG).decode(),
            "encoding": "base64",
            "filename": "most.png",
            "content-type": "image/png",
        },
    }
    added = rest(app, "POST", item.absolute_url(), "redaktor", image)
    assert added.status_int == 201, added.text
    page = rest(app, "POST", item.absolute_url(), "redaktor", {"@type": "Document", "title": "X"})
    assert page.status_int in (400, 403), page.text

    browser = browser_for(app)
    browser.open(item.absolute_url())
    assert status_of(browser) == 200
    html = browser.contents
    assert "1\u00a0250\u00a0000,00\u00a0zł" in html
    assert "Budimex S.A." in html
    assert "ul. Główna 1, Kalisz" in html
    assert "2026-04-01" in html and "2026-11-30" in html
    assert translate(_("In progress"), target_language="pl") in html
    assert 'alt="Most przed remontem"' in html
    assert "/pl/most/most.png/@@images/image/preview" in html
    assert "Widok od strony parku." in html
    assert 'class="ratusz-map"' in html


@pytest.mark.parametrize(
    "login, allowed",
    [(None, False), ("mieszkaniec", False), ("redaktor", True)],
)
def test_a_draft_investment_is_not_shown_to_visitors(site, login, allowed):
    portal, app = site
    item = create_investment(portal, "szkola", 51.76, 18.09, state="private")
    transaction.commit()
    browser = browser_for(app, login)
    browser.open(item.absolute_url())
    assert was_refused(browser) is not allowed, login
    assert ("Budimex" in browser.contents) is allowed, login


def test_the_properties_leave_out_what_is_not_given():
    class Bare:
        status = "planned"

    assert InvestmentProperties(Bare())() == {"category": "planned"}


def add_form(app, start, end, budget="1000000,00"):
    browser = browser_for(app, "redaktor")
    browser.open(f"{app.plone.absolute_url()}/pl/++add++Investment")
    browser.getControl(name="form.widgets.IBasic.title").value = "Hala sportowa"
    browser.getControl(name="form.widgets.budget").value = budget
    browser.getControl(name="form.widgets.planned_start").value = start
    browser.getControl(name="form.widgets.planned_end").value = end
    browser.getControl(name="form.buttons.save").click()
    return browser


def test_the_add_form_refuses_an_end_before_the_start(site):
    _portal, app = site
    browser = add_form(app, "2026-06-01", "2026-05-01")
    assert "++add++Investment" in browser.url
    assert polish(PLANNED_END) in browser.contents  # the invariant's message, not a label
    assert no_investments()
    browser = add_form(app, "2026-05-01", "2026-06-01")
    assert "/pl/hala-sportowa" in browser.url, browser.url


def test_the_add_form_refuses_minus_zero(site):
    _portal, app = site
    browser = add_form(app, "2026-05-01", "2026-06-01", budget="-0")
    assert "++add++Investment" in browser.url
    assert polish(NegativeBudget.__doc__) in browser.contents
    assert no_investments()
