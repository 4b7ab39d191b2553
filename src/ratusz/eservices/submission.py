"""A form submission becomes an incoming item and a case, with a receipt — or nothing at all.

Everything is checked before anything is made: the action's settings (with the
service card's defaults), the applicant's name and e-mail, the uploaded files
(format by content, size). Then, as the e-service user, in one savepoint:

1. an incoming item (channel: e-service) is registered and assigned to the
   department (and to the card's clerk, if the card names one);
2. a case is opened from it with the card's JRWA class and kind (deadline,
   workflow), the applicant as the party;
3. the submitted data (as UTF-8 text) and each uploaded file become documents of the case;
4. the tracking key's hash, the digest and the applicant's language and e-mail
   are kept on the case.

Any refusal on the way rolls the savepoint back, so a refused submission leaves
nothing behind; an unexpected error fails the whole request (Zope aborts the
transaction). The receipt mail joins the same transaction: it is sent only if
the case is stored.
"""

import logging
from contextlib import contextmanager
from datetime import datetime

import transaction
from AccessControl.users import UnrestrictedUser
from collective.easyform.api import is_file_data
from persistent.mapping import PersistentMapping
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

from ratusz.cases.assignment import assign_to_clerk
from ratusz.cases.assignment import assign_to_department
from ratusz.cases.case import create_case
from ratusz.cases.case import is_final_class
from ratusz.cases.case import link_incoming
from ratusz.cases.case import log
from ratusz.cases.kinds import kind_info
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import people_of
from ratusz.cases.structure import CASES_ID
from ratusz.cases.structure import INCOMING_ID
from ratusz.cases.structure import INTRANET_ID
from ratusz.eservices.card import card_of
from ratusz.eservices.privacy import HONEYPOT_FIELD
from ratusz.eservices.receipt import file_digests
from ratusz.eservices.receipt import hash_key
from ratusz.eservices.receipt import new_tracking_key
from ratusz.eservices.receipt import submission_digest
from ratusz.eservices.settings import eservices_setting
from ratusz.eservices.settings import upload_limits
from ratusz.eservices.tracking import Throttle
from ratusz.eservices.uploads import UploadRefused
from ratusz.eservices.uploads import base_name
from ratusz.eservices.uploads import check_uploads
from ratusz.i18n import _
from ratusz.validators import EMAIL
from ratusz.validators import InputError

logger = logging.getLogger("ratusz.eservices")

ESERVICE_USER_ID = "(ratusz-e-services)"
RECEIPT_KEY = "ratusz.eservices.receipt"
MAX_NAME = 300
MAX_ADDRESS = 1000
SUBMISSIONS = Throttle()


class SubmissionRefused(InputError):
    """A submission that cannot be registered (``field``: the form field to mark, or None)."""


class TooManySubmissions(SubmissionRefused):
    """Refused by the rate limit: the REST API answers 429 rather than 400."""


@contextmanager
def acting_as_eservice_user(portal):
    """Run the block as the e-service user: residents file forms without any right on the
    intranet, so the registration itself is made by this user, named in the record."""
    user = UnrestrictedUser(ESERVICE_USER_ID, "", ["Manager"], []).__of__(portal.acl_users)
    with api.env.adopt_user(user=user):
        yield


# --- what the submission will be --------------------------------------------------------


def handling_of(form, action):
    """``{"department", "jrwa", "kind", "clerk"}`` for the form's cases: the action's
    settings, else the service card's; raise SubmissionRefused if they make no case.

    >>> handling_of(form, action)
    {'department': 'SO', 'jrwa': '5340', 'kind': 'general', 'clerk': None}
    """
    card = card_of(form)

    def pick(name, card_name=None):
        value = getattr(action, name, None)
        if not value and card is not None:
            value = getattr(card, card_name or name, None)
        return value

    handling = {
        "department": pick("department"),
        "jrwa": pick("jrwa"),
        "kind": pick("case_kind"),
        "clerk": getattr(card, "clerk", None) if card is not None else None,
    }
    department = department_by_symbol(handling["department"] or "")
    try:
        ok = department is not None and is_final_class(handling["jrwa"])
    except Exception:
        ok = False
    if not ok or kind_info(handling["kind"] or "") is None:
        # The editor's mistake, not the resident's: said plainly, logged for the office.
        logger.error("E-service form %s has no valid case settings: %r", form, handling)
        raise SubmissionRefused(
            None,
            _(
                "This form cannot be filed online at the moment. Please contact the office; "
                "nothing has been sent."
            ),
        )
    if handling["clerk"] and handling["clerk"] not in people_of(department):
        handling["clerk"] = None
    return handling


