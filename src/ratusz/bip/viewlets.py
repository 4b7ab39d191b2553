"""What every BIP page carries: the BIP header, the subject menu, the metadata
block ("metryczka") and the archival banner (rBIP § 11; UDIP art. 8 ust. 6)."""

from Acquisition import aq_inner
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.memoize import ram
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

from ratusz.bip.metadata import IBipMetadata
from ratusz.bip.pages import BIP_GOV_URL
from ratusz.bip.pages import bip_root_of
from ratusz.bip.pages import instruction_url
from ratusz.bip.pages import language_of
from ratusz.bip.structure import not_published_section_id
from ratusz.dates import date_info
from ratusz.fragments import CachedFragment
from ratusz.fragments import page_key
from ratusz.i18n import _
from ratusz.site.settings import city_settings_for_display

# The name of the bulletin on its official logo; the same in every language.
BIP_NAME = "Biuletyn Informacji Publicznej"
CHANGE_REGISTER_ID = "rejestr-zmian"
DECLARATION_ID = "deklaracja-dostepnosci"


def _published_sections_key(function, path, skip):
    # The catalog's counter moves with every (un)indexing: a renamed,
    # published or withdrawn section is seen on the next request.
    return (path, skip, api.portal.get_tool("portal_catalog").getCounter())


@ram.cache(_published_sections_key)
def published_sections(path, skip=None):
    """(id, title, path) of the published sections right below ``path``, in menu order.

    The same for every visitor (only published sections count), so it is kept
    across requests until the catalog changes.

    >>> published_sections("/plone/pl/bip")[0]
    ('status-prawny', 'Status prawny i statut', '/plone/pl/bip/status-prawny')
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        path={"query": path, "depth": 1},
        portal_type="BipSection",
        review_state="published",
        sort_on="getObjPositionInParent",
    )
    return tuple(
        (brain.getId, brain.Title, brain.getPath())
        for brain in brains
        if brain.getId != skip and not brain.exclude_from_nav
    )


def menu_sections(root, request):
    """The published top-level sections of a BIP home, as the menu links them.

    >>> [s["id"] for s in menu_sections(api.content.get("/pl/bip"), request)][:2]
    ['status-prawny', 'organy']
    """
    # The fixed entry at the end of the menu already leads to this one.
    skip = not_published_section_id(language_of(root))
    return [
        {"id": section_id, "title": title, "url": request.physicalPathToURL(path), "path": path}
        for section_id, title, path in published_sections("/".join(root.getPhysicalPath()), skip)
    ]


def archiving_date(obj):
    """When ``obj`` was last archived (DateTime), from its workflow history; None if never.

    >>> archiving_date(old_notice)
    DateTime('2026/03/01 12:00:00 GMT+1')
    """
    history = getattr(aq_inner(obj), "workflow_history", None) or {}
    chain = api.portal.get_tool("portal_workflow").getChainFor(obj)
    for workflow_id in chain:
        for entry in reversed(history.get(workflow_id, ())):
            if entry.get("action") == "archive":
                return entry.get("time")
    return None


class BipViewletBase(ViewletBase):
    """Renders only on BIP pages: the context is the BIP home or lies below it."""

    def update(self):
        super().update()
        self.root = bip_root_of(self.context)

    def render(self):
        if self.root is None:
            return ""
        return self.index()


class BipHeaderViewlet(CachedFragment, BipViewletBase):
    """The BIP logo linking to www.bip.gov.pl, and the office's bulletin name (rBIP § 11)."""

    index = ViewPageTemplateFile("templates/viewlet_header.pt")
    bip_gov_url = BIP_GOV_URL
    bip_name = BIP_NAME

    def update(self):
        super().update()
        self.logo_url = f"{self.site_url}/++theme++ratusz/img/bip-logo.svg"
        self.office_name = city_settings_for_display(self.request).office_name
        self.root_url = self.root.absolute_url() if self.root is not None else None

    def fragment_key(self):
        if self.root is None:
            return None
        return (page_key(self), self.root_url, self.office_name)


