"""Retried requests: Zope publishes a request again after a write conflict.

Between two attempts Zope closes the request's database connection, then
ends the request: the end-of-request event is dispatched through the site's
component registry, which lives in that (now closed) connection. If the
conflict left one of the registry's objects a ghost, the dispatch fails with
ConnectionStateError and the visitor gets an error page instead of the retry.
Case and register numbers conflict on purpose (ratusz.cases.numbering), so
Ratusz forgets the site as soon as a retry is decided: the end-of-request
event then goes through the global registry only (which is where
``clearThreadSiteSubscriber`` and the other end-of-request subscribers are).
"""

from zope.component.hooks import setSite


def forget_site_before_retry(event):
    if getattr(event, "retry", False):
        setSite(None)
