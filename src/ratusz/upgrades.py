"""Upgrade step handlers of ``ratusz:default`` (registered in profiles/upgrades.zcml)."""

from plone.app.theming.utils import applyTheme
from plone.app.theming.utils import getTheme


def activate_theme(context):
    """Switch the site to the Ratusz theme (1000 → 1001)."""
    applyTheme(getTheme("ratusz"))
