"""Marker interfaces of the BIP capability."""

from zope.interface import Interface


class IBipSection(Interface):
    """A BIP section ("dział"): an entry of the subject menu holding items."""


class IBipRoot(IBipSection):
    """The BIP home of one language (``/pl/bip``): the top of the subject menu."""
