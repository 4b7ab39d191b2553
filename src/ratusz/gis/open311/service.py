"""``/Plone/open311/v2/…``: the GeoReport v2 endpoints, one method each.

The view ``open311`` on the site root collects the rest of the path and
answers it: ``discovery``, ``services``, ``services/{code}``, ``requests``
(GET, and POST with an API key), ``requests/{id}`` and ``tokens/{token}``,
each with ``.json`` or ``.xml``. Every refusal is the spec's list of errors
(``[{"code": 400, "description": …}]``) in the format asked for, its
description translated. GET answers carry ``Access-Control-Allow-Origin: *``:
the data are public and meant for other sites' applications.
"""

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from zoneinfo import ZoneInfo

from DateTime import DateTime
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five import BrowserView
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from ratusz.gis.open311.formats import rendered
from ratusz.gis.open311.keys import active_key
from ratusz.gis.open311.keys import record_use
from ratusz.gis.open311.mapping import STATUSES
from ratusz.gis.open311.mapping import agency
from ratusz.gis.open311.mapping import category_named
from ratusz.gis.open311.mapping import category_titles
from ratusz.gis.open311.mapping import language_of
from ratusz.gis.open311.mapping import public_states_with
from ratusz.gis.open311.mapping import request_of
from ratusz.gis.open311.mapping import service_of
from ratusz.gis.open311.mapping import services
from ratusz.gis.open311.tokens import TokenRefused
from ratusz.gis.open311.tokens import TooManyGuesses
from ratusz.gis.open311.tokens import remember_token
from ratusz.gis.open311.tokens import report_with_token
from ratusz.gis.reports.content import PUBLIC_STATES
from ratusz.gis.reports.create import NUMBER
from ratusz.gis.reports.create import ReportRefused
from ratusz.gis.reports.create import TooManyReports
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.structure import board_of
from ratusz.i18n import _

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00Z"  # when this endpoint last changed its documents
MAX_REQUESTS = 1000
MAX_IDS = 100
DEFAULT_DAYS = 90
MAX_IDENTIFIER = 100
# ``create_report``'s fields under their GeoReport v2 names (for the errors).
PARAMETER_OF = {
    "category": "service_code",
    "description": "description",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "name": "first_name",
    "email": "email",
    "phone": "phone",
    "photo": "media_url",
}


