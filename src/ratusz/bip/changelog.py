"""The BIP change register ("rejestr zmian", UDIP art. 8 ust. 6 pkt 5; requirements B2).

Every saved version of a BIP item is one entry of the register: its creation,
each edit, and each publication, archiving and restoring (the workflow saves a
version at those moments, see :func:`record_transition`). An entry says who
changed what, when, with which change note and in which state the item was.

Why an index of our own: CMFEditions keeps one history per item, so a
site-wide, newest-first list read from it would open every item's history on
every page view. The register is a set of BTrees in the portal's annotations,
written by event subscribers when a version is saved:

- ``entries``: key -> entry (a small dict), key = ``(-microseconds, uid, version, action)``,
  so that iterating keys in order is newest first and a date range is one key range;
- ``scopes``: ``(scope, bip root uid, section uid)`` -> set of keys, for the scopes
  ``"all"`` (the BIP staff) and ``"public"`` (entries saved while the item was
  published or archived), for the whole root (section uid ``""``) and per section;
- ``items``: item uid -> set of keys (the history of one item);
- ``latest``: item uid -> the last version id recorded (to see whether a save made one).

Entries keep the title, section and path of their moment; views resolve the
current address of a page of entries through the catalog (moves and renames).
"""

import logging
import time
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from persistent import Persistent
from plone import api
from plone.app.versioningbehavior.utils import get_change_note
from Products.CMFEditions.interfaces.IModifier import FileTooLargeToVersionError
from zope.annotation.interfaces import IAnnotations
from zope.container.interfaces import IContainerModifiedEvent
from zope.globalrequest import getRequest
from zope.i18nmessageid import Message

from ratusz.bip import audit
from ratusz.bip.interfaces import IBipRoot
from ratusz.bip.metadata import IBipMetadata
from ratusz.bip.workflow import transition_comment
from ratusz.i18n import _

logger = logging.getLogger("ratusz.bip.changelog")

ANNOTATION_KEY = "ratusz.bip.changelog"
ALL = "all"
PUBLIC = "public"
PUBLIC_STATES = ("published", "archived")

# The transitions that save a version and make an entry, and the action they record.
TRANSITION_ACTIONS = {"publish": "published", "archive": "archived", "restore": "restored"}

ACTION_TITLES = {
    "created": _("Creation"),
    "edited": _("Edit"),
    "published": _("Publication"),
    "archived": _("Archiving"),
    "restored": _("Restoration from archive"),
}

STATE_TITLES = {
    "draft": _("Draft"),
    "pending": _("Pending review"),
    "published": _("Published"),
    "archived": _("Archived"),
}

# The comment CMFEditions stores with a version saved by a transition, when the
# person gave none (the entry's own note then stays empty: the action says it).
TRANSITION_COMMENTS = {
    "published": _("Published"),
    "archived": _("Archived"),
    "restored": _("Restored from archive"),
}


class ChangeRegister(Persistent):
    """The register of one site: see the module's docstring for its layout."""

    def __init__(self):
        self.entries = OOBTree()
        self.scopes = OOBTree()
        self.items = OOBTree()
        self.latest = OOBTree()
        self.counts = OOBTree()

    def add(self, entry):
        """Store ``entry`` (a dict made by :func:`make_entry`) and return its key."""
        key = (-int(entry["timestamp"] * 1_000_000), entry["uid"], entry["version_id"])
        key += (entry["action"],)
        self.entries[key] = entry
        scopes = [ALL, PUBLIC] if entry["review_state"] in PUBLIC_STATES else [ALL]
        for scope in scopes:
            for section_uid in {"", entry["section_uid"] or ""}:
                scope_key = (scope, entry["root_uid"], section_uid)
                if self._set(scope_key).add(key):
                    self._counter(scope_key).change(1)
        self._set(entry["uid"], tree=self.items).add(key)
        if entry["version_id"] is not None:
            self.latest[entry["uid"]] = max(entry["version_id"], self.latest.get(entry["uid"], -1))
        return key

    def keys(self, root_uid, section_uid="", public_only=True, start=None, end=None):
        """The keys of a root's (or a section's) entries, newest first, as a lazy sequence.

        ``start`` and ``end`` are timestamps (seconds), both included.
        """
        keys = self.scopes.get((PUBLIC if public_only else ALL, root_uid, section_uid or ""))
        if keys is None:
            return ()
        low = (-int(end * 1_000_000),) if end is not None else None
        high = (-int(start * 1_000_000) + 1,) if start is not None else None
        return keys.keys(min=low, max=high, excludemax=high is not None)

    def count(self, root_uid, section_uid="", public_only=True):
        """How many entries a root (or a section) has, without reading them.

        Counting a BTree's keys reads all its buckets; a counter per scope
        answers the unfiltered register at once.
        """
        counter = self.counts.get((PUBLIC if public_only else ALL, root_uid, section_uid or ""))
        return counter() if counter is not None else 0

    def item_keys(self, uid):
        """The keys of one item's entries, newest first."""
        keys = self.items.get(uid)
        return keys.keys() if keys is not None else ()

    def latest_version(self, uid):
        """The last version id recorded for the item ``uid`` (-1: none)."""
        return self.latest.get(uid, -1)

    def _counter(self, key):
        counter = self.counts.get(key)
        if counter is None:
            counter = self.counts[key] = Length()
        return counter

    def _set(self, key, tree=None):
        tree = self.scopes if tree is None else tree
        found = tree.get(key)
        if found is None:
            found = tree[key] = OOTreeSet()
        return found


