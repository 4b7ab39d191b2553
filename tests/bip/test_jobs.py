"""The clock's job: ended announcements and six-year-old declarations go to the archive."""

import json
from datetime import date

import pytest
import transaction
from DateTime import DateTime
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.i18n import translate
from zope.i18nmessageid import Message

from ratusz.bip import audit
from ratusz.bip import jobs
from ratusz.bip.jobs import archive_expired
from ratusz.bip.jobs import years_before
from ratusz.jobs import JOB_USER_ID
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import create_item
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import sync
from tests.bip.security_helpers import was_refused

TODAY = date(2026, 6, 15)


@pytest.fixture
def portal(functional):
    return functional["portal"]


@pytest.fixture
def app(functional):
    return functional["app"]


def announcement(portal, item_id, valid_to, state="published"):
    return create_item(
        portal,
        "BipAnnouncement",
        item_id,
        state,
        valid_from=date(2020, 1, 1),
        valid_to=valid_to,
    )


def declaration(portal, item_id, published_on):
    obj = create_item(portal, "BipAssetDeclaration", item_id, "published")
    obj.setEffectiveDate(DateTime(published_on.year, published_on.month, published_on.day, 10, 0))
    obj.reindexObject()
    return obj


def path_of(obj):
    return "/".join(obj.getPhysicalPath())


def state_of(obj):
    return api.content.get_state(obj)


def manager_browser(app):
    browser = browser_for(app)
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    return browser


def token_for(browser, portal):
    browser.open(f"{portal.absolute_url()}/@@authenticator/token")
    assert status_of(browser) == 200
    return browser.contents.strip()


def test_six_years_before_a_leap_day():
    assert years_before(date(2028, 2, 29), 6) == date(2022, 2, 28)
    assert years_before(date(2026, 6, 15), 6) == date(2020, 6, 15)


class TestArchiving:
    """The job on real content (one functional layer for the class)."""

    def test_the_job_archives_what_has_ended_and_nothing_else(self, portal):
        ended = announcement(portal, "ended", date(2026, 6, 14))
        ends_today = announcement(portal, "ends-today", TODAY)
        current = announcement(portal, "current", date(2026, 12, 31))
        ended_draft = announcement(portal, "ended-draft", date(2026, 1, 1), state="draft")
        old = declaration(portal, "declaration-2019", date(2019, 6, 1))
        exactly_six = declaration(portal, "declaration-2020-06-15", date(2020, 6, 15))
        recent = declaration(portal, "declaration-2021", date(2021, 6, 1))

        archived = archive_expired(portal, today=TODAY)

        assert sorted(archived) == sorted([path_of(ended), path_of(old)])
        assert state_of(ended) == "archived"
        assert state_of(old) == "archived"
        for kept in (ends_today, current, recent, exactly_six):
            assert state_of(kept) == "published", kept.getId()
        assert state_of(ended_draft) == "draft"  # drafts are never published by the clock

    def test_the_next_day_archives_what_ended_today(self, portal):
        ends_today = announcement(portal, "ends-today", TODAY)
        assert archive_expired(portal, today=TODAY) == []
        assert archive_expired(portal, today=date(2026, 6, 16)) == [path_of(ends_today)]

    def test_each_archiving_is_in_the_audit_log_and_the_history_as_the_job(self, portal):
        ended = announcement(portal, "ended", date(2026, 1, 31))
        archive_expired(portal, today=TODAY)

        entry = audit.latest_entries(portal)[0]
        assert (entry.user, entry.action, entry.path, entry.outcome) == (
            JOB_USER_ID,
            "archive",
            path_of(ended),
            "change",
        )
        assert entry.uid == api.content.get_uuid(ended)
        # The comment stays in the public history: in the item's language.
        expected = translate(
            Message(jobs.PERIOD_ENDED, mapping={"date": "2026-01-31", "years": 6}),
            target_language="pl",
        )
        assert entry.note == expected
        assert "2026-01-31" in expected
        last = ended.workflow_history["ratusz_bip_workflow"][-1]
        assert last["actor"] == JOB_USER_ID
        assert "2026-01-31" in last["comments"]

    def test_running_again_archives_nothing(self, portal):
        announcement(portal, "ended", date(2026, 1, 31))
        assert len(archive_expired(portal, today=TODAY)) == 1
        assert archive_expired(portal, today=TODAY) == []

    def test_archived_items_stay_public_but_leave_the_default_listing(self, portal, app):
        ended = announcement(portal, "ended", date(2026, 1, 31))
        old = declaration(portal, "declaration-2019", date(2019, 6, 1))
        archive_expired(portal, today=TODAY)
        transaction.commit()

        browser = browser_for(app)
        for obj in (ended, old):
            browser.open(obj.absolute_url())
            assert status_of(browser) == 200
            assert obj.absolute_url() in browser.url

        with api.env.adopt_roles(["Anonymous"]):
            listed = api.content.find(
                portal_type=["BipAnnouncement", "BipAssetDeclaration"], review_state="published"
            )
            paths = {brain.getPath() for brain in listed}
        assert path_of(ended) not in paths
        assert path_of(old) not in paths


class TestRunJobsView:
    """@@ratusz-run-jobs: the HTTP trigger for a clock that can only call a URL."""

    def test_a_manager_runs_the_jobs_with_a_post_and_a_token(self, portal, app):
        ended = announcement(portal, "ended", date(2020, 1, 31))
        transaction.commit()
        browser = manager_browser(app)
        token = token_for(browser, portal)

        browser.post(f"{portal.absolute_url()}/@@ratusz-run-jobs", f"_authenticator={token}")

        assert status_of(browser) == 200
        assert browser.headers["Content-Type"].startswith("application/json")
        reports = json.loads(browser.contents)["jobs"]
        assert reports["ratusz.bip.archive_expired"] == [
            f"Archived {path_of(ended)}",
            "1 BIP item(s) archived.",
        ]
        sync()
        assert state_of(ended) == "archived"

    def test_the_trigger_refuses_get_and_a_missing_token(self, portal, app):
        ended = announcement(portal, "ended", date(2020, 1, 31))
        transaction.commit()
        browser = manager_browser(app)

        browser.open(f"{portal.absolute_url()}/@@ratusz-run-jobs")
        assert status_of(browser) == 405
        browser.post(f"{portal.absolute_url()}/@@ratusz-run-jobs", "_authenticator=forged")
        assert status_of(browser) == 403
        sync()
        assert state_of(ended) == "published"

    @pytest.mark.parametrize("login", [None, "redaktor", "sekretarz", "administrator"])
    def test_only_a_manager_may_trigger_the_jobs(self, portal, app, login):
        ended = announcement(portal, "ended", date(2020, 1, 31))
        transaction.commit()
        browser = browser_for(app, login)
        browser.post(f"{portal.absolute_url()}/@@ratusz-run-jobs", "")
        assert was_refused(browser)
        assert '"jobs"' not in browser.contents
        sync()
        assert state_of(ended) == "published"
