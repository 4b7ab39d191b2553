"""An item's history (``@@bip-history``) and its earlier versions (``@@bip-version``):
the public reads the versions that were public, the BIP staff all of them."""

import pytest
import transaction
from lxml import html as lxml_html

from tests.bip.helpers import edit
from tests.bip.helpers import html
from tests.bip.helpers import make_act
from tests.bip.helpers import publish
from tests.bip.pages_fixtures import browser_for

HOSTILE = '<script>alert("bip")</script>'


@pytest.fixture
def act(functional):
    """A resolution with two draft versions, its publication and a public edit.

    Versions: 0 created (draft), 1 edited (draft), 2 published, 3 edited (published).
    """
    act = make_act(title="Uchwała o zieleni", editor="redaktor")
    edit(act, note="Szkic roboczy", by="redaktor", text=html("<p>Wersja robocza.</p>"))
    publish(act, by="sekretarz")
    edit(
        act,
        note=f"Poprawiono treść {HOSTILE}",
        by="redaktor",
        title="Uchwała o zieleni miejskiej",
        text=html("<p>Rada Miasta postanawia.</p><p>Nowy paragraf.</p>"),
    )
    transaction.commit()
    return act


def open_page(functional, url, login=None):
    browser = browser_for(functional["app"], login, language="en")
    browser.handleErrors = True  # Zope's error pages, as a visitor gets them
    browser.open(url)
    return browser


def text(browser):
    contents = browser.contents
    return contents.decode("utf-8", "replace") if isinstance(contents, bytes) else contents


def versions_listed(browser):
    tree = lxml_html.fromstring(text(browser) or "<html></html>")
    return [row.get("data-version") for row in tree.cssselect("tr.bip-history-entry")]


def test_anonymous_sees_the_public_versions_only(functional, act):
    browser = open_page(functional, f"{act.absolute_url()}/@@bip-history")
    assert browser.headers["status"].startswith("200")
    assert versions_listed(browser) == ["3", "2"]
    assert "Szkic roboczy" not in browser.contents
    tree = lxml_html.fromstring(browser.contents)
    first = tree.cssselect("tr.bip-history-entry")[0]
    assert first.cssselect("time")[0].get("datetime").startswith("20")
    assert first.cssselect(".bip-history-who")[0].text_content().strip() == "Ewa Redaktor"
    assert first.get("data-state") == "published"


def test_residents_and_clerks_see_what_anonymous_sees_staff_see_all(functional, act):
    url = f"{act.absolute_url()}/@@bip-history"
    for login in ("mieszkaniec", "urzednik", "kierownik"):
        assert versions_listed(open_page(functional, url, login)) == ["3", "2"], login
    for login in ("redaktor", "sekretarz", "administrator"):
        browser = open_page(functional, url, login)
        assert versions_listed(browser) == ["3", "2", "1", "0"], login
        assert "Szkic roboczy" in text(browser)


def test_hostile_change_note_is_shown_as_text(functional, act):
    browser = open_page(functional, f"{act.absolute_url()}/@@bip-history")
    assert HOSTILE not in browser.contents
    assert "&lt;script&gt;" in browser.contents
    tree = lxml_html.fromstring(browser.contents)
    note = tree.cssselect("tr.bip-history-entry .bip-history-note")[0].text_content()
    assert HOSTILE in note


def test_an_earlier_public_version_is_readable_with_what_changed(functional, act):
    browser = open_page(functional, f"{act.absolute_url()}/@@bip-version?version=3")
    assert browser.headers["status"].startswith("200")
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#bip-version-notice time")[0].get("datetime")
    assert tree.cssselect("#bip-version-notice")[0].get("role") == "note"
    inserted = [" ".join(e.text_content().split()) for e in tree.cssselect(".bip-diff ins")]
    removed = [" ".join(e.text_content().split()) for e in tree.cssselect(".bip-diff del")]
    assert any("Uchwała o zieleni miejskiej" in line for line in inserted)
    assert any("Nowy paragraf." in line for line in inserted)
    assert any("Uchwała o zieleni" in line for line in removed)
    assert any("Wersja robocza." in line for line in removed)
    # The public comparison skips the drafts: version 2 is the previous public one.
    assert tree.cssselect("#bip-version-changes")[0].get("data-compared-with") == "2"

    older = open_page(functional, f"{act.absolute_url()}/@@bip-version?version=2")
    tree = lxml_html.fromstring(older.contents)
    assert tree.cssselect("#bip-version-title")[0].text_content().strip() == "Uchwała o zieleni"
    assert "Wersja robocza." in tree.cssselect(".bip-version-field-text")[0].text_content()
    assert tree.cssselect(".bip-version-field-act_number")[0].text_content().strip() == "I/1/2026"


def test_a_draft_version_is_not_found_for_the_public(functional, act):
    for login in (None, "mieszkaniec"):
        browser = open_page(functional, f"{act.absolute_url()}/@@bip-version?version=1", login)
        assert browser.headers["status"].startswith("404")
        assert "Wersja robocza." not in text(browser)
    staff = open_page(functional, f"{act.absolute_url()}/@@bip-version?version=1", "redaktor")
    assert staff.headers["status"].startswith("200")
    assert "Wersja robocza." in staff.contents


WRONG_VERSIONS = ["", "abc", "-1", "1.5", "999", "9" * 30, "%3Cscript%3E", "2&version=3"]


def test_wrong_version_ids_are_not_found_never_an_error(functional, act):
    for version in WRONG_VERSIONS:
        browser = open_page(functional, f"{act.absolute_url()}/@@bip-version?version={version}")
        assert browser.headers["status"].startswith("404"), version
    browser = open_page(functional, f"{act.absolute_url()}/@@bip-version")
    assert browser.headers["status"].startswith("404")


def test_a_draft_item_has_no_public_history(functional):
    draft = make_act(title="Projekt uchwały o parkach", editor="redaktor")
    transaction.commit()
    browser = open_page(functional, f"{draft.absolute_url()}/@@bip-history")
    # Anonymous is sent to the login form; the draft's title is nowhere.
    assert "login" in browser.url or browser.headers["status"].startswith("401")
    assert "Projekt uchwały o parkach" not in text(browser)
    assert versions_listed(browser) == []