def get_register(portal=None):
    """The site's change register, created on first use.

    >>> len(get_register().entries)
    12
    """
    annotations = IAnnotations(portal or api.portal.get())
    register = annotations.get(ANNOTATION_KEY)
    if register is None:
        register = annotations[ANNOTATION_KEY] = ChangeRegister()
    return register


def is_public(entry):
    """True when the change was made while the item was public (published or archived)."""
    return entry["review_state"] in PUBLIC_STATES


def sees_all_changes(context):
    """True for the BIP staff, who also see the changes of drafts.

    The staff are those who may edit ``context`` or add BIP content in it.

    >>> sees_all_changes(api.content.get("/pl/bip"))  # anonymous
    False
    """
    security = getSecurityManager()
    return bool(
        security.checkPermission("Modify portal content", context)
        or security.checkPermission("ratusz: Add BIP content", context)
    )


def bip_location(obj):
    """The BIP root above ``obj`` and the top-level section holding it.

    The section is None for an item placed directly in the root, and both are
    None outside the BIP.

    >>> bip_location(resolution)
    (<BipSection at /plone/pl/bip>, <BipSection at /plone/pl/bip/prawo-lokalne>)
    """
    chain = aq_chain(aq_inner(obj))
    for index, node in enumerate(chain[1:], start=1):
        if IBipRoot.providedBy(node):
            child = chain[index - 1]
            return node, (child if child is not obj else None)
    return None, None


def make_entry(obj, action, note="", version_id=None, timestamp=None, user=None):
    """The register entry of a change of ``obj`` made now by the current user.

    >>> make_entry(resolution, "edited", "Poprawiono numer")["action"]
    'edited'
    """
    root, section = bip_location(obj)
    user = user or api.user.get_current()
    fullname = user.getProperty("fullname", "") if hasattr(user, "getProperty") else ""
    portal_path = len(api.portal.get().getPhysicalPath())
    return {
        "uid": api.content.get_uuid(obj),
        "path": "/".join(obj.getPhysicalPath()[portal_path:]),
        "title": obj.Title(),
        "portal_type": obj.portal_type,
        "root_uid": api.content.get_uuid(root) if root is not None else "",
        "language": aq_inner(root).aq_parent.getId() if root is not None else "",
        "section_uid": api.content.get_uuid(section) if section is not None else "",
        "section_id": section.getId() if section is not None else "",
        "section_title": section.Title() if section is not None else "",
        "version_id": version_id,
        "user_id": user.getUserName(),
        "fullname": fullname or user.getUserName(),
        "note": _plain_note(note),
        "action": action,
        "review_state": api.content.get_state(obj, default=None),
        "timestamp": time.time() if timestamp is None else timestamp,
    }


def record_change(obj, action, note="", timestamp=None):
    """Write the change of ``obj`` (saved as its current version) to the register.

    >>> record_change(resolution, "edited", "Poprawiono numer")
    (-1767607200000000, '5c3e…', 3, 'edited')
    """
    root, section = bip_location(obj)
    if root is None:
        return None
    version_id = getattr(aq_base(obj), "version_id", None)
    entry = make_entry(obj, action, note, version_id=version_id, timestamp=timestamp)
    return get_register().add(entry)


def save_version(obj, comment):
    """Save a CMFEditions version of ``obj`` with ``comment``; True when one was saved.

    The workflow saves versions for whoever moves the item, so the save runs
    with the rights of the system (CMFEditions checks "Save new version",
    which the BIP roles need not hold); the version still names the person.
    """
    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(obj):
        return False
    try:
        with api.env.adopt_roles(["Manager"]):
            repository.save(obj=obj, comment=comment)
    except (FileTooLargeToVersionError, Unauthorized):
        # The transition must not fail for want of a version: the entry then
        # points at the last saved version, whose content is the same.
        logger.warning("no version saved for %s", obj.absolute_url_path())
        return False
    return True


