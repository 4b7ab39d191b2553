"""Pages of the documents in a case: a note, a letter and its steps, adding them."""

from datetime import date

from AccessControl import Unauthorized
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.cases.case_views import as_message
from ratusz.cases.case_views import date_cell
from ratusz.cases.case_views import state_title
from ratusz.cases.documents import LETTER_CHANNELS
from ratusz.cases.documents import DocumentError
from ratusz.cases.documents import add_note
from ratusz.cases.documents import approve_letter
from ratusz.cases.documents import case_of
from ratusz.cases.documents import dispatch_letter
from ratusz.cases.documents import document_reference
from ratusz.cases.documents import draft_letter
from ratusz.cases.documents import letter_templates
from ratusz.cases.documents import return_letter
from ratusz.cases.documents import sign_letter
from ratusz.cases.documents import submit_letter
from ratusz.cases.forms import StepForm
from ratusz.cases.organisation_views import person
from ratusz.i18n import _
from ratusz.i18n import translator

MAX_SIGNED_FILE = 10 * 1024 * 1024  # a trusted-profile signature file is at most 10 MB (E4)
# The titles of the letter and intranet content workflows' states (profiles/default/
# workflows), named here so that they are in the ratusz catalogue; pages translate them.
WORKFLOW_TITLES = (
    _("Draft"),
    _("Approved"),
    _("Signed"),
    _("Dispatched"),
    _("Published to staff"),
    _("Publish to staff"),
    _("Retract"),
)
LETTER_STEPS = {
    "submit": _("Send for approval"),
    "approve": _("Approve the letter"),
    "return": _("Return with comments"),
    "sign": _("Mark signed"),
    "dispatch": _("Dispatch"),
}


