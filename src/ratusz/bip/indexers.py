"""Catalog indexers of BIP content: what registers filter and sort on, and what they show.

Registers and the BIP search read only the catalog. Each BIP item type maps its own
fields onto the shared indexes (``bip_year``, ``bip_body``, ``bip_status``,
``bip_kind``, ``bip_section``, ``bip_sort_date``) and stores its display values in
the metadata column ``bip_summary``, so a listing of thousands of acts never wakes
an object. The indexes are declared for all content: these indexers answer for BIP
content only (they are registered for the BIP interfaces) and raise AttributeError
where a value does not exist, which leaves the object out of that index.
"""

import re
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from Acquisition import aq_parent
from DateTime import DateTime
from plone.app.textfield.value import IRichTextValue
from plone.base.utils import safe_text
from plone.i18n.normalizer.base import baseNormalize
from plone.indexer.decorator import indexer
from Products.CMFCore.utils import getToolByName
from zope.i18n import translate

from ratusz.bip.content import IAnnouncement
from ratusz.bip.content import IAssetDeclaration
from ratusz.bip.content import IJobVacancy
from ratusz.bip.content import ILegalAct
from ratusz.bip.content import IProcurement
from ratusz.bip.interfaces import IBipRoot
from ratusz.bip.interfaces import IBipSection
from ratusz.bip.metadata import IBipMetadata
from ratusz.bip.vocabularies import term_title


@dataclass(frozen=True)
class ItemFields:
    """Which field of one BIP item type fills each shared index.

    ``summary`` maps the keys of ``bip_summary`` to field names; ``text`` lists
    the short texts and rich texts added to SearchableText.
    """

    schema: type
    date: str | None = None
    year: str | None = None
    body: str | None = None
    status: str | None = None
    kind: str | None = None
    number: str | None = None
    name: str | None = None
    unit: str | None = None
    end_date: str | None = None
    summary: tuple = ()
    text: tuple = ()
    # Vocabulary values whose (translated) titles a reader may type in a search.
    vocabulary_text: tuple = ()


ITEM_FIELDS = (
    ItemFields(
        schema=ILegalAct,
        date="act_date",
        body="act_body",
        status="act_status",
        kind="act_kind",
        number="act_number",
        summary=(
            ("number", "act_number"),
            ("date", "act_date"),
            ("body", "act_body"),
            ("status", "act_status"),
            ("kind", "act_kind"),
        ),
        text=("act_number", "text"),
        vocabulary_text=(
            ("ratusz.bip.act_kinds", "act_kind"),
            ("ratusz.bip.act_bodies", "act_body"),
        ),
    ),
    ItemFields(
        schema=IAnnouncement,
        date="valid_from",
        kind="announcement_kind",
        end_date="valid_to",
        summary=(
            ("kind", "announcement_kind"),
            ("valid_from", "valid_from"),
            ("valid_to", "valid_to"),
        ),
        text=("text",),
        vocabulary_text=(("ratusz.bip.announcement_kinds", "announcement_kind"),),
    ),
    ItemFields(
        schema=IProcurement,
        date="offers_deadline",
        status="procurement_status",
        kind="procedure",
        number="reference_number",
        summary=(
            ("reference_number", "reference_number"),
            ("procedure", "procedure"),
            ("value_range", "value_range"),
            ("deadline", "offers_deadline"),
            ("status", "procurement_status"),
        ),
        text=("reference_number", "text", "result"),
    ),
    ItemFields(
        schema=IJobVacancy,
        date="deadline",
        status="vacancy_status",
        name="position",
        unit="unit",
        summary=(
            ("position", "position"),
            ("unit", "unit"),
            ("deadline", "deadline"),
            ("status", "vacancy_status"),
        ),
        text=("position", "unit", "requirements", "result"),
    ),
    ItemFields(
        schema=IAssetDeclaration,
        year="declaration_year",
        kind="declaration_kind",
        name="person",
        unit="office",
        summary=(
            ("person", "person"),
            ("office", "office"),
            ("year", "declaration_year"),
            ("kind", "declaration_kind"),
        ),
        text=("person", "office"),
    ),
)

