"""The integrator's recipe (docs/cases.md, "Adding a case workflow"): a fourth case
workflow added by a profile alone works end to end, dashboards and record included."""

from datetime import date
from pathlib import Path

import pytest
import transaction
from plone import api
from Products.GenericSetup import profile_registry
from Products.GenericSetup.interfaces import EXTENSION

from ratusz.cases.archive import archive_settled
from ratusz.cases.case import audit_trail
from ratusz.cases.case import create_case
from ratusz.cases.case import run_transition
from ratusz.cases.case import settle
from ratusz.cases.dashboards import dashboard
from ratusz.cases.dashboards import search_cases
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import sync

PROFILE = Path(__file__).parent / "integrator_profile"


@pytest.fixture
def integrator_profile(functional):
    """The test profile (a workflow definition and a kind in registry.xml), imported."""
    profile_registry.registerProfile(
        "test-integrator", "Integrator's case workflow", "", str(PROFILE), "ratusz", EXTENSION
    )
    try:
        setup = api.portal.get_tool("portal_setup")
        setup.runAllImportStepsFromProfile("profile-ratusz:test-integrator")
        transaction.commit()
        yield functional["portal"]
    finally:
        profile_registry.unregisterProfile("test-integrator", "ratusz")


def test_a_fourth_workflow_from_a_profile_runs_end_to_end(integrator_profile, functional):
    portal = integrator_profile
    with api.env.adopt_user(username="urzednik"):
        case = create_case(
            portal.intranet.sprawy,
            title="Rozbiórka budynku gospodarczego",
            department="OR",
            jrwa="0020",
            kind="inspection",
        )
    assert api.portal.get_tool("portal_workflow").getChainFor(case) == ("ratusz_case_inspection",)
    with api.env.adopt_user(username="urzednik"):
        run_transition(case, "start")
        run_transition(case, "order_inspection", "Oględziny 2 grudnia")
    assert api.content.get_state(case) == "inspection"
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.unrestrictedSearchResults(case_sign=case.sign)[0].case_phase == "waiting"
    with api.env.adopt_user(username="urzednik"):
        mine = dashboard("assigned_to_me")["items"]
        assert [(row["reference"], row["state"]) for row in mine] == [(case.sign, "waiting")]
        assert [r["reference"] for r in search_cases({"phase": "waiting"})["items"]] == [case.sign]
    transaction.commit()
    browser = browser_for(functional["app"], "urzednik")
    browser.open(case.absolute_url())
    browser.getLink(id="ratusz-case-inspection_done").click()
    browser.getControl(name="text").value = "Protokół oględzin w aktach"
    browser.getForm(id="ratusz-case-action-form").submit()
    sync()
    assert api.content.get_state(case) == "in_progress"
    with api.env.adopt_user(username="urzednik"):
        settle(case, "Decyzja o rozbiórce", today=date(2026, 1, 5))
    case.reindexObject()
    assert archive_settled(portal, today=date(2026, 3, 1)) == [case.sign]
    actions = [entry["action"] for entry in audit_trail(case)]
    assert actions == [
        "Case opened",
        "Start work",
        "Order an on-site inspection",
        "Inspection report received",
        "Settle",
        "Archive",
    ]
    transaction.commit()
    browser.open(f"{case.absolute_url()}/@@case-record?format=csv")
    record = (
        browser.contents.decode("utf-8-sig")
        if isinstance(browser.contents, bytes)
        else browser.contents
    )
    assert "Oględziny 2 grudnia" in record
    assert "Protokół oględzin w aktach" in record
