"""The archive (K6): when a settled case's files may go, and which go this year.

Retention counts from 1 January of the year after the case closes: a case
settled in 2026 in a B10 class is kept through 2036 and may be disposed of
(Bn) or reviewed by the State Archive's expert (BEn) from 2037. Category A is
kept for ever; Bc may go the year after closing.

A settled case moves to the archive by the daily job ``ratusz.cases.archive_settled``
once ``archive_after_days`` (Site Setup → Document circulation, default 30:
the time for an appeal to reopen it) have passed since it was settled.
"""

import logging
from datetime import date
from datetime import timedelta

from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.interface import implementer

from ratusz.cases.jrwa import get_class
from ratusz.cases.jrwa import retention_years
from ratusz.cases.settings import cases_setting
from ratusz.i18n import _
from ratusz.jobs import IDailyJob
from ratusz.jobs import acting_as_job_user
from ratusz.jobs import count_line

logger = logging.getLogger("ratusz.cases.archive")

ARCHIVED_BY_THE_CLOCK = _("Moved to the archive by the clock.")


def retention(category, closed_year):
    """When the files of a case closed in ``closed_year`` may leave the archive.

    ``{"category", "permanent", "expert_review", "end_year", "disposal_year"}``;
    ``end_year`` is the last year the files are kept, None for category A.

    >>> retention("B10", 2026)["disposal_year"]
    2037
    >>> retention("A", 2026)["permanent"]
    True
    """
    years = retention_years(category) if category else None
    if not category or closed_year is None or (years is None and category != "A"):
        return {
            "category": category or None,
            "permanent": False,
            "expert_review": False,
            "end_year": None,
            "disposal_year": None,
        }
    if years is None:
        return {
            "category": category,
            "permanent": True,
            "expert_review": False,
            "end_year": None,
            "disposal_year": None,
        }
    return {
        "category": category,
        "permanent": False,
        "expert_review": category.startswith("BE"),
        "end_year": closed_year + years,
        "disposal_year": closed_year + years + 1,
    }


def case_retention(case):
    """The retention of ``case`` from its JRWA class and the year it was settled."""
    entry = get_class(api.portal.get(), case.jrwa or "")
    category = entry.category if entry is not None else None
    closed_year = case.settled_on.year if getattr(case, "settled_on", None) else None
    return retention(category, closed_year)


def due_for_disposal(year, department=None):
    """The archived cases whose files may be disposed of (or reviewed) in ``year``, by sign.

    Read from the catalog (``case_disposal_year`` and ``case_summary``): nothing
    is woken. Cases already due in an earlier year and still kept are listed
    too, since they have not gone yet.

    >>> [row["sign"] for row in due_for_disposal(2037)]
    ['OR.0020.1.2026']
    """
    catalog = api.portal.get_tool("portal_catalog")
    query = {
        "portal_type": "Case",
        "case_phase": "archived",
        "case_disposal_year": {"query": year, "range": "max"},
        "sort_on": "case_sign",
    }
    if department:
        query["case_department"] = department
    rows = []
    for brain in catalog(**query):
        data = dict(brain.case_summary or {})
        data["url"] = brain.getURL()
        rows.append(data)
    return rows


def settled_cases_to_archive(portal, today, after_days):
    """Yield the settled cases settled at least ``after_days`` ago (the catalog picks them)."""
    catalog = api.portal.get_tool("portal_catalog")
    limit = today - timedelta(days=after_days)
    for brain in catalog.unrestrictedSearchResults(portal_type="Case", case_phase="closed"):
        settled_on = (brain.case_summary or {}).get("settled_on")
        if settled_on and date.fromisoformat(settled_on) <= limit:
            yield brain._unrestrictedGetObject()


def archive_settled(portal, today=None, after_days=None):
    """Move the cases settled long enough ago to the archive; returns their signs.

    >>> archive_settled(portal, today=date(2027, 1, 15))
    ['OR.0020.1.2026']
    """
    today = today or date.today()
    if after_days is None:
        after_days = cases_setting("archive_after_days", 30)
    archived = []
    with acting_as_job_user(portal):
        for case in list(settled_cases_to_archive(portal, today, after_days)):
            try:
                api.content.transition(
                    obj=case, transition="archive", comment=ARCHIVED_BY_THE_CLOCK
                )
            except (WorkflowException, api.exc.InvalidParameterError):
                logger.warning("Could not archive %s", case.sign)
                continue
            case.reindexObject()
            archived.append(case.sign)
    return archived


@implementer(IDailyJob)
class ArchiveSettledJob:
    """``ratusz.cases.archive_settled``: settled cases go to the archive."""

    title = "Move the cases settled long enough ago to the archive"

    def __call__(self, portal, today):
        signs = archive_settled(portal, today)
        return [count_line("Cases archived", signs)]
