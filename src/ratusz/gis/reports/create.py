"""Filing a citizen report: one function for the form, the REST service and (later) Open311.

``create_report`` checks everything first — the client's rate, the category,
the text, the point (or the address), the reporter's contact, the photo (read
and re-encoded) — and only then, in a savepoint and as the reports' system
user, takes the next number and makes the report: a refused report leaves
nothing behind, and the number is taken only for a report that is made (an
aborted transaction gives it back: see ratusz.cases.numbering).

A resident needs no account and no right on the board: the report is made by
the system user ``(ratusz-reports)``, and what the resident may see of it
afterwards comes from the tracking token (shown once, mailed if an e-mail was
given; only its salted hash is stored).
"""

import logging
import math
import re
from contextlib import contextmanager
from datetime import datetime

import transaction
from AccessControl.users import UnrestrictedUser
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.formwidget.geolocation.geolocation import Geolocation
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage

from ratusz.cases.numbering import next_number
from ratusz.eservices.receipt import hash_key
from ratusz.eservices.receipt import new_tracking_key
from ratusz.eservices.tracking import Throttle
from ratusz.eservices.uploads import MB
from ratusz.gis.reports.categories import category_title
from ratusz.gis.reports.categories import report_categories
from ratusz.gis.reports.content import MAX_DESCRIPTION
from ratusz.gis.reports.photos import PhotoRefused
from ratusz.gis.reports.photos import checked_photo
from ratusz.gis.reports.photos import public_copy
from ratusz.gis.reports.settings import reports_setting
from ratusz.i18n import _
from ratusz.validators import EMAIL
from ratusz.validators import InputError

logger = logging.getLogger("ratusz.gis.reports")

REPORTS_USER_ID = "(ratusz-reports)"
NUMBER_PATTERN = "ZG/{yyyy}/{n:05d}"
NUMBER = re.compile(r"^ZG/(\d{4})/(\d{1,9})$")
MAX_ADDRESS = 300
MAX_NAME = 200
MAX_PHONE = 50
PHONE = re.compile(r"^[0-9+()\-./ ]{3,50}$")
# Any C0 control character but tab and line breaks: the text is shown and mailed as is.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REPORTS = Throttle()


class ReportRefused(InputError):
    """A report that cannot be filed: ``field`` names the input (``category``,
    ``description``, ``latitude``, ``longitude``, ``address``, ``name``, ``email``,
    ``phone``, ``photo``) or is None."""


class TooManyReports(ReportRefused):
    """Refused by the rate limit: the REST API answers 429 rather than 400."""


@contextmanager
def acting_as_reports_user():
    """Run the block as the reports' system user: residents have no right on the board."""
    portal = api.portal.get()
    user = UnrestrictedUser(REPORTS_USER_ID, "", ["Manager"], []).__of__(portal.acl_users)
    with api.env.adopt_user(user=user):
        yield


# --- checks, each raising ReportRefused naming its input --------------------------------


