"""The staff intranet: its front page, news and document library, and which workflow
the content inside it follows.

News, pages, files and folders added inside ``/intranet`` follow
``ratusz_intranet_content_workflow`` (draft → published to staff), whatever the
site's default workflow is: with the default one a "published" news item would
be public. Inside a case, an incoming item or a department they take that
object's settings as before (no workflow of their own).
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from plone.base.interfaces import IWorkflowChain
from plone.dexterity.interfaces import IDexterityContent
from Products.CMFCore.interfaces import IWorkflowTool
from Products.CMFPlone.workflow import ToolWorkflowChain
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import adapter
from zope.interface import implementer

from ratusz.cases.case import ICase
from ratusz.cases.case import ICaseFolder
from ratusz.cases.dashboard_views import dashboard_tabs
from ratusz.cases.incoming import IIncomingItem
from ratusz.cases.incoming import IIncomingRegister
from ratusz.cases.notices import unread_count
from ratusz.cases.organisation import IDepartment
from ratusz.cases.organisation import IDepartmentDirectory
from ratusz.cases.organisation import IIntranet
from ratusz.cases.structure import LIBRARY_ID
from ratusz.cases.structure import NEWS_ID
from ratusz.dates import display_date
from ratusz.i18n import _
from ratusz.i18n import translator

CONTENT_WORKFLOW = "ratusz_intranet_content_workflow"
CONTENT_TYPES = frozenset({"News Item", "Document", "File", "Image", "Folder", "Link", "Event"})
# Content inside these takes their settings (a scan in a case is the case's).
OWN_SETTINGS = (ICase, ICaseFolder, IIncomingItem, IIncomingRegister, IDepartment)


def in_intranet(obj):
    """Whether ``obj`` is intranet content: inside ``/intranet`` and not inside a case,
    item, register, case folder or department."""
    parent = aq_parent(aq_inner(obj))
    while parent is not None:
        if IIntranet.providedBy(parent):
            return True
        if any(iface.providedBy(parent) for iface in OWN_SETTINGS):
            return False
        parent = aq_parent(parent)
    return False


@adapter(IDexterityContent, IWorkflowTool)
@implementer(IWorkflowChain)
def workflow_chain(obj, tool):
    """A case follows its kind's workflow (kept from when it was opened); news and
    documents in the intranet the intranet content workflow; the rest their type's."""
    if ICase.providedBy(obj):
        workflow = getattr(aq_base(obj), "case_workflow", None)
        if workflow and workflow in tool.objectIds():
            return (workflow,)
    elif (
        obj.portal_type in CONTENT_TYPES
        and CONTENT_WORKFLOW in tool.objectIds()
        and in_intranet(obj)
    ):
        return (CONTENT_WORKFLOW,)
    return ToolWorkflowChain(obj, tool)


class IntranetView(BrowserView):
    """The intranet's front page: my work with counts, notices, news, library, directory."""

    index = ViewPageTemplateFile("templates/intranet_view.pt")

    def __call__(self):
        self.tr = translator(self.request)
        return self.index()

    def work(self):
        return dashboard_tabs(self.context, self.tr)

    def unread(self):
        return unread_count(api.user.get_current().getId())

    def news(self, limit=5):
        catalog = api.portal.get_tool("portal_catalog")
        folder = self.context.get(NEWS_ID)
        if folder is None:
            return []
        brains = catalog(
            portal_type="News Item",
            path="/".join(folder.getPhysicalPath()),
            review_state="internal",
            sort_on="effective",
            sort_order="descending",
            sort_limit=limit,
        )[:limit]
        return [
            {
                "url": brain.getURL(),
                "title": brain.Title,
                "description": brain.Description,
                "date": display_date(brain.effective.asdatetime().date())
                if brain.effective and brain.effective.year() > 1900
                else display_date(brain.created.asdatetime().date()),
            }
            for brain in brains
        ]

    def sections(self):
        found = []
        for obj_id, title in (
            (NEWS_ID, _("News")),
            (LIBRARY_ID, _("Document library")),
        ):
            if obj_id in self.context.objectIds():
                found.append({"url": self.context[obj_id].absolute_url(), "title": self.tr(title)})
        for obj in self.context.objectValues():
            if IDepartmentDirectory.providedBy(obj):
                found.append({"url": obj.absolute_url(), "title": self.tr(_("Staff directory"))})
        return found
