"""The history of a BIP item: its versions (``@@bip-history``) and one earlier version
(``@@bip-version?version=N``) with what changed (requirements B2: earlier versions stay
readable).

The list comes from the change register (``ratusz.bip.changelog``); the content of an
old version from CMFEditions. The public sees the versions saved while the item was
public (published or archived); the BIP staff see all of them.
"""

import difflib

import lxml.html
from Acquisition import aq_inner
from lxml.etree import ParserError
from plone import api
from plone.app.textfield.interfaces import IRichTextValue
from plone.dexterity.schema import SCHEMA_CACHE
from plone.namedfile.interfaces import INamedFile
from Products.Five import BrowserView
from zExceptions import NotFound
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import IVocabularyFactory

from ratusz.bip import changelog
from ratusz.bip.metadata import IBipMetadata
from ratusz.i18n import _

BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
SKIPPED_FIELDS = ("bip_entered_by",)


def item_history(obj, public_only=True):
    """The register entries of ``obj``, newest first; only public ones when ``public_only``.

    >>> [entry["action"] for entry in item_history(resolution)]
    ['edited', 'published']
    """
    register = changelog.get_register()
    entries = (register.entries[key] for key in register.item_keys(api.content.get_uuid(obj)))
    return [entry for entry in entries if not public_only or changelog.is_public(entry)]


def version_entry(obj, version_id, public_only=True):
    """The register entry of version ``version_id`` of ``obj``, or None if there is none
    (or, when ``public_only``, it was not public).

    >>> version_entry(resolution, 2)["action"]
    'published'
    """
    for entry in item_history(obj, public_only=public_only):
        if entry["version_id"] == version_id:
            return entry
    return None


def previous_entry(obj, entry, public_only=True):
    """The entry of the version before ``entry``'s (a public one when ``public_only``)."""
    older = [
        other
        for other in item_history(obj, public_only=public_only)
        if other["version_id"] is not None and other["version_id"] < entry["version_id"]
    ]
    return older[0] if older else None


def parse_version_id(value):
    """The version number in ``value`` (a request parameter), or None when it is not one.

    >>> parse_version_id("3"), parse_version_id("-1"), parse_version_id("3; drop")
    (3, None, None)
    """
    if not isinstance(value, str) or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def retrieve_version(obj, version_id):
    """The content of version ``version_id`` of ``obj`` (a CMFEditions copy, read only).

    Trusted code: who may read which version is decided by the register (only
    versions saved while public are public), not by CMFEditions' "Access
    previous versions", which guards its own editing screens.
    """
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        return repository.retrieve(obj, version_id).object


def version_fields(version, request):
    """The fields of a version to show and compare: [(name, label, text, html)].

    ``text`` is plain text (compared line by line); ``html`` is set for rich text
    (already made safe by Plone's transforms) and None otherwise.
    """
    fields = [("title", _("Title"), version.Title() or "", None)]
    fields.append(("description", _("Summary"), version.Description() or "", None))
    schemas = [SCHEMA_CACHE.get(version.portal_type), IBipMetadata]
    for schema in filter(None, schemas):
        for name, field in getFieldsInOrder(schema):
            if name in SKIPPED_FIELDS:
                continue
            value = getattr(aq_inner(version), name, None)
            text, html = _display(field, value, version, request)
            fields.append((name, field.title, text, html))
    return fields


def text_lines(fields, request):
    """The fields as the lines of a plain-text document, for the comparison of versions."""
    lines = []
    for _name, label, text, _html in fields:
        label = translate(label, context=request)
        values = [line for line in text.splitlines() if line.strip()] or ["—"]
        if len(values) == 1:
            lines.append(f"{label}: {values[0]}")
        else:
            lines.append(f"{label}:")
            lines.extend(values)
    return lines


def line_changes(old_lines, new_lines):
    """The lines of a comparison: [(kind, line)] with kind "same", "added" or "removed".

    >>> line_changes(["a", "b"], ["a", "c"])
    [('same', 'a'), ('removed', 'b'), ('added', 'c')]
    """
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [
        (kinds[line[0]], line[2:])
        for line in difflib.ndiff(old_lines, new_lines)
        if line[0] in kinds
    ]


def html_to_text(html):
    """The text of an HTML fragment, a line per block.

    >>> html_to_text("<p>Ala</p><p>ma <b>kota</b></p>")
    'Ala\\nma kota'
    """
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return ""
    for element in root.iter(*BLOCK_TAGS, "br"):
        element.tail = "\n" + (element.tail or "")
    lines = (line.strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _display(field, value, context, request):
    if value is None or value == "" or value == []:
        return "", None
    if IRichTextValue.providedBy(value):
        html = value.output or ""
        return html_to_text(html), html
    if INamedFile.providedBy(value):
        return value.filename or "", None
    if isinstance(value, bool):
        return translate(_("Yes") if value else _("No"), context=request), None
    if isinstance(value, (list, tuple)):
        titles = [_relation_title(item) for item in value]
        return ", ".join(title for title in titles if title), None
    if hasattr(value, "isoformat"):
        return value.isoformat(), None
    vocabulary_name = getattr(field, "vocabularyName", None)
    if vocabulary_name:
        factory = queryUtility(IVocabularyFactory, vocabulary_name)
        try:
            title = factory(context).getTerm(value).title if factory else value
        except LookupError:
            title = value
        return translate(title, context=request), None
    return str(value), None


def _relation_title(value):
    target = getattr(value, "to_object", None)
    return target.Title() if target is not None else str(value)


class HistoryMixin:
    """What the history views share: who sees what."""

    def staff(self):
        return changelog.sees_all_changes(aq_inner(self.context))

    def state_title(self, entry):
        return changelog.STATE_TITLES.get(entry["review_state"], entry["review_state"] or "")

    def action_title(self, entry):
        return changelog.ACTION_TITLES.get(entry["action"], entry["action"])

    def when(self, entry):
        moment = changelog.local_datetime(entry["timestamp"])
        return {
            "iso": moment.isoformat(timespec="seconds"),
            "text": changelog.format_moment(moment),
        }

    def version_url(self, entry):
        return f"{self.context.absolute_url()}/@@bip-version?version={entry['version_id']}"


class HistoryView(HistoryMixin, BrowserView):
    """``@@bip-history``: the versions of an item, newest first."""

    def entries(self):
        return item_history(self.context, public_only=not self.staff())

    def is_public(self, entry):
        return changelog.is_public(entry)


class VersionView(HistoryMixin, BrowserView):
    """``@@bip-version?version=N``: one earlier version, read only, with what changed."""

    def __call__(self):
        version_id = parse_version_id(self.request.form.get("version"))
        public_only = not self.staff()
        entry = None
        if version_id is not None:
            entry = version_entry(self.context, version_id, public_only=public_only)
        if entry is None:
            raise NotFound(
                translate(_("There is no such version of this item."), context=self.request)
            )
        self.entry = entry
        version = retrieve_version(self.context, version_id)
        self.fields = version_fields(version, self.request)
        self.changes = self._changes(public_only)
        return self.index()

    def _changes(self, public_only):
        previous = previous_entry(self.context, self.entry, public_only=public_only)
        self.previous = previous
        if previous is None:
            return []
        older = version_fields(retrieve_version(self.context, previous["version_id"]), self.request)
        return line_changes(text_lines(older, self.request), text_lines(self.fields, self.request))

    def shown_fields(self):
        return [field for field in self.fields if field[0] not in ("title",)]

    def changed(self):
        return any(kind != "same" for kind, _line in self.changes)
