"""The daily jobs the clock runs (docs/bip-jobs.md): named ``IDailyJob`` utilities.

A capability adds a job by registering a named utility, the way
collective.easyform's actions plug in: the runner, the console command
(``ratusz-instance run-jobs``) and the HTTP trigger (``@@ratusz-run-jobs``)
need no change. Jobs run in the order of their names, in one transaction,
as a job user with every permission whose name appears in logs and histories.
"""

import json
import logging
from contextlib import contextmanager
from datetime import date

import transaction
from AccessControl.users import UnrestrictedUser
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import MethodNotAllowed
from ZODB.POSException import ConflictError
from zope.component import getUtilitiesFor
from zope.component.hooks import setSite
from zope.globalrequest import setRequest
from zope.interface import Attribute
from zope.interface import Interface

logger = logging.getLogger("ratusz.jobs")

# Audit logs and workflow histories name this user for what the clock did.
# Parentheses keep it apart from any real login name.
JOB_USER_ID = "(ratusz-jobs)"
COMMIT_ATTEMPTS = 3


class IDailyJob(Interface):
    """A job the clock runs once a day."""

    title = Attribute("What the job does, one line for the operator")

    def __call__(portal, today):
        """Do the day's work on ``portal``; return report lines (strings) for the operator."""


class JobFailed(Exception):
    """The jobs could not finish; the message is one sentence for the operator."""


def count_line(label, names):
    """One report line: how many, and which.

    >>> count_line("Cases archived", ["OR.0020.1.2026"])
    'Cases archived: 1 (OR.0020.1.2026).'
    """
    return f"{label}: {len(names)}" + (f" ({', '.join(names)})." if names else ".")


def daily_jobs():
    """``[(name, job)]`` of the registered jobs, in the order they run.

    >>> [name for name, job in daily_jobs()]
    ['ratusz.bip.archive_expired', 'ratusz.cases.archive_settled', 'ratusz.cases.remind_deadlines',
     'ratusz.cases.sync_deputies']
    """
    return sorted(getUtilitiesFor(IDailyJob), key=lambda item: item[0])


@contextmanager
def acting_as_job_user(portal):
    """Run the block as the job user: every permission, and a name in the logs."""
    user = UnrestrictedUser(JOB_USER_ID, "", ["Manager"], []).__of__(portal.acl_users)
    with api.env.adopt_user(user=user):
        yield


def run_daily_jobs(portal, today=None):
    """Run every job on ``portal`` (no commit); return ``{name: report lines}``.

    >>> run_daily_jobs(portal, date(2026, 3, 1))["ratusz.bip.archive_expired"]
    ['0 BIP item(s) archived.']
    """
    today = today or date.today()
    reports = {}
    with acting_as_job_user(portal):
        for name, job in daily_jobs():
            reports[name] = list(job(portal, today))
            logger.info("%s: %s", name, "; ".join(reports[name]))
    return reports


def run_jobs_in(app, site_id, today=None):
    """Run the jobs on the site ``site_id`` of the Zope root ``app`` and commit.

    For scripts that hold the Zope root: ``ratusz-instance run-jobs`` and
    ``bin/instance run scripts/run_jobs.py``. A conflict with a running
    instance is retried three times. Returns the reports.

    >>> run_jobs_in(app, "Plone")["ratusz.bip.archive_expired"]
    ['0 BIP item(s) archived.']
    """
    site = app.get(site_id) if hasattr(app, "get") else None
    if site is None:
        raise JobFailed(f"There is no site /{site_id} in this instance; see --site-id.")
    if getattr(app, "REQUEST", None) is not None:
        setRequest(app.REQUEST)
    setSite(site)
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            transaction.begin()
            reports = run_daily_jobs(site, today)
            transaction.get().note("ratusz run-jobs")
            transaction.commit()
            return reports
        except ConflictError:
            transaction.abort()
            logger.warning("conflict while running the jobs, attempt %d", attempt)
    raise JobFailed(f"The jobs met a write conflict {COMMIT_ATTEMPTS} times; run them again later.")


def report_lines(reports):
    """The reports as the console prints them: each job's lines in order.

    >>> report_lines({"ratusz.bip.archive_expired": ["0 BIP item(s) archived."]})
    ['0 BIP item(s) archived.']
    """
    return [line for _, lines in sorted(reports.items()) for line in lines]


class RunJobsView(BrowserView):
    """``POST /Plone/@@ratusz-run-jobs``: run the jobs now (Manager, CSRF token).

    For a clock that can only call HTTP; answers JSON ``{"jobs": {name: lines}}``.
    """

    def __call__(self):
        if self.request.get("REQUEST_METHOD", "GET") != "POST":
            self.request.response.setHeader("Allow", "POST")
            raise MethodNotAllowed("Send a POST with an _authenticator token.")
        CheckAuthenticator(self.request)
        reports = run_daily_jobs(self.context)
        self.request.response.setHeader("Content-Type", "application/json")
        self.request.response.setHeader("Cache-Control", "no-store")
        return json.dumps({"jobs": reports})
