"""REST services of citizen reports: file one, follow one, mark a duplicate.

``POST <board>/@report-problem`` files a report through ``create_report``,
exactly as the form does (the same checks, the same refusals); anyone may
call it. ``GET <board>/@report-status?number=…&token=…`` answers the public
status for the holder of the token. ``POST <report>/@report-duplicate``
(staff) marks a report as a duplicate of an original.

A plain ``POST <board>`` with ``@type: CitizenReport`` is refused to everyone
but Managers (the type's add permission): reports are made only through
``create_report``.
"""

import base64
import binascii

from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides

from ratusz.gis.reports.categories import current_language
from ratusz.gis.reports.create import ReportRefused
from ratusz.gis.reports.create import TooManyReports
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.photos import PhotoRefused
from ratusz.gis.reports.settings import reports_setting
from ratusz.gis.reports.tracking import StatusRefused
from ratusz.gis.reports.tracking import public_status
from ratusz.gis.reports.tracking import status_url
from ratusz.gis.reports.tracking import verified_report
from ratusz.gis.reports.workflow import DuplicateRefused
from ratusz.gis.reports.workflow import mark_duplicate
from ratusz.gis.reports.workflow import why_not_duplicate
from ratusz.i18n import _

FIELDS = ("category", "description", "latitude", "longitude", "address")
FIELDS += ("name", "email", "phone", "photo")


def _client(request):
    return request.getClientAddr() or "?"


class _JSONService(Service):
    def error(self, status, field, message, kind="BadRequest"):
        self.request.response.setStatus(status)
        return {
            "error": {
                "type": kind,
                "field": field,
                "message": translate(message, context=self.request),
            }
        }


def photo_of(value):
    """``(filename, bytes)`` of ``{"data": base64, "filename": …}`` (plone.restapi's file
    form), or None; raises PhotoRefused before decoding a body that is too large."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("data"), str):
        raise PhotoRefused(_('Send the photo as {"data": base64, "filename": …}.'))
    data = value["data"]
    max_bytes = reports_setting("max_photo_mb") * 1024 * 1024
    if len(data) > (max_bytes + 2) * 4 // 3 + 4:
        raise PhotoRefused(
            _(
                "The photo is larger than ${max} MB. Send a smaller one (phones can share a "
                "reduced copy).",
                mapping={"max": reports_setting("max_photo_mb")},
            )
        )
    try:
        body = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise PhotoRefused(_("The photo must be a JPEG, PNG or WebP image.")) from None
    filename = value.get("filename") if isinstance(value.get("filename"), str) else "photo"
    return filename, body


class ReportProblemPost(_JSONService):
    """``POST <board>/@report-problem``: file a report; 201 with its number and token."""

    def reply(self):
        if not (self.request.getHeader("Content-Type") or "").startswith("application/json"):
            # A form on another site cannot send JSON without the browser asking first.
            return self.error(415, None, _("Send the report as application/json."))
        try:
            body = json_body(self.request)
        except Exception:
            return self.error(400, None, _("The request body is not valid JSON."))
        if not isinstance(body, dict):
            return self.error(400, None, _("The request body is not valid JSON."))
        unknown = sorted(set(body) - set(FIELDS))
        if unknown:
            return self.error(
                400,
                unknown[0],
                _("Unknown fields: ${names}.", mapping={"names": ", ".join(unknown)[:200]}),
            )
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            photo = photo_of(body.get("photo"))
        except PhotoRefused as refusal:
            return self.error(400, "photo", refusal.message)
        try:
            report, token = create_report(
                self.context,
                category=body.get("category"),
                description=body.get("description"),
                latitude=body.get("latitude"),
                longitude=body.get("longitude"),
                address=body.get("address"),
                photo=photo,
                name=body.get("name"),
                email=body.get("email"),
                phone=body.get("phone"),
                language=current_language(self.request),
                client=_client(self.request),
                user_id=None if api.user.is_anonymous() else api.user.get_current().getId(),
            )
        except TooManyReports as refusal:
            return self.error(429, None, refusal.message, "TooManyRequests")
        except ReportRefused as refusal:
            return self.error(400, refusal.field, refusal.message)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Cache-Control", "no-store")
        status = public_status(report)
        return {
            "number": status["number"],
            "token": token,
            "status_url": status_url(report, token),
            "state": status["state"],
            "state_title": status["state_title"],
            "category": status["category"],
        }


class ReportStatusGet(_JSONService):
    """``GET <board>/@report-status?number=…&token=…``: the public status of a report."""

    def reply(self):
        form = self.request.form
        number = form.get("number") if isinstance(form.get("number"), str) else ""
        token = form.get("token") if isinstance(form.get("token"), str) else ""
        self.request.response.setHeader("Cache-Control", "no-store")
        try:
            report = verified_report(number, token, _client(self.request))
        except StatusRefused as refusal:
            return self.error(404, None, refusal.message, "NotFound")
        status = public_status(report, current_language(self.request))
        status["created"] = status["created"].isoformat() if status["created"] else None
        for step in status["history"]:
            step["at"] = step["at"].isoformat() if step["at"] else None
        return status


class ReportDuplicatePost(_JSONService):
    """``POST <report>/@report-duplicate`` ``{"original": number or link, "comment": …}``."""

    def reply(self):
        if not (self.request.getHeader("Content-Type") or "").startswith("application/json"):
            return self.error(415, None, _("Send the request as application/json."))
        # As plone.restapi's own write services: JSON cannot be sent by another site's form.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            body = json_body(self.request)
        except Exception:
            body = None
        if not isinstance(body, dict):
            return self.error(400, None, _("The request body is not valid JSON."))
        refusal = why_not_duplicate(self.context)
        if refusal is not None:
            return self.error(400, None, refusal)
        comment = body.get("comment") if isinstance(body.get("comment"), str) else ""
        try:
            original = mark_duplicate(self.context, body.get("original"), comment[:2000])
        except DuplicateRefused as refusal:
            return self.error(400, refusal.field, refusal.message)
        return {"state": "duplicate", "duplicate_of": original.report_number}
