"""Marker interfaces shared by all capabilities."""

from plone.app.multilingual.interfaces import IPloneAppMultilingualInstalled


class IRatuszLayer(IPloneAppMultilingualInstalled):
    """Browser layer: active on sites where `ratusz:default` is installed.

    Every view, viewlet and resource of Ratusz is registered for it, so a
    Zope instance hosting Ratusz next to other Plone sites leaves them alone.
    It extends plone.app.multilingual's layer (Ratusz always installs it), so
    our overrides of its viewlets win whatever order the layers are applied in.
    """
