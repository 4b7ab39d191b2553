"""A small base for the staff forms of document circulation.

Each form names its fields (label, kind, help) and one ``submit(values)`` that
either does the work or raises an ``InputError`` naming the field; the shared
template shows the error beside that field, keeps what was typed and marks the
field ``aria-invalid`` (WCAG 3.3.1). z3c.form would do the same for schema
fields, but these forms are steps (approve with a comment, dispatch on a
date), not edits of a schema.
"""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.i18n import _
from ratusz.i18n import translator
from ratusz.validators import InputError


class StepForm(BrowserView):
    """Subclasses set ``form_id``, ``view_name`` and define ``field_specs``, ``submit``."""

    index = ViewPageTemplateFile("templates/simple_form.pt")
    form_id = "ratusz-step-form"
    view_name = ""
    max_lengths = {}
    done_message = _("Done.")

    def __call__(self):
        self.tr = translator(self.request)
        self.check()
        self.values = self.defaults()
        self.error = None
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            for spec in self.field_specs():
                raw = self.request.form.get(spec["name"])
                if spec["kind"] == "file":
                    self.values[spec["name"]] = raw if getattr(raw, "filename", None) else None
                else:
                    limit = spec.get("maxlength") or 2000
                    self.values[spec["name"]] = (raw if isinstance(raw, str) else "")[: limit * 2]
            try:
                target = self.submit(self.values)
            except InputError as error:
                self.error = (error.field, error.message)
            else:
                api.portal.show_message(self.done_message, self.request, type="info")
                self.request.response.redirect((target or self.context).absolute_url())
                return ""
        return self.index()

    # --- for subclasses --------------------------------------------------------------------

    def check(self):
        """Raise Unauthorized if the user may not use the form here."""

    def defaults(self):
        return {}

    def field_specs(self):
        return []

    def submit(self, values):
        raise NotImplementedError

    # --- for the template ------------------------------------------------------------------

    @property
    def action(self):
        return f"{self.context.absolute_url()}/@@{self.view_name}" + self.query_string()

    def query_string(self):
        return ""

    def fields(self):
        fields = []
        for spec in self.field_specs():
            error = None
            if self.error and self.error[0] == spec["name"]:
                error = self.tr(self.error[1])
            value = self.values.get(spec["name"])
            fields.append(
                dict(
                    spec,
                    label=self.tr(spec["label"]),
                    help=self.tr(spec["help"]) if spec.get("help") else None,
                    value=value if isinstance(value, str) else "",
                    error=error,
                    options=[
                        {"value": key, "title": self.tr(title)}
                        for key, title in spec.get("options", ())
                    ],
                )
            )
        return fields

    @property
    def general_error(self):
        known = {spec["name"] for spec in self.field_specs()}
        if self.error and self.error[0] not in known:
            return self.tr(self.error[1])
        return None

    @property
    def intro(self):
        return None
