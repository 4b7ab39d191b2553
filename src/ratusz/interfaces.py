"""Marker interfaces shared by all capabilities."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IRatuszLayer(IDefaultBrowserLayer):
    """Browser layer: active on sites where `ratusz:default` is installed.

    Every view, viewlet and resource of Ratusz is registered for it, so a
    Zope instance hosting Ratusz next to other Plone sites leaves them alone.
    """
