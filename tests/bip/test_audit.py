"""The BIP audit log (B5): changes and refused attempts are kept, and only BIP
administrators and site administrators read them."""

import logging
from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api
from plone.protect.authenticator import createToken
from Products.CMFCore.WorkflowCore import WorkflowException

from ratusz.bip import audit
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import create_item
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import sync
from tests.bip.security_helpers import was_refused

LOG = "pl/bip/@@bip-audit-log"


@pytest.fixture
def portal(functional):
    return functional["portal"]


@pytest.fixture
def app(functional):
    return functional["app"]


def path_of(obj):
    return "/".join(obj.getPhysicalPath())


def entries_for(obj, outcome=None):
    """The audit entries of ``obj``, newest first."""
    return [entry for entry in audit.latest_entries(outcome=outcome) if entry.path == path_of(obj)]


def token_of(login):
    with api.env.adopt_user(username=login):
        return createToken()


class TestRecording:
    """What is written, and that refusals survive their failing request."""

    def test_a_transition_is_a_change_by_its_user(self, portal):
        item = create_item(portal, "BipPage", "statut")
        with api.env.adopt_user(username="sekretarz"):
            api.content.transition(obj=item, transition="publish")
        entry = entries_for(item)[0]
        assert (entry.user, entry.action, entry.outcome) == ("sekretarz", "publish", "change")
        assert entry.uid == api.content.get_uuid(item)
        assert entry.when.date() >= date.today() - timedelta(days=1)

    def test_entries_are_appended_newest_first(self, portal):
        item = create_item(portal, "BipPage", "statut")
        before = len(audit.latest_entries())
        for number in range(5):
            audit.log_change(item, "edit", f"change {number}")
        entries = audit.latest_entries()
        assert len(entries) == before + 5
        assert [entry.note for entry in entries[:5]] == [f"change {n}" for n in (4, 3, 2, 1, 0)]
        keys = [entry.key for entry in entries[:5]]
        assert keys == sorted(keys, reverse=True)

    def test_a_refused_publication_in_python(self, portal):
        item = create_item(portal, "BipPage", "bez-metryczki", metadata=False)
        workflow = api.portal.get_tool("portal_workflow")
        with api.env.adopt_user(username="sekretarz"), pytest.raises(WorkflowException):
            workflow.doActionFor(item, "publish")
        entry = entries_for(item, outcome="refused")[0]
        assert (entry.user, entry.action) == ("sekretarz", "publish")
        assert api.content.get_state(item) == "draft"

    def test_a_refused_publication_in_the_toolbar_is_kept(self, portal, app):
        item = create_item(portal, "BipPage", "bez-metryczki", metadata=False)
        transaction.commit()
        browser = browser_for(app, "sekretarz")
        browser.open(
            f"{item.absolute_url()}/content_status_modify?workflow_action=publish"
            f"&_authenticator={token_of('sekretarz')}"
        )
        sync()
        assert api.content.get_state(item) == "draft"
        entry = entries_for(item, outcome="refused")[0]
        assert (entry.user, entry.action) == ("sekretarz", "publish")

    def test_a_refused_publication_in_rest_is_kept(self, portal, app):
        item = create_item(portal, "BipPage", "bez-metryczki", metadata=False)
        transaction.commit()
        response = rest(app, "POST", f"{item.absolute_url()}/@workflow/publish", "sekretarz")
        assert response.status_int == 400
        sync()
        entry = entries_for(item, outcome="refused")[0]
        assert (entry.user, entry.action) == ("sekretarz", "publish")

    def test_an_editor_refused_the_edit_form_of_an_archived_item(self, portal, app):
        item = create_item(portal, "BipAnnouncement", "stare", "archived")
        transaction.commit()
        browser = browser_for(app, "redaktor")
        browser.open(f"{item.absolute_url()}/edit")
        assert was_refused(browser)
        sync()
        entry = entries_for(item, outcome="refused")[0]
        assert (entry.user, entry.action) == ("redaktor", "edit")
        assert entry.note == f"Unauthorized: GET {path_of(item)}/edit"

    def test_a_resident_refused_a_draft(self, portal, app):
        item = create_item(portal, "BipPage", "szkic")
        transaction.commit()
        browser = browser_for(app, "mieszkaniec")
        browser.open(item.absolute_url())
        assert was_refused(browser)
        sync()
        assert entries_for(item, outcome="refused")[0].user == "mieszkaniec"

    def test_a_refused_section_removal_survives_the_aborted_request(self, portal, app):
        create_item(portal, "BipPage", "statut", "published")
        section = portal.pl.bip["status-prawny"]
        transaction.commit()
        response = rest(app, "DELETE", section.absolute_url(), "sekretarz")
        assert response.status_int in (401, 403)
        sync()
        assert "status-prawny" in portal.pl.bip
        entry = entries_for(section, outcome="refused")[0]
        assert (entry.user, entry.action) == ("sekretarz", "delete")

    def test_anonymous_refusals_go_to_the_event_log_only(self, portal, app, caplog):
        item = create_item(portal, "BipAnnouncement", "stare", "archived")
        transaction.commit()
        caplog.set_level(logging.WARNING, logger="ratusz.bip.audit")
        browser = browser_for(app)
        browser.open(f"{item.absolute_url()}/edit")
        assert was_refused(browser)
        sync()
        assert entries_for(item, outcome="refused") == []
        lines = [record.getMessage() for record in caplog.records]
        assert any(f"refused edit {path_of(item)} by Anonymous User" in line for line in lines)