def check_rate(client, api_key_id=None):
    """Refuse a client that has filed ``reports_per_hour`` reports within the hour (every
    try counts, in the memory of this process, as the e-services' limit).

    An Open311 application files for many residents from one server: its reports are
    counted per API key (``open311_reports_per_hour``), not with the web form's per address.

    >>> check_rate("203.0.113.9")
    >>> check_rate("203.0.113.9", api_key_id="3fa85f64")
    """
    if api_key_id:
        key, limit = ("open311-key", api_key_id), reports_setting("open311_reports_per_hour")
    else:
        key, limit = ("report", client or "?"), reports_setting("reports_per_hour")
    wait = REPORTS.blocked_for([key], limit)
    if wait:
        minutes = {"minutes": max(1, int(wait // 60) + 1)}
        if api_key_id:
            message = _(
                "Too many reports with this API key. Try again in ${minutes} minutes; "
                "nothing has been sent.",
                mapping=minutes,
            )
        else:
            message = _(
                "Too many reports from your address. Try again in ${minutes} minutes; nothing "
                "has been sent.",
                mapping=minutes,
            )
        raise TooManyReports(None, message)
    REPORTS.record([key])


def checked_category(code):
    """The category code if Site Setup lists it.

    >>> checked_category("lighting")
    'lighting'
    """
    code = (code or "").strip() if isinstance(code, str) else ""
    if code not in {category["code"] for category in report_categories()}:
        raise ReportRefused("category", _("Choose a category from the list."))
    return code


def checked_description(text):
    """The description stripped of control characters; required, at most MAX_DESCRIPTION.

    Angle brackets are kept: the text is plain and escaped wherever it is shown.
    """
    text = CONTROL.sub("", text if isinstance(text, str) else "").strip()
    if not text:
        raise ReportRefused("description", _("Describe the problem."))
    if len(text) > MAX_DESCRIPTION:
        raise ReportRefused(
            "description",
            _(
                "The description is longer than ${limit} characters.",
                mapping={"limit": MAX_DESCRIPTION},
            ),
        )
    return text


def _number(value, field):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ReportRefused(field, _("Latitude and longitude must be numbers."))
    try:
        number = float(str(value).strip().replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ReportRefused(field, _("Latitude and longitude must be numbers.")) from None
    if not math.isfinite(number):
        raise ReportRefused(field, _("Latitude and longitude must be numbers."))
    return number


def checked_point(latitude, longitude):
    """``(latitude, longitude)`` in WGS84 degrees, or None when neither is given.

    >>> checked_point("51.76", "18,09")
    (51.76, 18.09)
    """
    latitude, longitude = _number(latitude, "latitude"), _number(longitude, "longitude")
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        field = "latitude" if latitude is None else "longitude"
        raise ReportRefused(field, _("Give both latitude and longitude, or neither."))
    if not -90 <= latitude <= 90:
        raise ReportRefused("latitude", _("The latitude must be between -90 and 90 degrees."))
    if not -180 <= longitude <= 180:
        raise ReportRefused("longitude", _("The longitude must be between -180 and 180 degrees."))
    return latitude, longitude


def checked_plain(field, text, limit):
    """A short text on one line: stripped, at most ``limit``, no ``<`` or ``>``, no control
    characters (they would break the XML of Open311 and the mails)."""
    text = " ".join(CONTROL.sub("", text if isinstance(text, str) else "").split())
    if len(text) > limit:
        raise ReportRefused(
            field, _("The text is longer than ${limit} characters.", mapping={"limit": limit})
        )
    if "<" in text or ">" in text:
        raise ReportRefused(field, _("The characters < and > are not allowed."))
    return text


def checked_reporter(name, email, phone):
    """``{"name", "email", "phone"}``, each optional; the e-mail, if any, well-formed."""
    reporter = {
        "name": checked_plain("name", name, MAX_NAME),
        "email": checked_plain("email", email, 254),
        "phone": checked_plain("phone", phone, MAX_PHONE),
    }
    if reporter["email"] and not EMAIL.match(reporter["email"]):
        raise ReportRefused("email", _("Enter an e-mail address such as urzad@miasto.pl."))
    if reporter["phone"] and not PHONE.match(reporter["phone"]):
        raise ReportRefused("phone", _("Enter a phone number: digits, spaces, + and -."))
    return reporter


def checked_photos(photo):
    """``(original, public)`` blobs of ``(filename, bytes)``, or ``(None, None)``."""
    if not photo:
        return None, None
    filename, data = photo
    max_bytes = reports_setting("max_photo_mb") * MB
    try:
        mime, name = checked_photo(data, filename, max_bytes)
        copy, copy_mime, extension = public_copy(data)
    except PhotoRefused as refusal:
        raise ReportRefused("photo", refusal.message) from None
    original = NamedBlobFile(data=data, contentType=mime, filename=name)
    public = NamedBlobImage(data=copy, contentType=copy_mime, filename=f"photo.{extension}")
    return original, public


def district_of(point):
    """The district at ``point`` from the districts map layer, or None (no point, no layer)."""
    if point is None:
        return None
    try:
        from ratusz.gis.layers import district_at
    except ImportError:
        return None
    try:
        found = district_at(*point)
    except Exception:  # a broken layer must not cost the resident their report
        logger.exception("No district for %r", point)
        return None
    if found is None or isinstance(found, str):
        return found or None
    if isinstance(found, dict):
        return found.get("title") or found.get("name") or None
    return getattr(found, "title", None) or getattr(found, "name", None) or str(found)


# --- numbers ------------------------------------------------------------------------------


def report_number(number, year):
    """The number of the ``number``-th report of ``year``.

    >>> report_number(42, 2026)
    'ZG/2026/00042'
    """
    return NUMBER_PATTERN.format(n=number, yyyy=f"{int(year):04d}")


def next_report_number(site, year):
    """Take the next report number of ``year`` (gapless, unique under concurrency).

    >>> next_report_number(portal, 2026)
    'ZG/2026/00001'
    """
    return report_number(next_number(site, ("report", int(year))), year)


def normalized_number(text):
    """A number as typed, trimmed and upper-cased, or "" when it cannot be one.

    >>> normalized_number(" zg/2026/42 ")
    'ZG/2026/42'
    """
    text = "".join((text if isinstance(text, str) else "").split()).upper()[:40]
    return text if NUMBER.match(text) else ""


def id_of(number):
    """The report's id in its board.

    >>> id_of("ZG/2026/00042")
    'zg-2026-00042'
    """
    return number.lower().replace("/", "-")


# --- making it ------------------------------------------------------------------------------


def create_report(
    board,
    category,
    description,
    latitude=None,
    longitude=None,
    address=None,
    photo=None,
    name=None,
    email=None,
    phone=None,
    language=None,
    client=None,
    user_id=None,
    api_key_id=None,
):
    """File a report in ``board``; return ``(report, token)`` or raise ReportRefused.

    ``photo`` is ``(filename, bytes)``; ``client`` the address the rate limit counts;
    ``user_id`` the signed-in resident (kept for staff, never shown); ``api_key_id`` the
    Open311 key it came with (then the key's rate is counted, not the address's). The token is
    the reporter's secret: it is not stored, only its hash.

    >>> report, token = create_report(board, "lighting", "Nie świeci lampa",
    ...                               latitude=51.76, longitude=18.09, client="203.0.113.9")
    >>> report.report_number, token
    ('ZG/2026/00001', 'K7QM-3TZP-W9AD')
    """
    check_rate(client, api_key_id)
    category = checked_category(category)
    description = checked_description(description)
    point = checked_point(latitude, longitude)
    address = checked_plain("address", address, MAX_ADDRESS)
    if point is None and not address:
        raise ReportRefused(
            "latitude", _("Mark the place on the map, give its coordinates or type the address.")
        )
    reporter = checked_reporter(name, email, phone)
    original, public = checked_photos(photo)
    language = language if language in ("pl", "en", "uk") else "pl"
    district = district_of(point)
    token = new_tracking_key()
    # Hashed before the number is taken: the numbering's lock is held from there to the commit.
    salt, token_hash = hash_key(token)
    portal = api.portal.get()
    savepoint = transaction.savepoint()
    try:
        with acting_as_reports_user():
            number = next_report_number(portal, datetime.now().year)
            report = createContentInContainer(
                board,
                "CitizenReport",
                checkConstraints=False,
                id=id_of(number),
                title=f"{number}: {category_title(category, language)}",
                report_category=category,
                description=description,
                geolocation=Geolocation(*point) if point else None,
                address=address or None,
                photo=public,
                photo_original=original,
                district=district,
                reporter_name=reporter["name"] or None,
                reporter_email=reporter["email"] or None,
                reporter_phone=reporter["phone"] or None,
                exclude_from_nav=True,
            )
            report.report_number = number
            report.language = language
            report.token_salt = salt
            report.token_hash = token_hash
            report.reporter_user = user_id or None
            # The point the district was found for: moving the point finds it again.
            report.district_source = (point, district)
            # Never a person: the byline and the history would name the resident or the
            # first clerk who touched it.
            report.creators = (REPORTS_USER_ID,)
            report.reindexObject()
    except InputError as problem:
        savepoint.rollback()
        logger.warning("Report refused while being made: %s", problem.message)
        raise ReportRefused(problem.field, problem.message)
    if reporter["email"]:
        from ratusz.gis.reports.mails import send_receipt

        send_receipt(report, token)
    return report, token
