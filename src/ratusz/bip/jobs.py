"""Jobs the clock runs on the BIP (see docs/bip-jobs.md).

``archive_expired`` moves to the archive what the law or the editor says is
no longer current: an announcement whose publication period has ended, and
an asset declaration published more than six years ago (art. 24i of the local
government act keeps them public for six years; requirements B8). Archived
items stay public; they only leave the default listings.

It runs daily as the named job ``ratusz.bip.archive_expired`` (``ratusz.jobs``):
from ``ratusz-instance run-jobs`` (a systemd timer or cron) or, where only an
HTTP clock is available, from a POST to ``@@ratusz-run-jobs``.
"""

import logging
from datetime import date

from Acquisition import aq_base
from DateTime import DateTime
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import implementer

from ratusz.bip import audit
from ratusz.i18n import _
from ratusz.jobs import IDailyJob
from ratusz.jobs import acting_as_job_user

logger = logging.getLogger("ratusz.bip.jobs")

DECLARATION_YEARS = 6


# Transition comments: kept in the item's public history, so written in the
# item's language when the job runs.
PERIOD_ENDED = _("Archived by the clock: the publication period ended on ${date}.")
KEPT_LONG_ENOUGH = _(
    "Archived by the clock: published on ${date}, an asset declaration is kept public "
    "for ${years} years."
)


def archive_expired(portal, today=None):
    """Archive announcements past their period and declarations older than six years.

    Runs the ``archive`` transition as the job user, so each one is in the
    audit log and the item's history. Returns the paths archived.

    >>> archive_expired(portal, today=date(2026, 3, 1))
    ['/Plone/pl/bip/ogloszenia-i-obwieszczenia/przetarg-na-dzierzawe']
    """
    today = today or date.today()
    archived = []
    with acting_as_job_user(portal):
        # Listed first: archiving reindexes the items the query returned.
        for obj, reason in list(expired_items(portal, today)):
            if _archive(obj, reason):
                archived.append("/".join(obj.getPhysicalPath()))
    return archived


def expired_items(portal, today):
    """Yield (item, reason) for every published item that ``today`` puts in the archive.

    The catalog picks the candidates: published announcements whose period
    has ended (``bip_end_date``; without that index all published ones, few
    since every run archives the ended ones) and published declarations whose
    publication date is old enough. Only those are woken.
    """
    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": "BipAnnouncement", "review_state": "published"}
    if "bip_end_date" in catalog.indexes():
        # Ends on or before today (the index holds local midnights); the
        # exact test is below.
        query["bip_end_date"] = {"query": _local_midnight(today), "range": "max"}
    for brain in catalog.unrestrictedSearchResults(**query):
        obj = brain._unrestrictedGetObject()
        valid_to = getattr(obj, "valid_to", None)
        if valid_to is not None and valid_to < today:
            yield obj, _in_language_of(obj, PERIOD_ENDED, date=valid_to.isoformat())
    cutoff = years_before(today, DECLARATION_YEARS)
    for brain in catalog.unrestrictedSearchResults(
        portal_type="BipAssetDeclaration",
        review_state="published",
        effective={"query": _local_midnight(cutoff), "range": "max"},
    ):
        obj = brain._unrestrictedGetObject()
        published = _publication_day(obj)
        if published is not None and published < cutoff:
            yield obj, _in_language_of(obj, KEPT_LONG_ENOUGH, date=published.isoformat())


def years_before(day, years):
    """The same calendar day ``years`` earlier (28 February for a 29 February).

    >>> years_before(date(2026, 2, 28), 6)
    datetime.date(2020, 2, 28)
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _in_language_of(obj, message, **mapping):
    """``message`` translated into ``obj``'s language (the site's default language if unset)."""
    language = getattr(aq_base(obj), "language", None) or api.portal.get_default_language()
    mapping.setdefault("years", DECLARATION_YEARS)
    return translate(Message(message, mapping=mapping), target_language=language)


def _local_midnight(day):
    return DateTime(day.year, day.month, day.day)


def _publication_day(obj):
    effective = obj.effective_date
    if effective is None:
        return None
    return date(effective.year(), effective.month(), effective.day())


def _archive(obj, reason):
    try:
        api.content.transition(obj=obj, transition="archive", comment=reason)
    except (WorkflowException, api.exc.InvalidParameterError) as error:
        audit.log_refused(obj, "archive", str(error))
        logger.error("could not archive %s: %s", obj.absolute_url_path(), error)
        return False
    logger.info("archived %s: %s", obj.absolute_url_path(), reason)
    return True


@implementer(IDailyJob)
class ArchiveExpiredJob:
    """The daily job ``ratusz.bip.archive_expired``: report lines for the operator."""

    title = "Archive ended BIP announcements and asset declarations older than six years"

    def __call__(self, portal, today):
        archived = archive_expired(portal, today)
        return [f"Archived {path}" for path in archived] + [
            f"{len(archived)} BIP item(s) archived."
        ]