class TestView:
    """@@bip-audit-log on the BIP home."""

    @pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik", "redaktor"])
    def test_others_may_not_read_it(self, portal, app, login):
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{LOG}")
        assert was_refused(browser)
        assert 'id="bip-audit-table"' not in browser.contents

    @pytest.mark.parametrize("login", ["sekretarz", "administrator"])
    def test_bip_and_site_administrators_read_it(self, portal, app, login):
        item = create_item(portal, "BipPage", "statut", "published")
        transaction.commit()
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{LOG}")
        assert status_of(browser) == 200
        assert 'id="bip-audit-table"' in browser.contents
        assert f'href="{item.absolute_url()}"' in browser.contents
        assert '<time datetime="' in browser.contents

    def test_the_view_is_on_the_bip_home_only(self, portal, app):
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/pl/bip/petycje/@@bip-audit-log")
        assert status_of(browser) == 404

    def test_hostile_notes_are_shown_as_text(self, portal, app):
        item = create_item(portal, "BipPage", "statut")
        audit.log_change(item, "edit<img src=x onerror=alert(2)>", "<script>alert(1)</script>")
        transaction.commit()
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in browser.contents
        assert "<script>alert(1)" not in browser.contents
        assert "<img src=x" not in browser.contents

    def test_filter_by_outcome(self, portal, app):
        item = create_item(portal, "BipPage", "statut")
        audit.log_change(item, "edit", "a change")
        audit.log_refused(item, "edit", "a refusal")
        transaction.commit()
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}?outcome=refused")
        assert "a refusal" in browser.contents
        assert "a change" not in browser.contents
        assert 'class="bip-audit-entry bip-audit-change"' not in browser.contents
        browser.open(f"{portal.absolute_url()}/{LOG}?outcome=change")
        assert "a change" in browser.contents
        assert "a refusal" not in browser.contents

    def test_filter_by_dates(self, portal, app):
        item = create_item(portal, "BipPage", "statut")
        audit.log_change(item, "edit", "a change of today")
        transaction.commit()
        today = date.today()
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}?start={today}&end={today}")
        assert "a change of today" in browser.contents
        yesterday = today - timedelta(days=1)
        browser.open(f"{portal.absolute_url()}/{LOG}?start=2000-01-01&end={yesterday}")
        assert "a change of today" not in browser.contents
        assert 'id="bip-audit-empty"' in browser.contents

    @pytest.mark.parametrize(
        "query, field",
        [
            ("start=not-a-date", "start"),
            ("end=99999-01-01", "end"),
            ("start=2026-05-01&end=2026-04-01", "end"),
            ("start=%3Cscript%3Ealert(1)%3C/script%3E", "start"),
        ],
    )
    def test_wrong_dates_are_explained(self, portal, app, query, field):
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}?{query}")
        assert status_of(browser) == 200
        assert f'id="bip-audit-{field}-error"' in browser.contents
        assert "<script>alert(1)" not in browser.contents

    @pytest.mark.parametrize(
        "query",
        [
            "outcome=%3Cb%3E",
            "b_start=-5",
            "b_start=abc",
            "b_start=99999999999999999999999",
            "outcome=",
            "start=2026-01-01&start=2026-02-01",
            "outcome:list=change&outcome:list=refused",
        ],
    )
    def test_odd_parameters_are_ignored(self, portal, app, query):
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}?{query}")
        assert status_of(browser) == 200
        assert "<b>" not in browser.contents.split('id="bip-audit-log"')[1]

    def test_long_logs_are_batched(self, portal, app):
        item = create_item(portal, "BipPage", "statut")
        for number in range(120):
            audit.log_change(item, "edit", f"note-{number:03d}")
        transaction.commit()
        browser = browser_for(app, "sekretarz")
        browser.open(f"{portal.absolute_url()}/{LOG}?outcome=change")
        assert browser.contents.count('class="bip-audit-entry ') == 50
        assert "note-119" in browser.contents
        assert "note-069" not in browser.contents
        browser.open(f"{portal.absolute_url()}/{LOG}?outcome=change&b_start=50")
        assert "note-069" in browser.contents
        assert "note-119" not in browser.contents