def applicant_of(action, data):
    """``{"name", "email", "address"}`` from the fields the action names.

    >>> applicant_of(action, {"applicant_name": "Jan Kowalski", "applicant_email": "j@x.pl"})
    {'name': 'Jan Kowalski', 'email': 'j@x.pl', 'address': ''}
    """

    def text(field_name, limit):
        value = data.get(field_name or "", "") or ""
        return " ".join(str(value).split())[:limit]

    applicant = {
        "name": text(action.name_field, MAX_NAME),
        "email": text(action.email_field, 254),
        "address": text(action.address_field, MAX_ADDRESS),
    }
    if not applicant["name"]:
        raise SubmissionRefused(action.name_field or None, _("Give your name."))
    for key, field_name in (("name", action.name_field), ("address", action.address_field)):
        # The name and address enter the registers, which take no markup.
        if "<" in applicant[key] or ">" in applicant[key]:
            raise SubmissionRefused(
                field_name or None, _("The characters < and > are not allowed.")
            )
    if not EMAIL.match(applicant["email"]):
        raise SubmissionRefused(
            action.email_field or None, _("Give an e-mail address: the receipt is sent to it.")
        )
    return applicant


def split_files(fields):
    """``(data, files)``: the plain fields, and ``{field: (filename, bytes)}`` of the uploads."""
    data, files = {}, {}
    for name, value in fields.items():
        if is_file_data(value):
            # Old browsers send the whole path (C:\fakepath\x.pdf): the name is its last part.
            files[name] = (base_name(value.filename or "") or name, value.data)
        elif value is not None:
            data[name] = value
    return data, files


def checked_files(files):
    """The uploads, each checked by content and size (E5); raise SubmissionRefused."""
    max_file, max_total = upload_limits()
    try:
        types = check_uploads(list(files.values()), max_file, max_total)
    except UploadRefused as refusal:
        field = next(
            (name for name, (filename, _body) in files.items() if refusal.filename == filename),
            None,
        )
        raise SubmissionRefused(field, refusal.message)
    return dict(zip(files, types, strict=True))


