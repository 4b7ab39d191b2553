"""Pages of the incoming register: the register, an item, its receipt, assigning, sending back."""

from datetime import date
from datetime import datetime

from AccessControl import Unauthorized
from plone import api
from plone.batching import Batch
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.cases.assignment import AssignmentError
from ratusz.cases.assignment import assign_to_clerk
from ratusz.cases.assignment import assign_to_department
from ratusz.cases.assignment import copies
from ratusz.cases.assignment import history
from ratusz.cases.assignment import refuse
from ratusz.cases.incoming import CHANNELS
from ratusz.cases.incoming import NO_DATA
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import departments
from ratusz.cases.organisation import people_of
from ratusz.cases.organisation_views import person
from ratusz.dates import display_date
from ratusz.dates import iso_date
from ratusz.files import child_files
from ratusz.i18n import _
from ratusz.i18n import translator
from ratusz.site.settings import city_settings_for_display

PAGE_SIZE = 100
STATE_TITLES = {
    "registered": _("Registered"),
    "assigned": _("Assigned to a department"),
    "assigned_clerk": _("Assigned to a clerk"),
}
CHANNEL_TITLES = dict(CHANNELS)


def _date_or_none(text):
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _moment(iso_text, with_time=True):
    """``{"iso", "text"}`` of an ISO date(time) string kept in the catalog metadata."""
    if not iso_text:
        return None
    value = datetime.fromisoformat(iso_text) if "T" in iso_text else date.fromisoformat(iso_text)
    return {"iso": iso_date(value, with_time), "text": display_date(value, with_time)}


def department_label(symbol):
    department = department_by_symbol(symbol) if symbol else None
    return f"{department.symbol} — {department.title}" if department is not None else symbol


class IncomingRegisterView(BrowserView):
    """The register of a day (``?day=2026-11-23``, today by default) or month (``?month=2026-11``).

    Rows come from the catalog metadata ``incoming_summary``; the page prints
    as the register (K3): no., received, sender, date and sign of the letter,
    subject, assigned to, attachments, remarks — "brak danych" where unknown.
    """

    index = ViewPageTemplateFile("templates/incoming_register.pt")
    error = None

    def __call__(self):
        self.tr = translator(self.request)
        self.period = self._period()
        return self.index()

    def _period(self):
        form = self.request.form
        month = (form.get("month") or "").strip()
        if month:
            try:
                first = date.fromisoformat(f"{month}-01")
            except ValueError:
                self.error = _("Enter the month as YYYY-MM, e.g. 2026-11.")
            else:
                following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
                return {"kind": "month", "start": first, "end": following, "value": month}
        day_text = (form.get("day") or "").strip()
        day = _date_or_none(day_text) if day_text else date.today()
        if day is None:
            self.error = _("Enter the day as YYYY-MM-DD, e.g. 2026-11-23.")
            day = date.today()
        following = date.fromordinal(day.toordinal() + 1)
        return {"kind": "day", "start": day, "end": following, "value": day.isoformat()}

    def heading(self):
        start = self.period["start"]
        if self.period["kind"] == "month":
            return self.tr(
                _("Incoming register, ${month}", mapping={"month": start.strftime("%m.%Y")})
            )
        return self.tr(_("Incoming register, ${day}", mapping={"day": display_date(start) or ""}))

    def brains(self):
        catalog = api.portal.get_tool("portal_catalog")
        start, end = self.period["start"], self.period["end"]
        return catalog(
            portal_type="IncomingItem",
            path="/".join(self.context.getPhysicalPath()),
            incoming_received={
                "query": (
                    datetime(start.year, start.month, start.day),
                    datetime(end.year, end.month, end.day),
                ),
                "range": "min:max",
            },
            sort_on="incoming_received",
        )

    def printing(self):
        return bool(self.request.form.get("print"))

    def batch(self):
        brains = self.brains()
        size = len(brains) or 1 if self.printing() else PAGE_SIZE
        start = self.request.form.get("b_start", 0)
        try:
            start = max(0, int(start))
        except (TypeError, ValueError):
            start = 0
        return Batch(brains, size, start)

    def rows(self, batch):
        no_data = self.tr(NO_DATA)
        # Looked up once for the page, not once a row: a month has thousands of rows.
        labels = {d.symbol: f"{d.symbol} — {d.title}" for d in departments()}
        names = {}
        rows = []
        for brain in batch:
            data = brain.incoming_summary or {}
            letter = " ".join(
                part
                for part in (
                    (_moment(data.get("letter_date"), False) or {}).get("text"),
                    data.get("letter_sign"),
                )
                if part
            )
            assigned = labels.get(data.get("department"), data.get("department"))
            clerk = data.get("clerk")
            if clerk:
                if clerk not in names:
                    names[clerk] = person(clerk)["name"]
                assigned = f"{assigned}: {names[clerk]}"
            rows.append(
                {
                    "url": brain.getURL(),
                    "number": data.get("number") or no_data,
                    "received": _moment(data.get("received")),
                    "channel": self.tr(CHANNEL_TITLES.get(data.get("channel"), NO_DATA)),
                    "sender": data.get("sender") or no_data,
                    "letter": letter or no_data,
                    "subject": data.get("subject") or no_data,
                    "assigned": assigned or "—",
                    "attachments": data.get("attachments_count") or 0,
                    "remarks": data.get("remarks") or "",
                    "state": brain.review_state,
                }
            )
        return rows

    def may_register(self):
        return api.user.has_permission("ratusz: Add incoming item", obj=self.context)


