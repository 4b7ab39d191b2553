"""Pages of cases: the list, a case, opening one, its steps, a delay notice."""

from datetime import date

from AccessControl import Unauthorized
from plone import api
from plone.batching import Batch
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.cases.case import CaseError
from ratusz.cases.case import ICase
from ratusz.cases.case import approve
from ratusz.cases.case import audit_trail
from ratusz.cases.case import create_case
from ratusz.cases.case import delays
from ratusz.cases.case import notify_delay
from ratusz.cases.case import open_case_from_incoming
from ratusz.cases.case import run_transition
from ratusz.cases.case import settle
from ratusz.cases.documents import document_reference
from ratusz.cases.incoming import IIncomingItem
from ratusz.cases.jrwa import get_class
from ratusz.cases.jrwa import list_classes
from ratusz.cases.kinds import case_kinds
from ratusz.cases.kinds import kind_info
from ratusz.cases.organisation import departments
from ratusz.cases.organisation import departments_of
from ratusz.cases.organisation_views import person
from ratusz.cases.structure import CASES_ID
from ratusz.cases.structure import INTRANET_ID
from ratusz.dates import display_date
from ratusz.dates import iso_date
from ratusz.i18n import _
from ratusz.i18n import translator

PAGE_SIZE = 50
PHASES = {
    "open": _("open"),
    "waiting": _("waiting for the party"),
    "approval": _("for approval"),
    "closed": _("settled"),
    "archived": _("archived"),
}
POSITIONS = {"head": _("head"), "secretariat": _("secretariat"), "clerk": _("clerk")}
# The titles of the case workflows' states and transitions (profiles/default/workflows),
# named here so that they are in the ratusz catalogue; pages translate them.
WORKFLOW_TITLES = (
    _("Registered"),
    _("In progress"),
    _("Awaiting the party"),
    _("For approval"),
    _("Settled"),
    _("Archived"),
    _("Start work"),
    _("Settle"),
    _("Ask the party to supplement"),
    _("Supplement received"),
    _("Submit for approval"),
    _("Approve"),
    _("Return to the clerk"),
    _("Reopen"),
    _("Archive"),
)


def as_message(text):
    """``text`` as a message of the ratusz domain (entries of older steps are plain strings)."""
    return text if getattr(text, "domain", None) else _(text)


def date_cell(value):
    return {"iso": iso_date(value), "text": display_date(value)} if value else None


def case_folder():
    return api.portal.get()[INTRANET_ID][CASES_ID]


