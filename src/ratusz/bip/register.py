"""The site-wide change register of a BIP root (``/pl/bip/rejestr-zmian``) and its Atom feed.

Both read the register index (``ratusz.bip.changelog``), never the items: a page
of 50 entries costs a key range in a BTree, 50 dictionary reads and one catalog
query for the current addresses of those items (they may have been moved or
renamed since). The public sees the changes made while an item was public; the
BIP staff see all changes.
"""

import uuid
from datetime import date
from datetime import datetime
from datetime import timezone
from urllib.parse import urlencode
from urllib.parse import urlparse

from Acquisition import aq_inner
from lxml import etree
from plone import api
from plone.batching import Batch
from Products.Five import BrowserView
from zope.component import getMultiAdapter
from zope.i18n import translate

from ratusz.bip import changelog
from ratusz.i18n import _
from ratusz.site.settings import city_settings_for_display

PAGE_SIZE = 50
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
FILTER_NAMES = ("from", "to", "section")


class Changes:
    """The entries behind a lazy sequence of register keys: what plone.batching pages over."""

    def __init__(self, register, keys, length=None):
        self.register = register
        self.keys = keys
        self.length = length

    def __len__(self):
        if self.length is None:
            self.length = len(self.keys)
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.register.entries[key] for key in self.keys[index]]
        return self.register.entries[self.keys[index]]


def top_sections(root):
    """The top-level sections of a BIP root the current user may see: {id: catalog brain}.

    >>> list(top_sections(api.content.get("/pl/bip")))[:2]
    ['status-prawny', 'organy']
    """
    brains = api.content.find(
        context=root, depth=1, portal_type="BipSection", sort_on="getObjPositionInParent"
    )
    return {brain.getId: brain for brain in brains}


