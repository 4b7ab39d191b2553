"""Folders that only grow: the incoming register and the case folder.

Plone announces a folder as modified whenever something is added to it
(``notifyContainerModified``), and plone.dexterity answers by reindexing the
folder, which sets its modification date and rewrites its catalog record. The
register and the case folder receive an item or a case with every e-service
submission and every letter the desk registers: two additions at the same
moment both rewrote the folder and its catalog record, ZODB refused the second
commit, and Zope published the whole request again (30 of 34 conflict retries
of the e-services benchmark). Their own modification date tells nobody
anything — their pages list from the catalog — so here an addition leaves the
folder's record untouched. The added object is announced as everywhere
(``IObjectWillBeAddedEvent``, ``IObjectAddedEvent``: catalogued, numbered,
given its workflow); removing and renaming are left as Plone does them.
"""

from Acquisition import aq_base
from Acquisition import aq_parent
from OFS.event import ObjectWillBeAddedEvent
from plone.dexterity.content import Container
from zope.event import notify
from zope.lifecycleevent import ObjectAddedEvent

REGISTER_CLASS = "ratusz.cases.containers.RegisterFolder"


class RegisterFolder(Container):
    """A Dexterity container that is not marked modified when something is added to it."""

    def _setObject(self, id, object, roles=None, user=None, set_owner=1, suppress_events=False):
        if suppress_events:
            return super()._setObject(id, object, roles, user, set_owner, suppress_events=True)
        notify(ObjectWillBeAddedEvent(object, self, id))
        id = super()._setObject(id, object, roles, user, set_owner, suppress_events=True)
        notify(ObjectAddedEvent(self._getOb(id), self, id))
        return id


def use_register_class(folder):
    """Make an existing folder a RegisterFolder (sites made before 1006); True if it changed.

    ZODB keeps a hint of each object's class in the record that refers to it,
    and builds the object from that hint: the folder is stored again under its
    parent so that the hint names the new class too.

    >>> use_register_class(portal.intranet.kancelaria)
    True
    """
    base = aq_base(folder)
    if isinstance(base, RegisterFolder):
        return False
    base.__class__ = RegisterFolder
    base._p_changed = True
    parent = aq_base(aq_parent(folder))
    # BTreeFolder2 keeps its items in ``_tree``: setting the key again rewrites
    # the bucket holding the reference (and the hint).
    parent._tree[folder.getId()] = base
    return True