# The metadata block's fields a reader may search by: who produced it, and where.
METADATA_TEXT = ("bip_produced_by", "bip_producing_unit")

ROMAN_NUMERAL = re.compile(r"^[ivxlcdm]+$")
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def fields_of(obj):
    """The ItemFields of ``obj``'s type, or None for a BIP page or a section.

    >>> fields_of(resolution).status
    'act_status'
    """
    for fields in ITEM_FIELDS:
        if fields.schema.providedBy(obj):
            return fields
    return None


def field_value(obj, name):
    """The value of field ``name`` on ``obj``, or None where the type has no such field."""
    if name is None:
        return None
    return getattr(aq_base(obj), name, None)


def as_datetime(value):
    """A Zope DateTime of a date or a datetime (dates at local midnight), or None.

    >>> as_datetime(date(2026, 1, 5)).year()
    2026
    """
    if isinstance(value, DateTime):
        return value
    if isinstance(value, datetime):
        # Naive datetimes (the form's deadlines) are local wall-clock time.
        return DateTime(value) if value.tzinfo else DateTime(*value.timetuple()[:6])
    if isinstance(value, date):
        return DateTime(value.year, value.month, value.day)
    return None


def as_iso(value):
    """The ISO text of a date or a datetime (JSON-friendly), None for anything else.

    >>> as_iso(date(2026, 1, 5))
    '2026-01-05'
    """
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def main_date(obj):
    """The date a register sorts ``obj`` by: the type's own date, else publication, else creation.

    >>> main_date(resolution)  # its act_date
    DateTime('2026/01/05 00:00:00 GMT+1')
    """
    fields = fields_of(obj)
    own = as_datetime(field_value(obj, fields.date)) if fields else None
    if own is not None:
        return own
    return obj.effective_date or obj.created()


def main_year(obj):
    """The year a register files ``obj`` under (``declaration_year`` or the main date's).

    >>> main_year(declaration)
    2025
    """
    fields = fields_of(obj)
    year = field_value(obj, fields.year) if fields else None
    if isinstance(year, int):
        return year
    return main_date(obj).year()


def natural_sort_key(text):
    """A text that sorts act and reference numbers as people read them.

    Numbers are zero-padded and Roman numerals (session numbers) become numbers.

    >>> natural_sort_key("XII/123/2026") < natural_sort_key("XII/1234/2026")
    True
    """
    parts = []
    for token in re.findall(r"\d+|[^\W\d_]+", safe_text(text or "").lower()):
        if token.isdigit():
            parts.append(token.zfill(10))
        elif ROMAN_NUMERAL.match(token):
            parts.append(str(roman_to_int(token)).zfill(10))
        else:
            parts.append(token)
    return " ".join(parts)


def roman_to_int(numeral):
    """The value of a lower-case Roman numeral.

    >>> roman_to_int("xii")
    12
    """
    total = 0
    values = [ROMAN_VALUES[char] for char in numeral]
    for value, following in zip(values, values[1:] + [0], strict=True):
        total += -value if value < following else value
    return total


def sortable_text(text):
    """A case- and accent-insensitive sort key of a name, e.g. for persons and units.

    >>> sortable_text("Łukasz Żak")
    'lukasz zak'
    """
    return baseNormalize(safe_text(text or "")).lower()


def summary_of(obj):
    """The display values a register row needs, as JSON-friendly primitives.

    Vocabulary values are stored as their codes: the row translates them into
    the reader's language.

    >>> summary_of(resolution)
    {'number': 'I/1/2026', 'date': '2026-01-05', 'body': 'council', ...}
    """
    fields = fields_of(obj)
    if fields is None:
        return {}
    summary = {}
    for key, name in fields.summary:
        value = field_value(obj, name)
        if isinstance(value, date):  # datetime is a date too
            value = as_iso(value)
        elif value is not None and not isinstance(value, int | str):
            value = safe_text(value)
        summary[key] = value
    return summary


