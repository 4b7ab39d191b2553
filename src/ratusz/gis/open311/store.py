"""Where Open311 keeps its own data: the API keys and the index of the tokens it handed out.

Both live in one annotation of the site (``ratusz.gis.open311``), removed by the
uninstall. Neither holds a secret: a key is kept as its SHA-256 (keys are 32
random bytes, so a plain hash is enough), a token as the first six hex digits
of its SHA-256 — a hint that narrows the search to a few reports, each then
checked against the report's own salted hash (``ratusz.eservices.receipt``).
"""

from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations

ANNOTATION = "ratusz.gis.open311"


def open311_store(create=False, portal=None):
    """``{"keys": OOBTree, "tokens": OOBTree}`` of the site, or None when nothing was stored.

    >>> open311_store(create=True)["keys"]
    <BTrees.OOBTree.OOBTree object at …>
    """
    portal = portal or api.portal.get()
    annotations = IAnnotations(portal)
    store = annotations.get(ANNOTATION)
    if store is None and create:
        store = annotations[ANNOTATION] = PersistentMapping(
            {"keys": OOBTree(), "tokens": OOBTree()}
        )
    return store


def remove_open311_store(portal=None):
    """Forget every key and token hint (the uninstall's handler)."""
    portal = portal or api.portal.get()
    annotations = IAnnotations(portal)
    if ANNOTATION in annotations:
        del annotations[ANNOTATION]
