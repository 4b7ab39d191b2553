"""A change of a published BIP item must say what changed (requirements B2).

The edit form is used as a BIP editor uses it (zope.testbrowser over the demo
site); English is asked for, so the msgids are what the pages show.
"""

import pytest
import transaction
from plone import api

from ratusz.bip import changelog
from ratusz.bip.changenote import MISSING_NOTE
from ratusz.bip.changenote import NOTE_TOO_LONG
from tests.bip.helpers import make_act
from tests.bip.helpers import make_published_act
from tests.bip.helpers import shows
from tests.bip.pages_fixtures import browser_for

TITLE = "form.widgets.IBasic.title"
NOTE = "form.widgets.IVersionable.changeNote"


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def edit_form(app, obj, login="redaktor"):
    browser = browser_for(app, login, language="en")
    browser.open(f"{obj.absolute_url()}/edit")
    assert browser.headers["status"].startswith("200"), browser.headers["status"]
    return browser


def saved_state(obj):
    transaction.begin()  # see what the browser's request committed
    register = changelog.get_register()
    keys = register.item_keys(obj.UID())
    return obj.Title(), obj.version_id, [register.entries[key] for key in keys]


def test_published_item_without_a_note_is_refused_and_nothing_saved(site):
    portal, app = site
    act = make_published_act(title="Uchwała budżetowa", staff=True)
    transaction.commit()
    before = saved_state(act)

    browser = edit_form(app, act)
    browser.getControl(name=TITLE).value = "Uchwała budżetowa (zmieniona)"
    browser.getControl(name=NOTE).value = "   "
    browser.getControl(name="form.buttons.save").click()

    assert shows(browser.contents, MISSING_NOTE)
    assert "/edit" in browser.url or "@@edit" in browser.url
    assert "Uchwała budżetowa (zmieniona)" in browser.contents  # the typed text is kept
    assert saved_state(act) == before


def test_published_item_with_a_note_is_saved_as_a_version_with_that_note(site):
    portal, app = site
    act = make_published_act(title="Uchwała o podatkach", staff=True)
    transaction.commit()
    version_before = act.version_id

    browser = edit_form(app, act)
    browser.getControl(name=TITLE).value = "Uchwała o podatkach lokalnych"
    browser.getControl(name=NOTE).value = "Uzupełniono tytuł"
    browser.getControl(name="form.buttons.save").click()

    assert not shows(browser.contents, MISSING_NOTE)
    title, version_id, entries = saved_state(act)
    assert title == "Uchwała o podatkach lokalnych"
    assert version_id == version_before + 1
    newest = entries[0]
    assert (newest["action"], newest["note"], newest["fullname"]) == (
        "edited",
        "Uzupełniono tytuł",
        "Ewa Redaktor",
    )
    with api.env.adopt_roles(["Manager"]):
        history = api.portal.get_tool("portal_repository").getHistoryMetadata(act)
    comment = history.retrieve(version_id)["metadata"]["sys_metadata"]["comment"]
    assert comment == "Uzupełniono tytuł"


def test_a_huge_note_is_refused(site):
    portal, app = site
    act = make_published_act(title="Uchwała o opłatach", staff=True)
    transaction.commit()
    before = saved_state(act)

    browser = edit_form(app, act)
    browser.getControl(name=NOTE).value = "x" * 5000
    browser.getControl(name="form.buttons.save").click()

    assert shows(browser.contents, NOTE_TOO_LONG)
    assert saved_state(act) == before


def test_a_draft_is_saved_without_a_note(site):
    portal, app = site
    act = make_act(title="Projekt uchwały", editor="redaktor")
    transaction.commit()

    browser = edit_form(app, act)
    browser.getControl(name=TITLE).value = "Projekt uchwały (poprawiony)"
    browser.getControl(name="form.buttons.save").click()

    assert not shows(browser.contents, MISSING_NOTE)
    title, _version, entries = saved_state(act)
    assert title == "Projekt uchwały (poprawiony)"
    assert entries[0]["action"] == "edited"
    assert entries[0]["review_state"] == "draft"
