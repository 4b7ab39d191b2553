"""My cases: a signed-in resident sees the cases they filed online, with their public state.

Cases are staff-only content, so the listing asks the catalog without the
resident's rights, for the cases whose ``eservice_owner`` is the resident, and
shows only public data from the metadata (no object is woken). Being signed in
as the one who filed the case takes the place of the tracking key.
"""

from plone import api
from plone.indexer import indexer
from Products.Five import BrowserView
from zExceptions import Unauthorized
from zope.i18n import translate

from ratusz.cases.case import ICase
from ratusz.eservices.tracking import public_state


@indexer(ICase)
def eservice_owner(case):
    record = getattr(case, "eservice", None) or {}
    owner = record.get("owner")
    if not owner:
        raise AttributeError("eservice_owner")
    return owner


def cases_of(user_id):
    """The cases ``user_id`` filed online, newest first, as public rows.

    >>> [row["sign"] for row in cases_of("mieszkaniec")]
    ['SO.5113.2.2026', 'SO.5113.1.2026']
    """
    if not user_id:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Case", eservice_owner=user_id, sort_on="created", sort_order="descending"
    )
    rows = []
    for brain in brains:
        summary = brain.case_summary or {}
        state, title = public_state(brain.review_state)
        rows.append(
            {
                "sign": summary.get("sign"),
                "service": summary.get("subject"),
                "received": summary.get("start_date"),
                "deadline": summary.get("deadline"),
                "settled_on": summary.get("settled_on"),
                "state": state,
                "title": title,
            }
        )
    return rows


class MyCasesView(BrowserView):
    """``/pl/moje-sprawy``: the signed-in resident's cases."""

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("Sign in to see your cases.")  # Plone shows the login form
        return self.index()

    def rows(self):
        user_id = api.user.get_current().getId()
        return [
            dict(row, title=translate(row["title"], context=self.request))
            for row in cases_of(user_id)
        ]
