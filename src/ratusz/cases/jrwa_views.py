"""Site Setup → JRWA: the office's list of files, imported from CSV and exported again."""

import csv
import io
from datetime import datetime

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import MethodNotAllowed

from ratusz.cases.jrwa import HEADER
from ratusz.cases.jrwa import MAX_FILE_BYTES
from ratusz.cases.jrwa import JrwaImportError
from ratusz.cases.jrwa import list_classes
from ratusz.cases.jrwa import parse_jrwa
from ratusz.cases.jrwa import replace_list
from ratusz.cases.jrwa import stored_list
from ratusz.i18n import _
from ratusz.i18n import translator

# Shown on the page; the CSV export has every class.
MAX_LISTED = 200


def import_jrwa(site, data, filename, user_id):
    """Check ``data`` (a CSV file's bytes) and make it the site's JRWA; return the class count.

    Raises JrwaImportError listing every problem; then nothing is changed.

    >>> import_jrwa(portal, Path("jrwa.csv").read_bytes(), "jrwa.csv", "admin")
    1549
    """
    classes = parse_jrwa(data)
    replace_list(
        site,
        classes,
        {"filename": filename, "by": user_id, "at": datetime.now().isoformat(timespec="seconds")},
    )
    return len(classes)


def export_jrwa(site):
    """The site's JRWA as CSV text in the import format (categories in canonical spelling).

    >>> export_jrwa(portal).splitlines()[0]
    'symbol;title;category_merytoryczna;category_inne;remarks'
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for entry in list_classes(site):
        writer.writerow(
            (entry.symbol, entry.title, entry.category, entry.category_other, entry.remarks)
        )
    return out.getvalue()


class JrwaControlPanel(BrowserView):
    """Upload a JRWA file (checked whole, stored whole or not at all), see and export the list."""

    index = ViewPageTemplateFile("templates/jrwa_controlpanel.pt")
    problems = ()
    max_listed = MAX_LISTED
    max_megabytes = MAX_FILE_BYTES // (1024 * 1024)

    def __call__(self):
        if self.request.method == "POST":
            self.handle_upload()
        return self.index()

    def handle_upload(self):
        CheckAuthenticator(self.request)
        upload = self.request.form.get("jrwa_file")
        filename = getattr(upload, "filename", "") or ""
        if not filename:
            api.portal.show_message(
                _("Choose a CSV file with the JRWA to import."), self.request, type="error"
            )
            return
        data = upload.read(MAX_FILE_BYTES + 1)
        check_only = bool(self.request.form.get("form.buttons.check"))
        try:
            if check_only:
                count = len(parse_jrwa(data))
            else:
                count = import_jrwa(self.context, data, filename, api.user.get_current().getId())
        except JrwaImportError as error:
            self.problems = error.problems
            api.portal.show_message(
                _(
                    "The file was not imported: ${count} problem(s) to fix, listed below. "
                    "The list in use has not changed.",
                    mapping={"count": len(error.problems)},
                ),
                self.request,
                type="error",
            )
            return
        message = (
            _(
                "The file is correct: ${count} classes. Nothing was changed yet.",
                mapping={"count": count},
            )
            if check_only
            else _("Imported ${count} JRWA classes.", mapping={"count": count})
        )
        api.portal.show_message(message, self.request, type="info")

    def problem_rows(self):
        tr = translator(self.request)
        return [
            {"line": problem.line or None, "text": tr(problem.message)} for problem in self.problems
        ]

    def source(self):
        jrwa = stored_list(self.context)
        return dict(jrwa.source) if jrwa is not None and jrwa.source else None

    def classes(self):
        return list_classes(self.context)[: self.max_listed]

    def class_count(self):
        jrwa = stored_list(self.context)
        return len(jrwa.classes) if jrwa is not None else 0


class JrwaExport(BrowserView):
    """``@@ratusz-jrwa.csv``: the list in use, to check or edit and import again."""

    def __call__(self):
        if self.request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed("GET only")
        self.request.response.setHeader("Content-Type", "text/csv; charset=utf-8")
        self.request.response.setHeader("Content-Disposition", 'attachment; filename="jrwa.csv"')
        return export_jrwa(self.context).encode("utf-8")