class Open311Error(Exception):
    """A refusal: ``status`` (400, 403, 404, 405, 429) and a translatable ``message``."""

    def __init__(self, status, message, parameter=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def _one(form, name):
    """A parameter as text ("" when missing); a repeated one joined with commas, as the spec
    allows (``status=open&status=closed``)."""
    value = form.get(name)
    if isinstance(value, (list, tuple)):
        value = ",".join(item for item in value if isinstance(item, str))
    return value.strip() if isinstance(value, str) else ""


def _listed(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def padded_number(text):
    """A report number as given in a URL or filter (``ZG/2026/42``, ``zg-2026-00042``),
    padded as stored, or "".

    >>> padded_number("zg-2026-42")
    'ZG/2026/00042'
    """
    text = (text if isinstance(text, str) else "").strip().upper()[:40]
    if text.startswith("ZG-"):
        text = text.replace("-", "/")
    match = NUMBER.match(text)
    return f"ZG/{match.group(1)}/{int(match.group(2)):05d}" if match else ""


def local_zone():
    name = api.portal.get_registry_record("plone.portal_timezone", default=None)
    try:
        return ZoneInfo(name or "Europe/Warsaw")
    except Exception:  # a wrong name in the registry: the office is in Poland
        return ZoneInfo("Europe/Warsaw")


def parsed_date(text, parameter):
    """A W3C date-time (``2026-12-01T08:00:00+01:00``, ``…Z``, or a date alone) as an aware
    datetime; without a zone it is the office's local time. Raises Open311Error (400).

    >>> parsed_date("2026-12-01T08:00:00Z", "start_date").isoformat()
    '2026-12-01T08:00:00+00:00'
    """
    try:
        found = datetime.fromisoformat(text)
        if not 1900 <= found.year <= 2200:  # far dates overflow the 90 days' arithmetic
            raise ValueError(text)
    except ValueError:
        raise Open311Error(
            400,
            _(
                "Give the date in the W3C format, e.g. 2026-12-01T08:00:00+01:00.",
            ),
            parameter,
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=local_zone())


def date_range(start_text, end_text, now=None):
    """``(start, end)`` of a listing: the last 90 days by default, at most 90 days long.

    >>> date_range("2026-01-01", "")[1] - date_range("2026-01-01", "")[0]
    datetime.timedelta(days=90)
    """
    now = now or datetime.now(timezone.utc)
    span = timedelta(days=DEFAULT_DAYS)
    start = parsed_date(start_text, "start_date") if start_text else None
    end = parsed_date(end_text, "end_date") if end_text else None
    if start is None and end is None:
        return now - span, now
    if start is None:
        return end - span, end
    if end is None:
        return start, min(start + span, max(now, start))
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."), "end_date")
    if end - start > span:
        raise Open311Error(
            400,
            _(
                "start_date and end_date may be at most ${days} days apart.",
                mapping={"days": DEFAULT_DAYS},
            ),
            "end_date",
        )
    return start, end


def _zope_date(value):
    return DateTime(value.astimezone(timezone.utc).isoformat())


def checked_identifier(form, name):
    """``device_id`` or ``account_id``: optional text on one line, at most 100 characters."""
    text = _one(form, name)
    if len(text) > MAX_IDENTIFIER or any(ord(ch) < 32 or ch in "<>" for ch in text):
        raise Open311Error(
            400,
            _(
                "At most ${limit} characters on one line, without < and >.",
                mapping={"limit": MAX_IDENTIFIER},
            ),
            name,
        )
    return text


@implementer(IPublishTraverse)
class Open311API(BrowserView):
    """``/Plone/open311/v2/<endpoint>.<format>``."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.path = []
        self.format = None

    def publishTraverse(self, request, name):
        self.path.append(name)
        return self

    # --- answering ----------------------------------------------------------------------

    def __call__(self):
        self.language = language_of(self.request)
        path = list(self.path)
        if path and "." in path[-1]:
            stem, extension = path[-1].rsplit(".", 1)
            path[-1] = stem
            self.format = extension.lower() if extension.lower() in ("json", "xml") else None
            if self.format is None:
                self.format = self._negotiated()
                return self._error(
                    Open311Error(
                        400,
                        _(
                            "The format is json or xml: add .json or .xml to the path.",
                        ),
                    )
                )
        try:
            return self._route(path)
        except Open311Error as error:
            return self._error(error)

    def _negotiated(self):
        accept = self.request.getHeader("Accept") or ""
        return "xml" if "xml" in accept and "json" not in accept else "json"

    def _route(self, path):
        method = self.request.get("REQUEST_METHOD", "GET").upper()
        if not path or path[0] != "v2" or len(path) < 2:
            raise Open311Error(404, _("No such endpoint."))
        if self.format is None:
            self.format = self._negotiated()
            raise Open311Error(
                400,
                _(
                    "The format is json or xml: add .json or .xml to the path.",
                ),
            )
        endpoint, rest = path[1], path[2:]
        if endpoint == "requests" and not rest and method == "POST":
            return self.post_request()
        if method not in ("GET", "HEAD"):
            raise Open311Error(405, _("This endpoint answers GET only."))
        if endpoint == "discovery" and not rest:
            return self.discovery()
        if endpoint == "services" and not rest:
            return self.services()
        if endpoint == "services" and len(rest) == 1:
            return self.service_definition(rest[0])
        if endpoint == "requests" and not rest:
            return self.requests()
        if endpoint == "requests":
            return self.one_request("/".join(rest))
        if endpoint == "tokens" and len(rest) == 1:
            return self.token(rest[0])
        raise Open311Error(404, _("No such endpoint."))

    def _answer(self, data, root, item=None, status=200, public=True):
        body, content_type = rendered(data, self.format, root, item)
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", content_type)
        response.setHeader("Content-Language", self.language)
        if public and self.request.get("REQUEST_METHOD", "GET").upper() in ("GET", "HEAD"):
            response.setHeader("Access-Control-Allow-Origin", "*")
        else:
            response.setHeader("Cache-Control", "no-store")
        return body

    def _error(self, error):
        description = translate(error.message, target_language=self.language)
        if error.parameter:
            description = f"{error.parameter}: {description}"
        return self._answer(
            [{"code": error.status, "description": description}],
            "errors",
            "error",
            status=error.status,
            public=error.status != 403,
        )

    # --- the endpoints ------------------------------------------------------------------

    def discovery(self):
        portal_url = api.portal.get().absolute_url()
        email = api.portal.get_registry_record("plone.email_from_address", default="") or ""
        office = agency() or ""
        if email:
            contact = _("${office}, e-mail: ${email}", mapping={"office": office, "email": email})
            key_service = _(
                "API keys for filing reports are issued by the office's site administrators: "
                "write to ${email}.",
                mapping={"email": email},
            )
        else:
            contact = office
            key_service = _(
                "API keys for filing reports are issued by the office's site administrators."
            )
        contact = translate(contact, target_language=self.language)
        key_service = translate(key_service, target_language=self.language)
        return self._answer(
            {
                "changeset": CHANGESET,
                "contact": contact,
                "key_service": key_service,
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": f"{portal_url}/open311/v2",
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
            "discovery",
        )

    def services(self):
        return self._answer(services(self.language), "services", "service")

    def service_definition(self, code):
        if category_named(code) is None:
            raise Open311Error(404, _("No service has this service_code."))
        return self._answer(
            {
                "service_code": service_of(category_named(code), self.language)["service_code"],
                "attributes": [],
            },
            "service_definition",
        )

    def _listing(self, **query):
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog.searchResults(
            portal_type="CitizenReport",
            sort_on="created",
            sort_order="descending",
            sort_limit=MAX_REQUESTS,
            **query,
        )[:MAX_REQUESTS]
        titles = category_titles(self.language)
        office = agency()
        return [request_of(brain, self.language, office, titles) for brain in brains]

    def requests(self):
        form = self.request.form
        ids = _listed(_one(form, "service_request_id"))
        if ids:
            # The spec: with service_request_id, every other parameter is ignored.
            numbers = [number for number in map(padded_number, ids[:MAX_IDS]) if number]
            found = (
                self._listing(report_number=numbers, review_state=PUBLIC_STATES) if numbers else []
            )
            return self._answer(found, "service_requests", "request")
        query = {"review_state": list(PUBLIC_STATES)}
        statuses = [status.lower() for status in _listed(_one(form, "status"))]
        if any(status not in STATUSES for status in statuses):
            raise Open311Error(400, _("The status is open or closed."), "status")
        if statuses:
            query["review_state"] = public_states_with(statuses)
        codes = _listed(_one(form, "service_code"))
        if codes:
            query["geo_category"] = codes
        start, end = date_range(_one(form, "start_date"), _one(form, "end_date"))
        query["created"] = {"query": (_zope_date(start), _zope_date(end)), "range": "min:max"}
        return self._answer(self._listing(**query), "service_requests", "request")

    def one_request(self, text):
        number = padded_number(text)
        found = self._listing(report_number=number, review_state=PUBLIC_STATES) if number else []
        if not found:
            raise Open311Error(
                404,
                _(
                    "No public request has this service_request_id.",
                ),
            )
        return self._answer(found, "service_requests", "request")

    def token(self, token):
        try:
            report = report_with_token(token, self.request.getClientAddr())
        except TooManyGuesses as refusal:
            raise Open311Error(429, refusal.message) from None
        except TokenRefused as refusal:
            raise Open311Error(404, refusal.message) from None
        return self._answer(
            [{"service_request_id": report.report_number, "token": token}],
            "service_requests",
            "request",
            public=False,
        )

    def post_request(self):
        form = self.request.form
        key = active_key(_one(form, "api_key"))
        if key is None:
            raise Open311Error(
                403,
                _(
                    "A valid api_key is needed to file a request: this one is missing, "
                    "wrong or revoked.",
                ),
                "api_key",
            )
        device_id = checked_identifier(form, "device_id")
        account_id = checked_identifier(form, "account_id")
        address = _one(form, "address_string")
        has_point = _one(form, "lat") or _one(form, "long")
        if _one(form, "address_id") and not (address or has_point):
            raise Open311Error(
                400,
                _(
                    "This office has no address ids: give lat and long or address_string.",
                ),
                "address_id",
            )
        board = board_of(self.language)
        if board is None:
            raise Open311Error(404, _("This site takes no reports now."))
        alsoProvides(self.request, IDisableCSRFProtection)
        name = " ".join(
            part for part in (_one(form, "first_name"), _one(form, "last_name")) if part
        )
        try:
            report, token = create_report(
                board,
                category=_one(form, "service_code"),
                description=_one(form, "description"),
                latitude=_one(form, "lat") or None,
                longitude=_one(form, "long") or None,
                address=address,
                name=name,
                email=_one(form, "email"),
                phone=_one(form, "phone"),
                language=self.language,
                client=self.request.getClientAddr() or "?",
                user_id=None,
                api_key_id=key["id"],
            )
        except TooManyReports as refusal:
            raise Open311Error(429, refusal.message) from None
        except ReportRefused as refusal:
            raise Open311Error(
                400, refusal.message, PARAMETER_OF.get(refusal.field, refusal.field)
            ) from None
        # Where it came from, for staff (attributes: no form or REST shows or changes them).
        report.open311_key = key["id"]
        report.open311_device_id = device_id or None
        report.open311_account_id = account_id or None
        remember_token(token, report.report_number)
        record_use(key["id"])
        notice = _(
            "The office checks each report before it is public; until then follow it "
            "with the token.",
        )
        if _one(form, "media_url"):
            notice = _(
                "The office checks each report before it is public; until then follow "
                "it with the token. The photo at media_url was not fetched: photos are sent "
                "through the office's own form.",
            )
        return self._answer(
            [
                {
                    "service_request_id": report.report_number,
                    "token": token,
                    "service_notice": translate(notice, target_language=self.language),
                    "account_id": account_id or None,
                }
            ],
            "service_requests",
            "request",
            public=False,
        )