def state_title(case):
    """The translated title of the case's state, from its own workflow."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    chain = workflow_tool.getChainFor(case)
    state = api.content.get_state(case)
    if chain:
        definition = workflow_tool[chain[0]].states.get(state)
        if definition is not None:
            return as_message(definition.title)
    return state


class CaseFolderView(BrowserView):
    """The cases the user may see, newest first (from the catalog)."""

    index = ViewPageTemplateFile("templates/case_folder.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def batch(self):
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(portal_type="Case", sort_on="created", sort_order="descending")
        try:
            start = max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            start = 0
        return Batch(brains, PAGE_SIZE, start)

    def rows(self, batch):
        today = date.today()
        names = {}  # one user lookup per clerk on the page, not per row
        rows = []
        for brain in batch:
            data = brain.case_summary or {}
            clerk = data.get("clerk")
            if clerk and clerk not in names:
                names[clerk] = person(clerk)["name"]
            deadline = date.fromisoformat(data["deadline"]) if data.get("deadline") else None
            rows.append(
                {
                    "url": brain.getURL(),
                    "sign": data.get("sign"),
                    "subject": data.get("subject"),
                    "clerk": names.get(clerk, "—"),
                    "deadline": date_cell(deadline),
                    "overdue": bool(
                        deadline and deadline < today and brain.case_phase in ("open", "waiting")
                    ),
                    "phase": self.tr(PHASES.get(brain.case_phase, brain.case_phase or "")),
                }
            )
        return rows

    def may_open(self):
        return api.user.has_permission("ratusz: Add case", obj=self.context) and bool(
            departments_of(api.user.get_current().getId())
            or api.user.has_permission("Manage portal", obj=self.context)
        )


class CaseView(BrowserView):
    """A case: its sign and facts, documents, delays, how it was settled, its audit trail."""

    index = ViewPageTemplateFile("templates/case_view.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def facts(self):
        case = self.context
        entry = get_class(api.portal.get(), case.jrwa)
        kind = kind_info(case.kind)
        jrwa = f"{case.jrwa} — {entry.title} ({entry.category})" if entry else case.jrwa
        return [
            (self.tr(_("Case sign")), case.sign),
            (self.tr(_("Department")), case.department),
            (self.tr(_("JRWA class")), jrwa),
            (self.tr(_("Kind of case")), kind["title"] if kind else case.kind),
            (self.tr(_("Clerk")), person(case.clerk)["name"] if case.clerk else "—"),
            (self.tr(_("State")), self.tr(state_title(case))),
        ]

    def dates(self):
        case = self.context
        overdue = (
            case.deadline is not None and case.deadline < date.today() and case.settled_on is None
        )
        return {
            "start": date_cell(case.start_date),
            "deadline": date_cell(case.deadline),
            "overdue": overdue,
            "settled": date_cell(case.settled_on),
        }

    def incoming(self):
        uids = list(getattr(self.context, "incoming", None) or ())
        if not uids:
            return []
        catalog = api.portal.get_tool("portal_catalog")
        return [
            {
                "url": brain.getURL(),
                "number": (brain.incoming_summary or {}).get("number"),
                "title": brain.Title,
            }
            for brain in catalog(UID=uids)
        ]

    def documents(self):
        """Notes, letters and files in the case, in the order they were added."""
        found = []
        for obj in self.context.objectValues():
            if not api.user.has_permission("View", obj=obj):
                continue
            kind = {"CaseNote": _("Note"), "OutgoingLetter": _("Outgoing letter")}.get(
                obj.portal_type, _("File")
            )
            found.append(
                {
                    "url": obj.absolute_url(),
                    "reference": document_reference(obj),
                    "kind": self.tr(kind),
                    "title": obj.Title(),
                    "state": self.tr(state_title(obj))
                    if obj.portal_type == "OutgoingLetter"
                    else "",
                    "created": obj.created(),
                }
            )
        return sorted(found, key=lambda row: row["created"])

    def document_actions(self):
        base = self.context.absolute_url()
        found = []
        if api.user.has_permission("Add portal content", obj=self.context):
            found.append(
                {"id": "add-note", "url": f"{base}/@@add-note", "title": self.tr(_("Add a note"))}
            )
            found.append(
                {
                    "id": "draft-letter",
                    "url": f"{base}/@@draft-letter",
                    "title": self.tr(_("Draft a letter")),
                }
            )
        found.append(
            {
                "id": "record",
                "url": f"{base}/@@case-record",
                "title": self.tr(_("Case record (print, CSV, PDF)")),
            }
        )
        return found

    def delays(self):
        return [
            {
                "at": date_cell(notice["at"].date()),
                "by": person(notice["by"])["name"],
                "reason": notice["reason"],
                "new": date_cell(notice["new"]),
            }
            for notice in delays(self.context)
        ]

    def trail(self):
        rows = []
        for number, entry in enumerate(audit_trail(self.context), start=1):
            position = POSITIONS.get(entry.get("position"))
            rows.append(
                {
                    "number": number,
                    "at": {
                        "iso": iso_date(entry["at"], True),
                        "text": display_date(entry["at"], True),
                    },
                    "who": entry.get("name") or entry.get("user"),
                    "position": self.tr(position) if position else "",
                    "action": self.tr(as_message(entry.get("action") or "")),
                    "document": entry.get("document") or "",
                    "note": entry.get("note") or "",
                }
            )
        return rows

    def actions(self):
        case = self.context
        base = case.absolute_url()
        workflow = api.portal.get_tool("portal_workflow")
        found = [
            {
                "id": transition["id"],
                "url": f"{base}/@@case-action?transition={transition['id']}",
                "title": self.tr(as_message(transition["title"])),
            }
            for transition in workflow.getTransitionsFor(case)
        ]
        if (
            api.user.has_permission("Modify portal content", obj=case)
            and self.dates()["settled"] is None
        ):
            found.append(
                {
                    "id": "delay",
                    "url": f"{base}/@@case-delay",
                    "title": self.tr(_("Notify a delay")),
                }
            )
        return found


class OpenCaseView(BrowserView):
    """``@@open-case`` on an incoming item (its clerk opens a case for it) or on the case folder."""

    index = ViewPageTemplateFile("templates/case_open.pt")
    error = None

    def __call__(self):
        self.tr = translator(self.request)
        self.item = self.context if IIncomingItem.providedBy(self.context) else None
        if self.item is not None and not self._may_open_for_item():
            raise Unauthorized("Only the clerk of the item opens its case.")
        if self.item is None and not api.user.has_permission("ratusz: Add case", obj=self.context):
            raise Unauthorized("You may not open cases here.")
        self.values = {}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            case = self._open()
            if case is not None:
                api.portal.show_message(
                    _("Case ${sign} is opened.", mapping={"sign": case.sign}),
                    self.request,
                    type="info",
                )
                self.request.response.redirect(case.absolute_url())
                return ""
        return self.index()

    def _may_open_for_item(self):
        user_id = api.user.get_current().getId()
        return api.content.get_state(self.item) == "assigned_clerk" and (
            getattr(self.item, "assigned_clerk", None) == user_id
            or api.user.has_permission("Manage portal", obj=self.item)
        )

    def _open(self):
        form = self.request.form
        self.values = {
            "title": (form.get("title") or "")[:500],
            "department": (form.get("department") or "").strip(),
            "jrwa": (form.get("jrwa") or "").strip()[:10],
            "kind": (form.get("kind") or "").strip(),
            "parties": (form.get("parties") or "")[:6000],
            "start_date": (form.get("start_date") or "").strip()[:10],
        }
        try:
            if self.item is not None:
                return open_case_from_incoming(
                    case_folder(),
                    self.item,
                    self.values["jrwa"],
                    self.values["kind"],
                    self.values["title"] or None,
                )
            start = None
            if self.values["start_date"]:
                try:
                    start = date.fromisoformat(self.values["start_date"])
                except ValueError:
                    raise CaseError("start_date", _("Enter the start date as a date (YYYY-MM-DD)."))
            parties = [line.strip() for line in self.values["parties"].splitlines() if line.strip()]
            if not self.values["title"].strip():
                raise CaseError("title", _("Give the subject of the case."))
            return create_case(
                self.context,
                title=self.values["title"].strip(),
                department=self.values["department"],
                jrwa=self.values["jrwa"],
                kind=self.values["kind"],
                parties=parties,
                start_date=start,
            )
        except CaseError as error:
            self.error = (error.field, error.message)
            if error.field == "parties":
                self.error = (
                    "parties",
                    _("Check the parties: one a line, plain text, at most 20."),
                )
        return None

    def error_for(self, field):
        if self.error and self.error[0] == field:
            return self.tr(self.error[1])
        return None

    def own_departments(self):
        user_id = api.user.get_current().getId()
        found = departments_of(user_id)
        if not found and api.user.has_permission("Manage portal", obj=self.context):
            found = departments()
        chosen = self.values.get("department")
        return [
            {"id": d.symbol, "name": f"{d.symbol} — {d.title}", "selected": d.symbol == chosen}
            for d in found
        ]

    def kinds(self):
        chosen = self.values.get("kind")
        return [
            {"id": kind_id, "name": kind.title, "selected": kind_id == chosen}
            for kind_id, kind in sorted(case_kinds().items(), key=lambda item: item[1].title)
        ]

    def jrwa_classes(self):
        return [
            {"id": entry.symbol, "name": f"{entry.symbol} — {entry.title}"}
            for entry in list_classes(api.portal.get(), final_only=True)
        ]


class CaseActionView(BrowserView):
    """``@@case-action?transition=…``: a step of the case's workflow, with a comment (or,
    to settle, how the case was settled)."""

    index = ViewPageTemplateFile("templates/case_action.pt")
    error = None
    text = ""

    def __call__(self):
        self.tr = translator(self.request)
        self.transition = (self.request.form.get("transition") or "").strip()
        available = {
            t["id"]: t
            for t in api.portal.get_tool("portal_workflow").getTransitionsFor(self.context)
        }
        if self.transition not in available:
            raise Unauthorized("This step is not available.")
        self.title = self.tr(as_message(available[self.transition]["title"]))
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.text = (self.request.form.get("text") or "")[:2000]
            try:
                if self.transition in ("settle", "submit_for_approval"):
                    settle(self.context, self.text)
                elif self.transition == "approve":
                    approve(self.context, self.text)
                else:
                    run_transition(self.context, self.transition, self.text)
            except CaseError as error:
                self.error = self.tr(error.message)
            else:
                api.portal.show_message(_("Done."), self.request, type="info")
                self.request.response.redirect(self.context.absolute_url())
                return ""
        return self.index()

    def settling(self):
        return self.transition in ("settle", "submit_for_approval")


class DelayView(BrowserView):
    """``@@case-delay``: notify the party of a delay (KPA art. 36): reason and new date."""

    index = ViewPageTemplateFile("templates/case_delay.pt")
    error = None

    def __call__(self):
        self.tr = translator(self.request)
        if not ICase.providedBy(self.context) or not api.user.has_permission(
            "Modify portal content", obj=self.context
        ):
            raise Unauthorized("You may not change this case.")
        self.values = {}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            form = self.request.form
            self.values = {
                "reason": (form.get("reason") or "")[:2000],
                "new_deadline": (form.get("new_deadline") or "").strip()[:10],
                "email": (form.get("email") or "").strip()[:200],
            }
            try:
                try:
                    new = date.fromisoformat(self.values["new_deadline"])
                except ValueError:
                    raise CaseError(
                        "new_deadline", _("Enter the new deadline as a date (YYYY-MM-DD).")
                    )
                notify_delay(self.context, self.values["reason"], new, email=self.values["email"])
            except CaseError as error:
                self.error = (error.field, error.message)
            else:
                api.portal.show_message(_("The delay is recorded."), self.request, type="info")
                self.request.response.redirect(self.context.absolute_url())
                return ""
        return self.index()

    def error_for(self, field):
        if self.error and self.error[0] == field:
            return self.tr(self.error[1])
        return None