def parse_day(value):
    """The date in ``value`` (``YYYY-MM-DD``), None when empty; ValueError when it is not one.

    >>> parse_day("2026-01-05"), parse_day("")
    (datetime.date(2026, 1, 5), None)
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def read_filters(form, sections):
    """The register's filters in ``form`` (a request form): (filters, errors).

    ``filters`` has ``start`` and ``end`` (dates or None) and ``section`` (a
    catalog brain or None); ``errors`` maps a parameter to a translatable message.

    >>> read_filters({"from": "2026-13-01"}, sections)[1]
    {'from': 'Enter the date as YYYY-MM-DD, e.g. 2026-01-31.'}
    """
    filters = {"start": None, "end": None, "section": None}
    errors = {}
    for name, key in (("from", "start"), ("to", "end")):
        try:
            filters[key] = parse_day(form.get(name))
        except ValueError:
            errors[name] = _("Enter the date as YYYY-MM-DD, e.g. 2026-01-31.")
    if filters["start"] and filters["end"] and filters["start"] > filters["end"]:
        errors["to"] = _("The end date is before the start date.")
    section = form.get("section") or None
    if section is not None:
        if not isinstance(section, str) or section not in sections:
            errors["section"] = _("There is no such section in this BIP.")
        else:
            filters["section"] = sections[section]
    return filters, errors


def find_changes(root, filters, public_only=True):
    """The changes of the BIP ``root`` that pass ``filters``, newest first (lazy).

    >>> len(find_changes(root, {"start": date(2026, 1, 1), "end": None, "section": None}))
    42
    """
    register = changelog.get_register()
    start, end = changelog.day_bounds(filters.get("start"), filters.get("end"))
    section = filters.get("section")
    scope = {
        "root_uid": api.content.get_uuid(root),
        "section_uid": section.UID if section is not None else "",
        "public_only": public_only,
    }
    keys = register.keys(start=start, end=end, **scope)
    length = register.count(**scope) if start is None and end is None else None
    return Changes(register, keys, length)


def current_urls(entries):
    """The current address of the items of ``entries`` (one catalog query): {uid: url}.

    An item deleted since has no address. The catalog is asked without the
    user's rights: the entries are already filtered, only their addresses are read.
    """
    uids = list({entry["uid"] for entry in entries})
    if not uids:
        return {}
    catalog = api.portal.get_tool("portal_catalog")
    return {brain.UID: brain.getURL() for brain in catalog.unrestrictedSearchResults(UID=uids)}


def register_view_name(root):
    """The name of the register view of a BIP root: Polish in /pl, English elsewhere."""
    return "rejestr-zmian" if root.Language() == "pl" else "change-register"


def filter_query(form, names=FILTER_NAMES):
    """The filters of ``form`` as a query string for links (feed, pages)."""
    pairs = [(name, form.get(name)) for name in names]
    return urlencode([(name, value) for name, value in pairs if isinstance(value, str) and value])


class RegisterView(BrowserView):
    """The change register of a BIP root: a filterable, batched table, newest first."""

    def __call__(self):
        self.root = aq_inner(self.context)
        self.sections = top_sections(self.root)
        self.filters, self.errors = read_filters(self.request.form, self.sections)
        if self.errors:
            self.request.response.setStatus(400)
        return self.index()

    def staff(self):
        return changelog.sees_all_changes(self.root)

    def section_options(self):
        chosen = self.request.form.get("section")
        return [
            {"id": section_id, "title": brain.Title, "selected": section_id == chosen}
            for section_id, brain in self.sections.items()
        ]

    def value(self, name):
        value = self.request.form.get(name)
        return value if isinstance(value, str) else ""

    def error(self, name):
        message = self.errors.get(name)
        return translate(message, context=self.request) if message else None

    def batch(self):
        if self.errors:
            return Batch([], PAGE_SIZE)
        changes = find_changes(self.root, self.filters, public_only=not self.staff())
        return Batch(changes, PAGE_SIZE, start=_non_negative(self.request.form.get("b_start")))

    def rows(self, batch):
        entries = list(batch)
        urls = current_urls(entries)
        return [self._row(entry, urls.get(entry["uid"])) for entry in entries]

    def batch_navigation(self, batch):
        navigation = getMultiAdapter((self.context, self.request), name="batchnavigation")
        return navigation(batch)

    def feed_url(self):
        query = filter_query(self.request.form)
        url = f"{self.root.absolute_url()}/{self.__name__}.atom"
        return f"{url}?{query}" if query else url

    def _row(self, entry, url):
        moment = changelog.local_datetime(entry["timestamp"])
        return {
            "entry": entry,
            "url": url,
            "version_url": f"{url}/@@bip-version?version={entry['version_id']}" if url else None,
            "iso": moment.isoformat(timespec="seconds"),
            "when": changelog.format_moment(moment),
            "action": changelog.ACTION_TITLES.get(entry["action"], entry["action"]),
            "state": changelog.STATE_TITLES.get(entry["review_state"], entry["review_state"]),
            "type": _type_title(entry["portal_type"]),
        }


class RegisterFeedView(BrowserView):
    """The Atom feed of the register: its latest public changes, with the same filters."""

    def __call__(self):
        root = aq_inner(self.context)
        filters, errors = read_filters(self.request.form, top_sections(root))
        response = self.request.response
        if errors:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return "\n".join(
                translate(message, context=self.request) for message in errors.values()
            )
        # A feed is public whoever reads it: readers and caches share it.
        entries = find_changes(root, filters, public_only=True)[:FEED_SIZE]
        response.setHeader("Content-Type", "application/atom+xml; charset=utf-8")
        return etree.tostring(
            self.feed(root, entries), xml_declaration=True, encoding="utf-8", pretty_print=True
        )

    def feed(self, root, entries):
        html_name = self.__name__.removesuffix(".atom")
        query = filter_query(self.request.form)
        suffix = f"?{query}" if query else ""
        feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", root.Language() or "pl")
        title = translate(_("Change register"), context=self.request)
        _add(feed, "title", f"{title}: {root.Title()}")
        _add(feed, "id", _feed_id(root, query))
        _add(feed, "updated", _atom_time(entries[0]["timestamp"] if entries else None))
        _add(feed, "link", rel="self", href=f"{root.absolute_url()}/{self.__name__}{suffix}")
        _add(
            feed,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{root.absolute_url()}/{html_name}{suffix}",
        )
        author = _add(feed, "author")
        _add(author, "name", city_settings_for_display(self.request).office_name or root.Title())
        urls = current_urls(entries)
        for entry in entries:
            self.add_entry(feed, entry, urls.get(entry["uid"]), root)
        return feed

    def add_entry(self, feed, entry, url, root):
        action = translate(
            changelog.ACTION_TITLES.get(entry["action"], entry["action"]), context=self.request
        )
        node = _add(feed, "entry")
        _add(node, "title", f"{action}: {entry['title']}")
        _add(node, "id", _entry_id(entry))
        _add(node, "updated", _atom_time(entry["timestamp"]))
        if url:
            version = f"{url}/@@bip-version?version={entry['version_id']}"
            _add(node, "link", rel="alternate", type="text/html", href=version)
        author = _add(node, "author")
        _add(author, "name", entry["fullname"])
        if entry["section_title"]:
            _add(node, "category", term=entry["section_id"], label=entry["section_title"])
        summary = [action, entry["section_title"], entry["note"]]
        _add(node, "summary", " — ".join(part for part in summary if part), type="text")


def _add(parent, tag, text=None, **attributes):
    node = etree.SubElement(parent, f"{{{ATOM}}}{tag}", **attributes)
    if text is not None:
        node.text = text
    return node


def _atom_time(timestamp):
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc) if timestamp else None
    return (moment or datetime(2000, 1, 1, tzinfo=timezone.utc)).isoformat(timespec="seconds")


def _entry_id(entry):
    # A stable id per change, whatever the item's address becomes.
    name = f"{entry['uid']}/{entry['version_id']}/{entry['action']}/{entry['timestamp']}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _feed_id(root, query):
    host = urlparse(root.absolute_url()).hostname or "localhost"
    name = f"{host}/{api.content.get_uuid(root)}/changes?{query}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _type_title(portal_type):
    fti = api.portal.get_tool("portal_types").getTypeInfo(portal_type)
    return fti.Title() if fti is not None else portal_type


def _non_negative(value):
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