def check_rate(request):
    """Refuse a client that has filed ``submissions_per_hour`` submissions within the hour.

    Counted in memory per Zope process, like the tracking throttle (see tracking.py).
    """
    client = ("submission", request.getClientAddr() or "?")
    limit = eservices_setting("submissions_per_hour")
    wait = SUBMISSIONS.blocked_for([client], limit)
    if wait:
        raise TooManySubmissions(
            None,
            _(
                "Too many submissions from your address. Try again in ${minutes} minutes; "
                "nothing has been sent.",
                mapping={"minutes": max(1, int(wait // 60) + 1)},
            ),
        )
    SUBMISSIONS.record([client])  # every try counts: a flood is a flood


# --- making it ----------------------------------------------------------------------------


def register_submission(form, action, fields, request):
    """Register a submission of ``form``; return the receipt (also kept for the thank-you page).

    >>> register_submission(form, action, {"applicant_name": "Jan", ...}, request)["sign"]
    'SO.5340.1.2026'
    """
    check_rate(request)
    if " ".join(str(fields.get(HONEYPOT_FIELD) or "").split()):
        logger.info("E-service submission with the honeypot filled: refused.")
        raise SubmissionRefused(None, _("The form could not be sent. Please try again."))
    fields = {name: value for name, value in fields.items() if name != HONEYPOT_FIELD}
    data, files = split_files(fields)
    handling = handling_of(form, action)
    applicant = applicant_of(action, data)
    mime_types = checked_files(files)
    portal = api.portal.get()
    received = datetime.now().replace(microsecond=0)
    key = new_tracking_key()
    # Hashed before the first number is taken: the numbering's lock is held from
    # there to the commit, and PBKDF2 (which lets other threads run) needs no lock.
    salt, key_hash = hash_key(key)
    digest = submission_digest(data, files)
    card = card_of(form)
    title = (card or form).Title()
    owner = _owner()
    savepoint = transaction.savepoint()
    try:
        with acting_as_eservice_user(portal):
            item = _register_item(portal, title, applicant, received, len(files), handling)
            case = _open_case(portal, item, title, applicant, received, handling)
            log(case, _("Filed online through the e-service"), document=item.number)
            _add_documents(case, form, data, files, mime_types, received, digest)
            case.eservice = PersistentMapping(
                card=api.content.get_uuid(card) if card is not None else None,
                form=api.content.get_uuid(form),
                language=_language(request),
                email=applicant["email"],
                key_salt=salt,
                key_hash=key_hash,
                digest=digest,
                received=received,
                item=item.number,
                owner=owner,
                service=title,
                issued=datetime.now().replace(microsecond=0),
                files=file_digests(files),
            )
            case.reindexObject()
    except InputError as problem:
        savepoint.rollback()
        logger.warning("E-service submission refused while registering: %s", problem.message)
        raise SubmissionRefused(None, problem.message)
    receipt = receipt_of(case, key, status_url(request))
    IAnnotations(request)[RECEIPT_KEY] = receipt
    from ratusz.eservices.mails import send_receipt

    send_receipt(receipt)
    return receipt


def receipt_of(case, key, status_page):
    """The receipt of ``case`` for the holder of ``key``, from what the case keeps: the
    page, the mail and the PDF (made again on request: the key is not stored).

    >>> receipt_of(case, "K7QM-3TZP-W9AD", url)["sign"]
    'OR.0020.1.2026'
    """
    record = case.eservice
    return {
        "office": office_name(),
        "service": record.get("service") or case.title,
        "sign": case.sign,
        "number": record.get("item"),
        "received": record["received"],
        "issued": record.get("issued") or record["received"],
        "deadline": case.deadline,
        "key": key,
        "digest": record["digest"],
        "files": [tuple(entry) for entry in record.get("files") or ()],
        "email": record.get("email"),
        "language": record.get("language") or "pl",
        "status_url": status_page,
    }


def _owner():
    """The signed-in resident filing the form (their "My cases"), or None for anonymous."""
    if api.user.is_anonymous():
        return None
    return api.user.get_current().getId()


def _register_item(portal, title, applicant, received, attachments, handling):
    from ratusz.cases.incoming import create_incoming_item

    register = portal[INTRANET_ID][INCOMING_ID]
    item = create_incoming_item(
        register,
        title=title,
        sender=applicant["name"],
        sender_address=applicant["address"] or None,
        channel="eservice",
        received=received,
        attachments_count=attachments,
    )
    assign_to_department(item, handling["department"])
    if handling["clerk"]:
        assign_to_clerk(item, handling["clerk"])
    return item


def _open_case(portal, item, title, applicant, received, handling):
    parties = [", ".join(part for part in (applicant["name"], applicant["address"]) if part)]
    case = create_case(
        portal[INTRANET_ID][CASES_ID],
        title=title,
        department=handling["department"],
        jrwa=handling["jrwa"],
        kind=handling["kind"],
        parties=parties,
        start_date=received.date(),
        clerk=handling["clerk"],
    )
    if not handling["clerk"]:
        # No clerk yet: the department (its heads) picks one up from "My department".
        case.clerk = None
        from ratusz.cases.case import apply_local_roles

        apply_local_roles(case)
    link_incoming(case, item)
    return case


def _add_documents(case, form, data, files, mime_types, received, digest):
    lines = [form.Title(), f"{received:%Y-%m-%d %H:%M}", f"SHA-256: {digest}", ""]
    lines += [f"{_label(form, name)}: {_text(value)}" for name, value in data.items()]
    # Plain UTF-8 text (an E5 format): what the resident wrote, as they wrote it,
    # readable anywhere and cheap to make while the case number is reserved.
    application = createContentInContainer(
        case,
        "File",
        title=f"{form.Title()} ({received:%Y-%m-%d %H:%M})",
        file=NamedBlobFile(
            ("\r\n".join(lines) + "\r\n").encode("utf-8"),
            contentType="text/plain",
            filename="wniosek.txt",
        ),
    )
    application.eservice_document = True  # personal data: anonymised after retention
    for name, (filename, body) in files.items():
        attachment = createContentInContainer(
            case,
            "File",
            title=filename,
            file=NamedBlobFile(body, contentType=mime_types[name], filename=filename),
        )
        attachment.eservice_document = True


def _label(form, name):
    from collective.easyform.api import get_schema

    field = get_schema(form).get(name)
    return str(field.title) if field is not None else name


def _text(value):
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "✓" if value else "—"
    return str(getattr(value, "raw", value))


def _language(request):
    language = (getattr(request, "get", lambda *a: None)("LANGUAGE") or "pl")[:2]
    return language if language in ("pl", "en", "uk") else "pl"


def office_name():
    """The office's name for receipts and mails (City settings, else the site title)."""
    from ratusz.site.settings import get_city_settings

    settings = get_city_settings()
    return getattr(settings, "office_name", None) or api.portal.get().Title()


def status_page_url(language):
    """The tracking page of ``language`` (``…/pl/status-sprawy``)."""
    from ratusz.eservices.structure import STATUS_IDS

    page = STATUS_IDS.get(language, STATUS_IDS["pl"])
    return (
        f"{api.portal.get().absolute_url()}/{language if language in STATUS_IDS else 'pl'}/{page}"
    )


def status_url(request):
    """Where the resident follows the case: the tracking page of the form's language."""
    return status_page_url(_language(request))
