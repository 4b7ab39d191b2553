"""The daily jobs runner: named IDailyJob utilities, run in name order as the job user."""

from datetime import date

import pytest
from AccessControl import getSecurityManager
from zope.component import getGlobalSiteManager
from zope.interface import implementer

from ratusz.jobs import JOB_USER_ID
from ratusz.jobs import IDailyJob
from ratusz.jobs import count_line
from ratusz.jobs import daily_jobs
from ratusz.jobs import report_lines
from ratusz.jobs import run_daily_jobs


@implementer(IDailyJob)
class RecordingJob:
    """A job a third-party add-on could register: it notes who ran it and when."""

    title = "Record the run"

    def __init__(self):
        self.runs = []

    def __call__(self, portal, today):
        self.runs.append((getSecurityManager().getUser().getUserName(), today))
        return [f"recorded {today.isoformat()}"]


@pytest.fixture
def recording_job():
    job = RecordingJob()
    registry = getGlobalSiteManager()
    registry.registerUtility(job, IDailyJob, name="zz.test.record")
    yield job
    registry.unregisterUtility(job, IDailyJob, name="zz.test.record")


def test_ratusz_registers_its_jobs_in_order(integration):
    names = [name for name, _ in daily_jobs()]
    assert names == [
        "ratusz.bip.archive_expired",
        "ratusz.cases.archive_settled",
        "ratusz.cases.remind_deadlines",
        "ratusz.cases.sync_deputies",
    ]


def test_a_registered_job_runs_as_the_job_user_without_touching_the_runner(
    integration, recording_job
):
    reports = run_daily_jobs(integration["portal"], date(2026, 3, 1))
    assert recording_job.runs == [(JOB_USER_ID, date(2026, 3, 1))]
    assert reports["zz.test.record"] == ["recorded 2026-03-01"]
    assert reports["ratusz.bip.archive_expired"] == ["0 BIP item(s) archived."]
    assert report_lines(reports)[-1] == "recorded 2026-03-01"


def test_report_lines_keep_each_jobs_lines_in_name_order():
    assert report_lines({"b": ["2", "3"], "a": ["1"]}) == ["1", "2", "3"]


def test_count_line_says_how_many_and_which():
    assert count_line("Cases archived", ["OR.0020.1.2026", "FN.3120.4.2026"]) == (
        "Cases archived: 2 (OR.0020.1.2026, FN.3120.4.2026)."
    )
    assert count_line("Deadline reminders", []) == "Deadline reminders: 0."