class IncomingItemView(BrowserView):
    """An incoming item: the register's facts, its assignment and history, its scans."""

    index = ViewPageTemplateFile("templates/incoming_view.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def facts(self):
        item = self.context
        no_data = self.tr(NO_DATA)
        letter_date = display_date(item.letter_date) if item.letter_date else None
        return [
            (self.tr(_("Number")), item.number),
            (self.tr(_("Received")), display_date(item.received, True)),
            (self.tr(_("Channel")), self.tr(CHANNEL_TITLES.get(item.channel, NO_DATA))),
            (self.tr(_("Sender")), item.sender),
            (self.tr(_("Sender's address")), item.sender_address or no_data),
            (self.tr(_("Sign on the letter")), item.letter_sign or no_data),
            (self.tr(_("Date on the letter")), letter_date or no_data),
            (self.tr(_("Number of attachments")), str(item.attachments_count or 0)),
            (self.tr(_("Remarks")), item.remarks or "—"),
        ]

    def assignment(self):
        item = self.context
        symbol = getattr(item, "assigned_department", None)
        clerk = getattr(item, "assigned_clerk", None)
        deadline = getattr(item, "deadline", None)
        return {
            "department": department_label(symbol) if symbol else None,
            "clerk": person(clerk)["name"] if clerk else None,
            "deadline": {"iso": iso_date(deadline), "text": display_date(deadline)}
            if deadline
            else None,
            "instruction": getattr(item, "instruction", None),
            "copies": [person(user_id)["name"] for user_id in copies(item)],
        }

    def history(self):
        kinds = {
            "department": _("Assigned to a department"),
            "clerk": _("Assigned to a clerk"),
            "refused": _("Sent back"),
        }
        rows = []
        for entry in history(self.context):
            to = department_label(entry.get("department"))
            if entry.get("clerk"):
                to = f"{to}: {person(entry['clerk'])['name']}"
            rows.append(
                {
                    "when": {
                        "iso": iso_date(entry["at"], True),
                        "text": display_date(entry["at"], True),
                    },
                    "who": person(entry.get("by"))["name"],
                    "what": self.tr(kinds.get(entry["kind"], entry["kind"])),
                    "to": to,
                    "deadline": display_date(entry.get("deadline"))
                    if entry.get("deadline")
                    else None,
                    "note": entry.get("instruction") or entry.get("reason") or "",
                    "copies": [person(user_id)["name"] for user_id in entry.get("copies") or ()],
                }
            )
        return rows

    def files(self):
        return child_files(self.context)

    def state_title(self):
        state = api.content.get_state(self.context)
        return self.tr(STATE_TITLES.get(state, state))

    def actions(self):
        item = self.context
        base = item.absolute_url()
        found = []
        if may_assign(item):
            found.append({"id": "assign", "url": f"{base}/@@assign", "title": self.tr(_("Assign"))})
        transitions = {
            t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(item)
        }
        if transitions & {"refuse_department", "refuse_clerk"}:
            found.append(
                {"id": "refuse", "url": f"{base}/@@refuse", "title": self.tr(_("Send back"))}
            )
        if api.user.has_permission("Add portal content", obj=item) and api.user.has_permission(
            "plone.app.contenttypes: Add File", obj=item
        ):
            found.append(
                {
                    "id": "add-file",
                    "url": f"{base}/++add++File",
                    "title": self.tr(_("Add a scan or attachment")),
                }
            )
        if (
            api.content.get_state(item) == "assigned_clerk"
            and not getattr(item, "case_sign", None)
            and getattr(item, "assigned_clerk", None) == api.user.get_current().getId()
        ):
            found.append(
                {
                    "id": "open-case",
                    "url": f"{base}/@@open-case",
                    "title": self.tr(_("Open a case")),
                }
            )
        found.append({"id": "receipt", "url": f"{base}/@@receipt", "title": self.tr(_("Receipt"))})
        return found

    def case(self):
        """The case this item went into: its sign and address (None before one is opened)."""
        sign = getattr(self.context, "case_sign", None)
        if not sign:
            return None
        brains = api.portal.get_tool("portal_catalog")(portal_type="Case", case_sign=sign)
        return {"sign": sign, "url": brains[0].getURL() if brains else None}


class ReceiptView(BrowserView):
    """``@@receipt``: what the desk prints and hands the person who brought the letter."""

    index = ViewPageTemplateFile("templates/incoming_receipt.pt")

    def __call__(self):
        return self.index()

    def office(self):
        return city_settings_for_display(self.request).office_name

    def received(self):
        value = self.context.received
        return {"iso": iso_date(value, True), "text": display_date(value, True)}


def may_assign(item):
    """Whether the current user may assign ``item`` now (to a department or to a clerk)."""
    if api.user.has_permission("ratusz: Assign to department", obj=item):
        return True
    return api.content.get_state(item) != "registered" and api.user.has_permission(
        "ratusz: Assign to clerk", obj=item
    )


class AssignView(BrowserView):
    """``@@assign``: the secretariat assigns to a department; the head to a clerk."""

    index = ViewPageTemplateFile("templates/incoming_assign.pt")
    error = None

    def __call__(self):
        self.tr = translator(self.request)
        self.values = {}
        if not may_assign(self.context):
            raise Unauthorized("You may not assign this item.")
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if self._save():
                api.portal.show_message(_("The item is assigned."), self.request, type="info")
                self.request.response.redirect(self.context.absolute_url())
                return ""
        return self.index()

    def mode(self):
        """ "clerk" when the user may assign to a clerk now (the head), else "department"."""
        state = api.content.get_state(self.context)
        may_clerk = state != "registered" and api.user.has_permission(
            "ratusz: Assign to clerk", obj=self.context
        )
        may_department = api.user.has_permission("ratusz: Assign to department", obj=self.context)
        if may_clerk and (not may_department or self.request.form.get("mode") == "clerk"):
            return "clerk"
        return "department"

    def _save(self):
        form = self.request.form
        deadline_text = (form.get("deadline") or "").strip()
        deadline = _date_or_none(deadline_text)
        self.values = {
            "target": (form.get("target") or "").strip(),
            "deadline": deadline_text[:10],
            "instruction": (form.get("instruction") or "")[:2000],
            "copies": [c for c in (form.get("copies") or []) if isinstance(c, str)][:50],
        }
        if deadline_text and deadline is None:
            self.error = ("deadline", _("Enter the deadline as a date (YYYY-MM-DD)."))
            return False
        try:
            if self.mode() == "clerk":
                assign_to_clerk(
                    self.context,
                    self.values["target"],
                    deadline,
                    self.values["instruction"],
                    self.values["copies"],
                )
            else:
                assign_to_department(
                    self.context,
                    self.values["target"],
                    deadline,
                    self.values["instruction"],
                    self.values["copies"],
                )
        except AssignmentError as error:
            self.error = (error.field or "target", error.message)
            return False
        return True

    def error_for(self, field):
        if self.error and self.error[0] == field:
            return self.tr(self.error[1])
        return None

    def targets(self):
        chosen = self.values.get("target")
        if self.mode() == "clerk":
            department = department_by_symbol(
                getattr(self.context, "assigned_department", "") or ""
            )
            people = people_of(department) if department is not None else []
            return [dict(person(user_id), selected=user_id == chosen) for user_id in people]
        return [
            {"id": d.symbol, "name": f"{d.symbol} — {d.title}", "selected": d.symbol == chosen}
            for d in departments()
        ]

    def staff(self):
        chosen = set(self.values.get("copies") or ())
        people = []
        for department in departments():
            for user_id in people_of(department):
                if user_id not in [p["id"] for p in people]:
                    people.append(dict(person(user_id), selected=user_id in chosen))
        return sorted(people, key=lambda p: p["name"])


class RefuseView(BrowserView):
    """``@@refuse``: send the item back with a reason (head → secretariat, clerk → head)."""

    index = ViewPageTemplateFile("templates/incoming_refuse.pt")
    error = None
    reason = ""

    def __call__(self):
        self.tr = translator(self.request)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.reason = (self.request.form.get("reason") or "")[:2000]
            try:
                refuse(self.context, self.reason)
            except AssignmentError as error:
                self.error = self.tr(error.message)
            else:
                api.portal.show_message(_("The item is sent back."), self.request, type="info")
                self.request.response.redirect(self.context.absolute_url())
                return ""
        return self.index()
