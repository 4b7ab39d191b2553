"""The types of citizen reports: the board of each language and the report itself.

A ``ReportsBoard`` (``/pl/zgloszenia``, ``/en/reports``, ``/uk/zvernennia``)
holds the reports filed in its language; its default view is the public page
(the "Report a problem" link, the map of reports and their list).

A ``CitizenReport`` has the location behavior (point and/or address), a
category (a code of ``ratusz.gis.report_categories``), the description of the
problem (plain text), the public copy of the photo (re-encoded without EXIF),
and what only staff read: the original photo, the reporter's name, e-mail and
phone, and the staff notes (field read permission ``ratusz: Handle citizen
reports``; forms, REST and ``guarded_getattr`` all honour it). The number
(``ZG/2026/00042``), the hash of the tracking token, the original's number of a
duplicate and the report's language are attributes, not fields: no form or
PATCH changes them.
"""

from AccessControl import Unauthorized
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.indexer import indexer
from plone.namedfile.field import NamedBlobFile
from plone.namedfile.field import NamedBlobImage
from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer
from ZPublisher.BaseRequest import UseTraversalDefault

from ratusz.gis.location import IGeoProperties
from ratusz.gis.location import point_of
from ratusz.gis.markers import MarkerType
from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty

HANDLE = "ratusz.gis.HandleReports"  # "ratusz: Handle citizen reports"
HANDLE_TITLE = "ratusz: Handle citizen reports"
MANAGE_PORTAL = "cmf.ManagePortal"
MAX_DESCRIPTION = 2000

# Workflow states and what the public reads of them.
STATES = (
    ("new", _("report_state_new", default="New, awaiting moderation")),
    ("accepted", _("report_state_accepted", default="Accepted")),
    ("in_progress", _("report_state_in_progress", default="Being fixed")),
    ("resolved", _("report_state_resolved", default="Resolved")),
    ("rejected", _("report_state_rejected", default="Rejected")),
    ("duplicate", _("report_state_duplicate", default="Duplicate")),
)
STATE_TITLES = dict(STATES)
# On the public map and list (``new`` waits for moderation; ``rejected`` is not public).
PUBLIC_STATES = ("accepted", "in_progress", "resolved", "duplicate")


def state_title(state_id, language=None, request=None):
    """The title of a report state, translated.

    >>> state_title("in_progress", "pl")
    'W realizacji'
    """
    message = STATE_TITLES.get(state_id)
    if message is None:
        return state_id or ""
    if language:
        return translate(message, target_language=language)
    return translate(message, context=request)


class IReportsBoard(model.Schema):
    """The reports of one language: the public page, the form, the staff's triage."""


class ICitizenReport(model.Schema):
    """A problem in public space reported by a resident."""

    report_category = schema.Choice(
        title=_("Category"),
        vocabulary="ratusz.gis.report_categories",
        required=True,
    )
    description = schema.Text(
        title=_("Description of the problem"),
        description=_("What is wrong and where exactly (plain text)."),
        required=True,
        max_length=MAX_DESCRIPTION,
    )

    directives.omitted("photo", "photo_original")
    directives.write_permission(photo=MANAGE_PORTAL, photo_original=MANAGE_PORTAL)
    photo = NamedBlobImage(
        title=_("Photo"),
        description=_("The public copy: re-encoded, without EXIF data (location, camera)."),
        required=False,
    )
    directives.read_permission(photo_original=HANDLE)
    photo_original = NamedBlobFile(
        title=_("Photo as sent"),
        description=_("The file the reporter sent, EXIF included: staff only."),
        required=False,
    )

    district = schema.TextLine(
        title=_("District"),
        description=_("Found from the districts map layer when the point is known."),
        required=False,
        max_length=200,
        constraint=has_no_markup,
    )

    model.fieldset(
        "reporter",
        label=_("Reporter (staff only)"),
        fields=["reporter_name", "reporter_email", "reporter_phone", "staff_notes"],
    )
    directives.read_permission(
        reporter_name=HANDLE, reporter_email=HANDLE, reporter_phone=HANDLE, staff_notes=HANDLE
    )
    directives.write_permission(
        reporter_name=HANDLE, reporter_email=HANDLE, reporter_phone=HANDLE, staff_notes=HANDLE
    )
    reporter_name = schema.TextLine(
        title=_("Reporter's name"), required=False, max_length=200, constraint=has_no_markup
    )
    reporter_email = schema.TextLine(
        title=_("Reporter's e-mail"),
        required=False,
        max_length=254,
        constraint=is_email_or_empty,
    )
    reporter_phone = schema.TextLine(
        title=_("Reporter's phone"), required=False, max_length=50, constraint=has_no_markup
    )
    staff_notes = schema.Text(
        title=_("Staff notes"),
        description=_("Never shown to the public or the reporter."),
        required=False,
        max_length=10000,
    )


class CitizenReport(Item):
    """A report: plone.dexterity's Item that a URL cannot read a staff-only field through.

    A field's read permission (the original photo, the reporter's contact, the staff
    notes) guards forms, ``@@download``, ``@@images`` and REST, but Zope's URL traversal
    reads attributes without asking it: ``…/photo_original/data`` would serve the
    photo with its EXIF location to anybody.
    """

    def __bobo_traverse__(self, request, name):
        # The same check as restricted code gets (plone.dexterity's AttributeValidator).
        if not self.__allow_access_to_unprotected_subobjects__(name, None):
            raise Unauthorized(name)
        raise UseTraversalDefault


def report_number_of(report):
    """The report's number, e.g. ``ZG/2026/00042`` (None while it is being made)."""
    return getattr(report, "report_number", None)


def report_language(report):
    """The language the report was filed in (its mails and map popups use it)."""
    language = getattr(report, "language", None) or "pl"
    return language if language in ("pl", "en", "uk") else "pl"


@adapter(ICitizenReport)
@implementer(IGeoProperties)
class ReportProperties:
    """A report's popup: its category, number and state — nothing about the reporter."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        from plone import api

        context = self.context
        state = api.content.get_state(context, default=None)
        found = {
            "category": context.report_category,
            "number": report_number_of(context),
            "state_title": state_title(state, report_language(context)) if state else None,
            "duplicate_of": getattr(context, "duplicate_of", None)
            if state == "duplicate"
            else None,
        }
        return {name: value for name, value in found.items() if value}


def reports():
    """The marker type of citizen reports (categories from Site Setup)."""
    return MarkerType(_("Citizen reports"), "#b45f06", "ratusz.gis.report_categories")


@indexer(ICitizenReport)
def report_number(obj):
    number = report_number_of(obj)
    if not number:
        raise AttributeError("report_number")
    return number


@indexer(ICitizenReport)
def report_district(obj):
    return obj.district or None


@indexer(ICitizenReport)
def report_summary(obj):
    """What the public list and the staff's triage table show, as catalog metadata: nothing
    about the reporter."""
    created = obj.created()
    return {
        "number": report_number_of(obj),
        "category": obj.report_category,
        "district": obj.district or None,
        "address": getattr(obj, "address", None) or None,
        "created": created.ISO8601() if created is not None else None,
        "has_point": point_of(getattr(obj, "geolocation", None)) is not None,
        "has_photo": obj.photo is not None,
        "duplicate_of": getattr(obj, "duplicate_of", None),
        "language": report_language(obj),
    }