def top_section_id(obj):
    """The id of the section right under the BIP root that holds ``obj``.

    >>> top_section_id(resolution)  # /pl/bip/prawo-lokalne/uchwaly/...
    'prawo-lokalne'
    """
    for item in aq_chain(aq_inner(obj)):
        parent = aq_parent(item)
        if parent is None:
            break
        if IBipRoot.providedBy(parent):
            return item.getId()
    return None


def rich_text(obj, value):
    """The plain text of a RichTextValue, for the full-text index."""
    if not IRichTextValue.providedBy(value):
        return ""
    transforms = getToolByName(obj, "portal_transforms")
    converted = transforms.convertTo("text/plain", safe_text(value.raw), mimetype=value.mimeType)
    return safe_text(converted.getData()).strip() if converted else ""


def text_of(obj, names):
    """The searchable text of the fields ``names`` of ``obj`` (short and rich texts)."""
    texts = []
    for name in names:
        value = field_value(obj, name)
        if IRichTextValue.providedBy(value):
            texts.append(rich_text(obj, value))
        elif value:
            texts.append(safe_text(value))
    return texts


def vocabulary_texts(obj, fields):
    """The titles of the item's kind and issuing body in the item's language."""
    language = getattr(aq_base(obj), "language", None) or "pl"
    return [
        translate(term_title(vocabulary, field_value(obj, name)), target_language=language)
        for vocabulary, name in fields.vocabulary_text
        if field_value(obj, name)
    ]


def _required(value):
    """Leave the object out of an index (AttributeError) where it has no value."""
    if value is None or value == "":
        raise AttributeError
    return value


def _from_fields(obj, attribute):
    fields = fields_of(obj)
    return _required(field_value(obj, getattr(fields, attribute)) if fields else None)


@indexer(IBipMetadata)
def bip_year(obj):
    return main_year(obj)


@indexer(IBipMetadata)
def bip_body(obj):
    return _from_fields(obj, "body")


@indexer(IBipMetadata)
def bip_status(obj):
    # Announcements have none: "current" or "expired" depends on the day of
    # indexing, not on the item (see bip_end_date).
    return _from_fields(obj, "status")


@indexer(IBipMetadata)
def bip_kind(obj):
    return _from_fields(obj, "kind")


@indexer(IBipMetadata)
def bip_section_of_item(obj):
    return _required(top_section_id(obj))


@indexer(IBipSection)
def bip_section_of_section(obj):
    return _required(top_section_id(obj))


@indexer(IBipMetadata)
def bip_sort_date(obj):
    return main_date(obj)


@indexer(IBipSection)
def bip_sort_date_of_section(obj):
    return obj.effective_date or obj.created()


@indexer(IBipMetadata)
def bip_summary(obj):
    return summary_of(obj)


@indexer(IBipMetadata)
def bip_number(obj):
    return natural_sort_key(_from_fields(obj, "number"))


@indexer(IBipMetadata)
def bip_name(obj):
    return sortable_text(_from_fields(obj, "name"))


@indexer(IBipMetadata)
def bip_unit(obj):
    return sortable_text(_from_fields(obj, "unit"))


@indexer(IBipMetadata)
def bip_end_date(obj):
    return _required(as_datetime(_from_fields(obj, "end_date")))


@indexer(IBipMetadata)
def searchable_text_of_item(obj):
    fields = fields_of(obj)
    texts = [obj.getId(), obj.Title(), obj.Description()]
    texts += text_of(obj, ("text",))
    if fields is not None:
        texts += text_of(obj, [name for name in fields.text if name != "text"])
        texts += vocabulary_texts(obj, fields)
    texts += text_of(obj, METADATA_TEXT)
    return " ".join(safe_text(text) for text in texts if text)


@indexer(IBipSection)
def searchable_text_of_section(obj):
    texts = [obj.getId(), obj.Title(), obj.Description()] + text_of(obj, ("text",))
    return " ".join(safe_text(text) for text in texts if text)