class BipSubjectMenuViewlet(CachedFragment, BipViewletBase):
    """The subject menu: the BIP's sections, then the entries every BIP must have.

    The rendered menu is the same on every page of a section: it is kept until
    the catalog changes (a section renamed, moved, published or withdrawn).
    """

    index = ViewPageTemplateFile("templates/viewlet_menu.pt")

    def update(self):
        super().update()
        self.context_path = "/".join(aq_inner(self.context).getPhysicalPath())
        self.actual_url = self.request.get("ACTUAL_URL", "").rstrip("/")

    def fragment_key(self):
        if self.root is None:
            return None
        root_path = "/".join(self.root.getPhysicalPath())
        skip = not_published_section_id(language_of(self.root))
        section_ids = {section_id for section_id, _, _ in published_sections(root_path, skip)}
        below_root = self.context_path[len(root_path) + 1 :]
        if not self.context_path.startswith(root_path + "/"):
            below_root = ""
        top, _, deeper = below_root.partition("/")
        # Inside a section only the section marked current differs; elsewhere a
        # fixed entry may be the current page.
        where = ("section", top, bool(deeper)) if top in section_ids else ("url", self.actual_url)
        counter = api.portal.get_tool("portal_catalog").getCounter()
        return (page_key(self), root_path, counter, where)

    def current(self, path=None, url=None):
        """``aria-current`` of an entry: "page" here, "true" above here, None elsewhere."""
        if path is not None:
            if self.context_path == path:
                return "page"
            if self.context_path.startswith(path + "/"):
                return "true"
            return None
        return "page" if url and self.actual_url == url else None

    def sections(self):
        return [
            dict(section, current=self.current(path=section["path"]))
            for section in menu_sections(self.root, self.request)
        ]

    def fixed_entries(self):
        """Change register, instruction, editors, withheld information, accessibility."""
        root_url = self.root.absolute_url()
        language = language_of(self.root)
        entries = (
            ("change-register", _("Change register"), f"{root_url}/{CHANGE_REGISTER_ID}"),
            ("instruction", _("How to use the BIP"), instruction_url(self.root)),
            ("editorial-office", _("BIP editorial office"), f"{root_url}#redakcja"),
            (
                "not-published",
                _("Information not published in the BIP"),
                f"{root_url}/{not_published_section_id(language)}",
            ),
            (
                "accessibility",
                _("Accessibility declaration"),
                f"{self.site_url}/{language}/{DECLARATION_ID}",
            ),
        )
        return [
            {
                "id": entry_id,
                "title": translate(title, context=self.request),
                "url": url,
                "current": self.current(url=url),
            }
            for entry_id, title, url in entries
        ]


class BipMetadataViewlet(CachedFragment, ViewletBase):
    """The metadata block of an item: who published, produced and entered it, and when.

    The same for every visitor: kept until the item is saved again (its ZODB
    serial changes with any change, publication included) or the office's
    name changes.
    """

    index = ViewPageTemplateFile("templates/viewlet_metadata.pt")

    def fragment_key(self):
        context = aq_inner(self.context)
        office = city_settings_for_display(self.request).office_name
        return (page_key(self), context.getPhysicalPath(), context._p_serial, office)

    def _translate(self, msgid):
        return translate(msgid, context=self.request)

    def _label(self, name):
        return self._translate(IBipMetadata[name].title)

    def rows(self):
        """The rows of the block in the order of UDIP art. 8 ust. 6; None values show "—"."""
        context = aq_inner(self.context)
        office = city_settings_for_display(self.request).office_name

        def text(key, label, value):
            return {"key": key, "label": label, "text": value or None, "time": None}

        def when(key, label, value):
            return {"key": key, "label": label, "text": None, "time": date_info(value)}

        tr = self._translate
        return [
            text("publisher", tr(_("Publishing body")), office),
            text("produced-by", self._label("bip_produced_by"), context.bip_produced_by),
            text("producing-unit", self._label("bip_producing_unit"), context.bip_producing_unit),
            text("responsible", self._label("bip_responsible"), context.bip_responsible),
            when("date-produced", self._label("bip_date_produced"), context.bip_date_produced),
            text("entered-by", self._label("bip_entered_by"), context.bip_entered_by),
            when("date-published", tr(_("Date published")), context.effective_date),
            when("date-modified", tr(_("Date of last change")), context.modified()),
        ]

    def history_url(self):
        return f"{aq_inner(self.context).absolute_url()}/@@bip-history"


class BipArchivedViewlet(ViewletBase):
    """A prominent note on an archived item: the information is no longer current."""

    index = ViewPageTemplateFile("templates/viewlet_archived.pt")

    def update(self):
        super().update()
        context = aq_inner(self.context)
        self.archived = api.content.get_state(obj=context, default=None) == "archived"
        self.archived_on = date_info(archiving_date(context)) if self.archived else None

    def render(self):
        return self.index() if self.archived else ""