class NoteView(BrowserView):
    index = ViewPageTemplateFile("templates/note_view.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def facts(self):
        note = self.context
        creator = note.Creators()[0] if note.Creators() else None
        return {
            "reference": document_reference(note),
            "case_url": case_of(note).absolute_url() if case_of(note) else None,
            "author": person(creator)["name"] if creator else "—",
            "created": date_cell(note.created().asdatetime().date()),
        }


class LetterView(BrowserView):
    """A letter: its text as it will be sent, its state and the next steps (print CSS)."""

    index = ViewPageTemplateFile("templates/letter_view.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def facts(self):
        letter = self.context
        case = case_of(letter)
        channel = dict(LETTER_CHANNELS).get(letter.channel)
        return {
            "reference": document_reference(letter),
            "case_url": case.absolute_url() if case else None,
            "case_sign": case.sign if case else "",
            "state": self.tr(state_title(letter)),
            "channel": self.tr(channel) if channel else None,
            "dispatched": date_cell(letter.dispatched_on),
            "signed_file": bool(letter.signed_file),
        }

    def actions(self):
        workflow = api.portal.get_tool("portal_workflow")
        base = self.context.absolute_url()
        found = [
            {
                "id": t["id"],
                "url": f"{base}/@@letter-action?transition={t['id']}",
                "title": self.tr(as_message(t["title"])),
            }
            for t in workflow.getTransitionsFor(self.context)
        ]
        if api.user.has_permission("Modify portal content", obj=self.context):
            found.insert(0, {"id": "edit", "url": f"{base}/edit", "title": self.tr(_("Edit"))})
        return found

    def comments(self):
        """The head's comments on the last return, shown to the clerk above the draft."""
        workflow = api.portal.get_tool("portal_workflow")
        history = workflow.getInfoFor(self.context, "review_history", [])
        for entry in reversed(history or []):
            if entry.get("action") == "return":
                return {"text": entry.get("comments"), "by": person(entry.get("actor"))["name"]}
            if entry.get("action"):
                return None
        return None


class LetterActionView(StepForm):
    """``@@letter-action?transition=…``: submit, approve, return (comments), sign, dispatch."""

    form_id = "ratusz-letter-action"
    view_name = "letter-action"

    def check(self):
        self.transition = (self.request.form.get("transition") or "").strip()
        workflow = api.portal.get_tool("portal_workflow")
        available = {t["id"] for t in workflow.getTransitionsFor(self.context)}
        if self.transition not in available or self.transition not in LETTER_STEPS:
            raise Unauthorized("This step is not available.")

    def query_string(self):
        return f"?transition={self.transition}"

    @property
    def heading(self):
        return f"{self.tr(LETTER_STEPS[self.transition])}: {self.context.title}"

    @property
    def button(self):
        return self.tr(LETTER_STEPS[self.transition])

    def defaults(self):
        return {"dispatched_on": date.today().isoformat(), "channel": "post"}

    def field_specs(self):
        if self.transition in ("approve", "return"):
            label = _("Comments") if self.transition == "return" else _("Comment (optional)")
            return [{"name": "comment", "label": label, "kind": "textarea", "maxlength": 2000}]
        if self.transition == "sign":
            return [
                {
                    "name": "signed_file",
                    "label": _("Signed letter (optional)"),
                    "kind": "file",
                    "help": _("The signed file (e.g. PDF with a PAdES signature), at most 10 MB."),
                }
            ]
        if self.transition == "dispatch":
            return [
                {
                    "name": "channel",
                    "label": _("Sent by"),
                    "kind": "select",
                    "options": LETTER_CHANNELS,
                },
                {
                    "name": "dispatched_on",
                    "label": _("Dispatched on"),
                    "kind": "date",
                    "maxlength": 10,
                },
            ]
        return []

    def submit(self, values):
        letter = self.context
        if self.transition == "submit":
            submit_letter(letter)
        elif self.transition == "approve":
            approve_letter(letter, values.get("comment") or "")
        elif self.transition == "return":
            return_letter(letter, values.get("comment") or "")
        elif self.transition == "sign":
            sign_letter(letter, self._signed_file(values.get("signed_file")))
        elif self.transition == "dispatch":
            try:
                when = date.fromisoformat((values.get("dispatched_on") or "").strip())
            except ValueError:
                raise DocumentError(
                    "dispatched_on", _("Enter the dispatch date as a date (YYYY-MM-DD).")
                )
            dispatch_letter(letter, values.get("channel"), when)
        return letter

    def _signed_file(self, upload):
        if upload is None:
            return None
        data = upload.read(MAX_SIGNED_FILE + 1)
        if len(data) > MAX_SIGNED_FILE:
            raise DocumentError("signed_file", _("The file is larger than 10 MB."))
        if not data:
            raise DocumentError("signed_file", _("The file is empty."))
        filename = (upload.filename or "letter.pdf").replace("\\", "/").split("/")[-1][:200]
        return NamedBlobFile(data=data, filename=filename)


class AddNoteView(StepForm):
    form_id = "ratusz-add-note"
    view_name = "add-note"
    done_message = _("The note is added to the case.")

    @property
    def heading(self):
        return self.tr(_("Note in case ${sign}", mapping={"sign": self.context.sign}))

    @property
    def button(self):
        return self.tr(_("Add the note"))

    def field_specs(self):
        return [
            {"name": "title", "label": _("Title"), "kind": "text", "maxlength": 200},
            {"name": "text", "label": _("Text"), "kind": "textarea", "maxlength": 20000},
        ]

    def submit(self, values):
        add_note(self.context, values.get("title") or "", values.get("text") or "")
        return self.context


class DraftLetterView(StepForm):
    """Draft a letter; with a template and an empty text, the template fills it."""

    form_id = "ratusz-draft-letter"
    view_name = "draft-letter"
    done_message = _("The letter is drafted.")

    @property
    def heading(self):
        return self.tr(_("Letter in case ${sign}", mapping={"sign": self.context.sign}))

    @property
    def intro(self):
        return self.tr(
            _(
                "Choose a template and leave the text empty to start from the template with "
                "the case's sign, subject, party and dates filled in."
            )
        )

    @property
    def button(self):
        return self.tr(_("Draft the letter"))

    def defaults(self):
        return {"recipient": "\n".join(self.context.parties[:1] or ())}

    def field_specs(self):
        templates = sorted(letter_templates().items(), key=lambda item: item[1].title or item[0])
        options = [("", _("(none)"))] + [(key, t.title or key) for key, t in templates]
        return [
            {"name": "template", "label": _("Template"), "kind": "select", "options": options},
            {"name": "title", "label": _("Subject"), "kind": "text", "maxlength": 300},
            {
                "name": "recipient",
                "label": _("Recipient"),
                "kind": "textarea",
                "maxlength": 2000,
                "rows": "3",
                "help": _("Name and address."),
            },
            {
                "name": "body",
                "label": _("Text of the letter"),
                "kind": "textarea",
                "maxlength": 20000,
                "rows": "12",
            },
        ]

    def submit(self, values):
        template = values.get("template") or None
        if template and template not in letter_templates():
            raise DocumentError("template", _("Choose a letter template."))
        return draft_letter(
            self.context,
            (values.get("title") or "").strip(),
            recipient=(values.get("recipient") or "").strip(),
            body=(values.get("body") or "").strip(),
            template=template,
        )