def has_new_version(obj):
    """True when ``obj`` has a saved version the register does not list yet."""
    version_id = getattr(aq_base(obj), "version_id", None)
    if version_id is None:
        return False
    return version_id > get_register().latest_version(api.content.get_uuid(obj))


def record_creation(obj, event):
    """Subscriber: the first version of a BIP item, saved when it is added, is its creation.

    Registered for the same (marker, event) pair as plone.app.versioningbehavior's
    subscriber, so it runs after the version is saved.
    """
    if not IBipMetadata.providedBy(obj) or not has_new_version(obj):
        return
    record_change(obj, "created", get_change_note(getRequest(), ""))


def record_edit(obj, event):
    """Subscriber: an edit that saved a version is a change ("edited") of the register."""
    if IContainerModifiedEvent.providedBy(event):
        return
    if not IBipMetadata.providedBy(obj) or not has_new_version(obj):
        return
    note = get_change_note(getRequest(), "")
    record_change(obj, "edited", note)
    audit.log_change(obj, "edit", _plain_note(note))


def record_transition(obj, event):
    """Subscriber: publishing, archiving and restoring save a version and make an entry.

    So every state the public has seen is in the item's history.
    """
    transition = event.transition.id if event.transition is not None else None
    action = TRANSITION_ACTIONS.get(transition)
    if action is None:
        return
    note = transition_comment(event)
    save_version(obj, note or TRANSITION_COMMENTS[action])
    record_change(obj, action, note)


def rebuild_register(portal=None):
    """Fill the register from the CMFEditions histories of the BIP items it does not list yet.

    For an upgrade of a site whose items were versioned before the register
    existed. The action of an old version is guessed from its comment (the
    transitions' comments) and the title is today's. Returns the number of entries added.

    >>> rebuild_register()
    12
    """
    portal = portal or api.portal.get()
    register = get_register(portal)
    archivist = api.portal.get_tool("portal_archivist")
    comments = {str(comment): action for action, comment in TRANSITION_COMMENTS.items()}
    added = 0
    for brain in api.content.find(context=portal, object_provides=IBipMetadata.__identifier__):
        obj = brain.getObject()
        if register.latest_version(brain.UID) >= 0:
            continue
        history = archivist.getHistoryMetadata(obj)
        length = history.getLength(countPurged=False) if history else 0
        for version_id in range(length):
            metadata = history.retrieve(version_id)["metadata"]["sys_metadata"]
            comment = metadata.get("comment") or ""
            action = "created" if version_id == 0 else comments.get(str(comment), "edited")
            user = api.user.get(username=metadata.get("principal")) or api.user.get_current()
            entry = make_entry(obj, action, comment, version_id, metadata["timestamp"], user)
            entry["review_state"] = metadata.get("review_state") or entry["review_state"]
            if action != "edited" and str(comment) in comments:
                entry["note"] = ""
            register.add(entry)
            added += 1
    return added


def site_timezone():
    """The portal's time zone (registry ``plone.portal_timezone``), else UTC."""
    name = api.portal.get_registry_record("plone.portal_timezone", default=None)
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def local_datetime(timestamp):
    """The moment of ``timestamp`` in the portal's time zone.

    >>> local_datetime(1767607200.0).isoformat()
    '2026-01-05T11:00:00+01:00'
    """
    return datetime.fromtimestamp(timestamp, tz=site_timezone())


def format_moment(moment):
    """A moment as people read it in a table, the same in every language.

    >>> format_moment(local_datetime(1767607200.0))
    '2026-01-05 11:00'
    """
    return moment.strftime("%Y-%m-%d %H:%M")


def day_bounds(start_day=None, end_day=None):
    """The timestamps from the start of ``start_day`` to the end of ``end_day`` (local days).

    >>> day_bounds(date(2026, 1, 5), date(2026, 1, 5))
    (1767567600.0, 1767653999.999999)
    """
    zone = site_timezone()
    start = end = None
    if start_day is not None:
        start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=zone).timestamp()
    if end_day is not None:
        following = datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone)
        end = (following + timedelta(days=1)).timestamp() - 0.000001
    return start, end


def _plain_note(note):
    # A translatable message is a note written by the software ("Initial
    # version", "Published"), never by a person: the action says the same.
    if not note or isinstance(note, Message):
        return ""
    return str(note).strip()
