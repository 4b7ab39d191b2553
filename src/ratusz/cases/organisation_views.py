"""Pages of the organisation: a department, the staff directory, naming deputies."""

from datetime import date

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from ratusz.cases.organisation import DeputyError
from ratusz.cases.organisation import cancel_deputy
from ratusz.cases.organisation import departments
from ratusz.cases.organisation import deputies_in_force
from ratusz.cases.organisation import group_ids
from ratusz.cases.organisation import name_deputy
from ratusz.cases.organisation import substitutions
from ratusz.dates import display_date
from ratusz.dates import iso_date
from ratusz.i18n import _
from ratusz.i18n import translator


def person(user_id):
    """``{"id", "name", "email"}`` of a user for a page; the id as name if the user is gone.

    >>> person("kierownik")["name"]
    'Piotr Kierownik'
    """
    user = api.user.get(userid=user_id) if user_id else None
    if user is None:
        return {"id": user_id, "name": user_id, "email": None}
    return {
        "id": user_id,
        "name": user.getProperty("fullname") or user_id,
        "email": user.getProperty("email") or None,
    }


def date_cell(value):
    return {"iso": iso_date(value), "text": display_date(value)}


class DepartmentView(BrowserView):
    """A department: its symbol, tasks, head and deputies in force, secretariat and members."""

    index = ViewPageTemplateFile("templates/department_view.pt")

    def __call__(self):
        return self.index()

    def head(self):
        return person(self.context.head) if self.context.head else None

    def deputies(self):
        return [
            dict(person(entry["deputy"]), until=date_cell(entry["end"]))
            for entry in deputies_in_force(self.context)
        ]

    def secretariat(self):
        return [person(user_id) for user_id in self.context.secretariat or ()]

    def members(self):
        return [person(user_id) for user_id in self.context.members or ()]

    def may_manage_deputies(self):
        return api.user.has_permission("ratusz: Manage deputies", obj=self.context)

    def groups(self):
        """The department's groups, for site administrators (who manage groups)."""
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return []
        return list(group_ids(self.context).values())


class StaffDirectoryView(BrowserView):
    """The departments with their heads: the staff directory (departments are few)."""

    index = ViewPageTemplateFile("templates/staff_directory.pt")

    def __call__(self):
        return self.index()

    def rows(self):
        return [
            {
                "symbol": department.symbol,
                "title": department.title,
                "url": department.absolute_url(),
                "head": person(department.head) if department.head else None,
                "size": len(set(department.members or ()) | set(department.secretariat or ())),
            }
            for department in departments()
            if api.user.has_permission("View", obj=department)
        ]


class DeputiesView(BrowserView):
    """``@@deputies`` on a department: the head names a deputy for a date range, or cancels one."""

    index = ViewPageTemplateFile("templates/deputies.pt")
    error = None
    values = None

    def __call__(self):
        self.values = {}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if self.request.form.get("cancel"):
                self.cancel(self.request.form["cancel"])
            else:
                self.add()
        return self.index()

    def _date(self, name):
        text = (self.request.form.get(name) or "").strip()
        self.values[name] = text[:10]
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def add(self):
        form = self.request.form
        deputy = (form.get("deputy") or "").strip()
        reason = form.get("reason") or ""
        self.values.update(deputy=deputy, reason=reason[:500])
        start, end = self._date("start"), self._date("end")
        if not deputy:
            self.error = ("deputy", _("Choose the deputy."))
        elif start is None:
            self.error = ("start", _("Enter the first day as a date (YYYY-MM-DD)."))
        elif end is None:
            self.error = ("end", _("Enter the last day as a date (YYYY-MM-DD)."))
        if self.error:
            return
        try:
            name_deputy(self.context, deputy, start, end, reason)
        except DeputyError as error:
            self.error = (error.field, error.message)
            return
        self.values = {}
        api.portal.show_message(_("The deputy is named."), self.request, type="info")

    def cancel(self, entry_id):
        if cancel_deputy(self.context, entry_id):
            api.portal.show_message(_("The deputy is cancelled."), self.request, type="info")

    def error_for(self, field):
        if self.error and self.error[0] == field:
            return translator(self.request)(self.error[1])
        return None

    def candidates(self):
        """The department's people except the head: whom a head usually names."""
        people = []
        for user_id in list(self.context.secretariat or ()) + list(self.context.members or ()):
            if user_id != self.context.head and user_id not in [p["id"] for p in people]:
                people.append(person(user_id))
        return people

    def entries(self):
        today = date.today()
        rows = []
        for entry in substitutions(self.context):
            if entry["end"] < today:
                status = _("ended")
            elif entry["start"] > today:
                status = _("planned")
            else:
                status = _("in force")
            rows.append(
                {
                    "id": entry["id"],
                    "deputy": person(entry["deputy"]),
                    "start": date_cell(entry["start"]),
                    "end": date_cell(entry["end"]),
                    "reason": entry["reason"],
                    "named_by": person(entry["named_by"]),
                    "status": translator(self.request)(status),
                }
            )
        return rows
