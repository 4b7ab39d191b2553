# ruff: noqa: F811 (the boards fixture is imported)
"""Workflow titles: Plone translates them in the ``plone`` domain, so Ratusz ships them there.

The State menu, folder contents, listings and plone.restapi's ``@workflow``
translate a state's or transition's title with the ``plone`` domain; the
titles of our workflows are in no plone.app.locales catalogue, so our
``plone.po`` (pl, uk) holds them.
"""

import base64
from pathlib import Path

import pytest
from lxml import etree
from plone.testing.zope import Browser
from zope.i18n import translate

from ratusz.demo import DEMO_USERS
from tests.gis.reports_helpers import boards  # noqa: F401 (a fixture)
from tests.gis.reports_helpers import file_report
from tests.gis.reports_helpers import transition

WORKFLOWS = Path(__file__).resolve().parents[1] / "profiles" / "default" / "workflows"

# Titles that read the same in Polish or Ukrainian (proper names and the like).
# None today: a title added here must be one a translator would leave as it is.
SAME_IN_TRANSLATION = {"pl": set(), "uk": set()}


def workflow_titles():
    """``[(title, where)]``: every state, transition and menu title (and tooltip) of our workflows.

    >>> ("Settled", "ratusz_case_simple state settled") in workflow_titles()
    True
    """
    titles = []
    for definition in sorted(WORKFLOWS.glob("*/definition.xml")):
        root = etree.parse(str(definition)).getroot()
        name = definition.parent.name
        titles.append((root.get("title"), f"{name} (workflow)"))
        for state in root.iter("state"):
            titles.append((state.get("title"), f"{name} state {state.get('state_id')}"))
        for item in root.iter("transition"):
            where = f"{name} transition {item.get('transition_id')}"
            titles.append((item.get("title"), where))
            # The menu shows the action's name (actbox_name), which may differ.
            action = item.find("action")
            if action is not None and (action.text or "").strip():
                titles.append((action.text.strip(), f"{where} (menu)"))
            # The State menu shows the description as the item's tooltip.
            description = (item.findtext("description") or "").strip()
            if description:
                titles.append((description, f"{where} (tooltip)"))
    return titles


def test_the_workflows_are_all_read():
    found = {where: title for title, where in workflow_titles()}
    assert len({where.split()[0] for where in found}) == len(list(WORKFLOWS.iterdir()))
    assert found["ratusz_report_workflow state accepted"] == "Accepted"
    assert found["ratusz_incoming_workflow transition assign_clerk (menu)"] == "Assign to a clerk"


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_every_workflow_title_is_translated(integration, language):
    untranslated = sorted(
        f"{where}: {title}"
        for title, where in workflow_titles()
        if title not in SAME_IN_TRANSLATION[language]
        and translate(title, domain="plone", target_language=language) == title
    )
    assert untranslated == []


def test_english_titles_stay_english(integration):
    changed = sorted(
        title
        for title, _where in workflow_titles()
        if translate(title, domain="plone", target_language="en") != title
    )
    assert changed == []


@pytest.mark.parametrize(
    "title, language, expected",
    [
        # The wording of the ratusz domain (report_state_*, the case screens):
        ("New, awaiting moderation", "pl", "Nowe, czeka na moderację"),
        ("Accepted", "uk", "Прийняте"),
        ("Settled", "pl", "Załatwiona"),
        ("Assigned to a clerk", "uk", "Розподілено на працівника"),
        # plone.app.locales' own translation is kept, not replaced:
        ("Published", "pl", "Opublikowany"),
        ("Reject", "pl", "Odrzuć"),
        ("Pending review", "uk", "Непідтверджений"),
    ],
)
def test_titles_use_the_wording_of_our_screens(integration, title, language, expected):
    assert translate(title, domain="plone", target_language=language) == expected


def workflow_of(app, item, login, language):
    """GET ``@workflow`` of ``item`` as a demo user whose browser asks for ``language``."""
    caller = Browser(app).testapp
    credentials = base64.b64encode(f"{login}:{DEMO_USERS[login][2]}".encode()).decode()
    headers = {
        "Accept": "application/json",
        "Accept-Language": language,
        "Authorization": f"Basic {credentials}",
    }
    return caller.get(f"{item.absolute_url()}/@workflow", headers=headers, expect_errors=True)


@pytest.mark.parametrize(
    "language, accepted, start, duplicate",
    [
        ("pl", "Przyjęte", "Rozpocznij realizację", "Oznacz jako duplikat"),
        ("uk", "Прийняте", "Розпочати виконання", "Позначити як дублікат"),
        ("en", "Accepted", "Start the work", "Mark as duplicate"),
    ],
)
def test_a_clerk_reads_a_reports_state_in_their_language(
    functional, boards, language, accepted, start, duplicate
):
    report, _token = file_report(boards[language])
    transition(report, "accept")

    response = workflow_of(functional["app"], report, "urzednik", language)

    assert response.status_int == 200, response.body[:300]
    workflow = response.json
    assert workflow["state"] == {"id": "accepted", "title": accepted}
    menu = {item["@id"].rsplit("/", 1)[-1]: item["title"] for item in workflow["transitions"]}
    assert menu["start"] == start
    assert menu["mark_duplicate"] == duplicate
