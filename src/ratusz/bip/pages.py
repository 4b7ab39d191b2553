"""The BIP pages a visitor reads: the BIP home, a section, and every item type.

Listings read catalog brains only (a section may hold thousands of acts);
item pages read their own object, and wake only the few acts their
relations point to.
"""

from urllib.parse import quote

from AccessControl import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_chain
from Acquisition import aq_inner
from plone import api
from plone.base.interfaces import IPloneSiteRoot
from plone.base.utils import human_readable_size
from plone.batching import Batch
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zc.relation.interfaces import ICatalog
from zope.annotation.interfaces import IAnnotations
from zope.component import queryMultiAdapter
from zope.component import queryUtility
from zope.i18n import translate
from zope.intid.interfaces import IIntIds
from zope.schema import Choice
from zope.schema import Date
from zope.schema import Datetime

from ratusz.bip.content import IAnnouncement
from ratusz.bip.content import IAssetDeclaration
from ratusz.bip.content import IBipPage
from ratusz.bip.content import IJobVacancy
from ratusz.bip.content import ILegalAct
from ratusz.bip.content import IProcurement
from ratusz.bip.interfaces import IBipRoot
from ratusz.bip.settings import get_bip_settings
from ratusz.bip.structure import INSTRUCTION_ID
from ratusz.bip.structure import not_published_section_id
from ratusz.bip.vocabularies import term_title
from ratusz.dates import date_info
from ratusz.dates import has_passed
from ratusz.files import child_files
from ratusz.i18n import _
from ratusz.i18n import translator
from ratusz.site.settings import safe_email

ITEM_TYPES = (
    "BipPage",
    "BipLegalAct",
    "BipAnnouncement",
    "BipProcurement",
    "BipJobVacancy",
    "BipAssetDeclaration",
)
PAGE_SIZE = 30
LATEST_ON_HOME = 10
BIP_GOV_URL = "https://www.bip.gov.pl"
MANAGE_SETTINGS = "ratusz: Manage BIP settings"
# (link id, title, view on the BIP home, permission): pages only staff open.
STAFF_PAGES = (
    (
        "ratusz-bip-requests-link",
        _("Requests for information"),
        "information-requests",
        "ratusz: View information requests",
    ),
    ("ratusz-bip-audit-link", _("BIP audit log"), "@@bip-audit-log", "ratusz: View BIP audit log"),
)


# --- where we are -----------------------------------------------------------


def bip_root_of(context):
    """The BIP home (``/pl/bip``) above or at ``context``, or None outside the BIP.

    >>> bip_root_of(api.content.get("/pl/bip/prawo-lokalne/uchwaly")).getId()
    'bip'
    """
    for obj in aq_chain(aq_inner(context)):
        if IBipRoot.providedBy(obj):
            return obj
        if IPloneSiteRoot.providedBy(obj):
            return None
    return None


def language_of(root):
    """The language of a BIP home: its own language, else its language folder's id.

    >>> language_of(api.content.get("/en/bip"))
    'en'
    """
    language = getattr(aq_inner(root), "language", None)
    if language:
        return language
    return aq_inner(root).aq_parent.getId()


def instruction_url(root):
    """The address of the page "How to use the BIP" of that BIP home (rBIP § 11).

    >>> instruction_url(api.content.get("/pl/bip"))
    'http://nohost/plone/pl/bip/instrukcja-obslugi'
    """
    page_id = INSTRUCTION_ID.get(language_of(root), INSTRUCTION_ID["en"])
    return f"{root.absolute_url()}/{page_id}"


def search_url(root):
    """Where the BIP search box sends its query.

    >>> search_url(api.content.get("/pl/bip"))
    'http://nohost/plone/pl/bip/@@bip-search'
    """
    return f"{root.absolute_url()}/@@bip-search"


# --- small helpers ----------------------------------------------------------


def tel_href(phone):
    """A ``tel:`` link keeping only digits and a leading plus of what was typed.

    >>> tel_href("+48 (99) 123-45-60")
    'tel:+48991234560'
    """
    digits = "".join(c for c in phone or "" if c.isdigit() or c == "+")
    return f"tel:{digits}" if digits else None


def type_titles(request):
    """``{portal_type: translated title}`` of the BIP types, read once per request."""
    cache = IAnnotations(request)
    key = "ratusz.bip.type_titles"
    if key not in cache:
        types_tool = api.portal.get_tool("portal_types")
        cache[key] = {
            name: translate(types_tool[name].Title(), context=request)
            for name in (*ITEM_TYPES, "BipSection")
            if name in types_tool
        }
    return cache[key]


def brain_row(brain, titles):
    """What a listing shows of one catalog brain, without waking its object."""
    return {
        "title": brain.Title,
        "url": brain.getURL(),
        "description": brain.Description,
        "type": titles.get(brain.portal_type, brain.portal_type),
        "portal_type": brain.portal_type,
        "state": brain.review_state,
        "date": date_info(brain.effective),
    }


def rich_text_html(context, value):
    """The safe HTML of a RichText value, with links relative to ``context``."""
    if value is None or not getattr(value, "raw", None):
        return None
    return value.output_relative_to(context)


# --- the section view and the BIP home ---------------------------------------


class BipSectionView(BrowserView):
    """``bip-section``: a plain section, or the BIP home when the section is the root."""

    home_template = ViewPageTemplateFile("templates/pages_home.pt")
    section_template = ViewPageTemplateFile("templates/pages_section.pt")

    def __call__(self):
        if self.is_home:
            return self.home_template()
        return self.section_template()

    @property
    def is_home(self):
        return IBipRoot.providedBy(self.context)

    @property
    def path(self):
        return "/".join(self.context.getPhysicalPath())

    def introduction(self):
        return rich_text_html(self.context, getattr(self.context, "text", None))

    def subsections(self):
        """The subsections the visitor may see (the catalog leaves out drafts for the public)."""
        brains = api.content.find(
            path={"query": self.path, "depth": 1},
            portal_type="BipSection",
            sort_on="getObjPositionInParent",
        )
        titles = type_titles(self.request)
        return [brain_row(brain, titles) for brain in brains]

    # the item list

    @property
    def showing_archive(self):
        return self.request.form.get("archive") == "1"

    def item_query(self):
        """The catalog query of this section's items: current ones, or the archive."""
        return {
            "path": {"query": self.path, "depth": 1},
            "portal_type": ITEM_TYPES,
            "review_state": "archived" if self.showing_archive else {"not": "archived"},
            "sort_on": "effective",
            "sort_order": "descending",
        }

    def batch(self):
        """One page of items as brains; ``b_start`` comes from the batch navigation."""
        brains = api.portal.get_tool("portal_catalog")(**self.item_query())
        return Batch(brains, PAGE_SIZE, start=self.batch_start(len(brains)))

    def batch_start(self, total):
        try:
            start = int(self.request.form.get("b_start", 0))
        except (TypeError, ValueError):
            return 0
        return start if 0 <= start < max(total, 1) else 0

    def rows(self, batch):
        titles = type_titles(self.request)
        return [brain_row(brain, titles) for brain in batch]

    def archive_url(self):
        return f"{self.context.absolute_url()}?archive=1"

    def register_table(self):
        """The register of this section's type (another view), or None for a plain list."""
        if not getattr(self.context, "register_type", None):
            return None
        table = queryMultiAdapter((self.context, self.request), name="bip-register-table")
        return table() if table is not None else None

    # the BIP home

    def settings(self):
        """The editorial office as the home page shows it (values checked again here)."""
        settings = get_bip_settings()
        office = settings.editorial_office or ""
        return {
            "office_lines": [line for line in office.splitlines() if line.strip()],
            "editor_name": settings.editor_name,
            "editor_phone": settings.editor_phone,
            "phone_href": tel_href(settings.editor_phone),
            "editor_email": safe_email(settings.editor_email),
        }

    def instruction_url(self):
        return instruction_url(self.context)

    def request_form_url(self):
        """The request form, on the section "Information not published in the BIP"; else None."""
        if self.context.getId() != not_published_section_id(language_of(self.context)):
            return None
        from ratusz.eservices.card import public_information_form_url

        # The e-service, when the office has one, replaces the BIP's own form.
        return public_information_form_url(self.context) or (
            f"{self.context.absolute_url()}/request-information"
        )

    def staff_links(self):
        """Links to the BIP's staff pages the current user may open (on the BIP home)."""
        checker = getSecurityManager()
        url = self.context.absolute_url()
        return [
            {"id": link_id, "title": title, "url": f"{url}/{view}"}
            for link_id, title, view, permission in STAFF_PAGES
            if checker.checkPermission(permission, self.context)
        ]

    def settings_url(self):
        """The BIP settings form, for those who may change them; else None."""
        portal = api.portal.get()
        if not getSecurityManager().checkPermission(MANAGE_SETTINGS, portal):
            return None
        return f"{portal.absolute_url()}/@@ratusz-bip-settings"

    def search_url(self):
        return search_url(self.context)

    def latest(self):
        """The most recently published items of the whole BIP."""
        brains = api.content.find(
            path=self.path,
            portal_type=ITEM_TYPES,
            review_state="published",
            sort_on="effective",
            sort_order="descending",
            sort_limit=LATEST_ON_HOME,
        )[:LATEST_ON_HOME]
        titles = type_titles(self.request)
        return [brain_row(brain, titles) for brain in brains]


# --- item views --------------------------------------------------------------


class BipItemView(BrowserView):
    """The page of a BIP item: its facts, texts, PDF and attachments.

    Subclasses name their schema and which of its fields are facts (a
    definition list), rich texts, the PDF and deadlines; labels and
    vocabulary titles come from the schema.
    """

    index = ViewPageTemplateFile("templates/pages_item.pt")
    schema = IBipPage
    facts_fields = ()
    text_fields = ("text",)
    text_headings = True
    file_field = None
    deadline_field = None

    def __call__(self):
        return self.index()

    @property
    def translate(self):
        """Translates into the page's language (see ``ratusz.i18n.translator``)."""
        if "_translate" not in self.__dict__:
            self._translate = translator(self.request)
        return self._translate

    def _label(self, name):
        return self.translate(self.schema[name].title)

    def fact(self, name):
        """One field as ``{label, text, time}``; ``time`` for dates, None when empty."""
        field = self.schema[name]
        value = getattr(self.context, name, None)
        fact = {"name": name, "label": self._label(name), "text": None, "time": None}
        if value is None or value == "":
            return fact
        if isinstance(field, Datetime):
            fact["time"] = date_info(value, with_time=True)
        elif isinstance(field, Date):
            fact["time"] = date_info(value)
        elif isinstance(field, Choice) and field.vocabularyName:
            fact["text"] = self.translate(term_title(field.vocabularyName, value))
        else:
            fact["text"] = str(value)
        return fact

    def facts(self):
        return [self.fact(name) for name in self.facts_fields]

    def deadline(self):
        """``{"passed": bool}`` for procurements and vacancies, else None."""
        if self.deadline_field is None:
            return None
        value = getattr(self.context, self.deadline_field, None)
        if value is None:
            return None
        return {"passed": has_passed(value)}

    def texts(self):
        """The rich texts that have content, each with its label."""
        texts = []
        for name in self.text_fields:
            html = rich_text_html(self.context, getattr(self.context, name, None))
            if html:
                texts.append({"name": name, "label": self._label(name), "html": html})
        return texts

    def document(self):
        """The PDF of an act or declaration: link, name and size; None without one."""
        if self.file_field is None:
            return None
        blob = getattr(self.context, self.file_field, None)
        if blob is None:
            return None
        filename = blob.filename or f"{self.file_field}.pdf"
        return {
            "label": self._label(self.file_field),
            "url": f"{self.context.absolute_url()}/@@download/{self.file_field}/" + quote(filename),
            "filename": filename,
            "size": human_readable_size(blob.getSize()),
        }

    def attachments(self):
        """The files and images inside the item, from the catalog."""
        return child_files(self.context)

    def relations(self):
        """Related acts to list (only legal acts have them)."""
        return []


class BipPageView(BipItemView):
    schema = IBipPage
    text_headings = False


class LegalActView(BipItemView):
    schema = ILegalAct
    facts_fields = ("act_kind", "act_number", "act_date", "act_body", "act_status")
    file_field = "act_file"

    def relations(self):
        """Acts that amend or repeal this one, and the acts this one amends or repeals.

        The first two are this act's own fields, the others the same fields of
        other acts pointing here; each lists only the acts the visitor may see.
        """
        pointing_here = acts_pointing_here(self.context)
        groups = (
            ("ratusz-bip-amended-by", _("Amended by"), related_acts(self.context, "amended_by")),
            (
                "ratusz-bip-repealed-by",
                _("Repealed by"),
                related_acts(self.context, "repealed_by"),
            ),
            ("ratusz-bip-amends", _("This act amends"), pointing_here.get("amended_by", [])),
            ("ratusz-bip-repeals", _("This act repeals"), pointing_here.get("repealed_by", [])),
        )
        return [
            {"id": group_id, "label": self.translate(label), "acts": acts}
            for group_id, label, acts in groups
            if acts
        ]


class AnnouncementView(BipItemView):
    schema = IAnnouncement
    facts_fields = ("announcement_kind", "valid_from", "valid_to")


class ProcurementView(BipItemView):
    schema = IProcurement
    facts_fields = (
        "reference_number",
        "procedure",
        "value_range",
        "offers_deadline",
        "procurement_status",
    )
    text_fields = ("text", "result")
    deadline_field = "offers_deadline"


class JobVacancyView(BipItemView):
    schema = IJobVacancy
    facts_fields = ("position", "unit", "deadline", "vacancy_status")
    text_fields = ("requirements", "result")
    deadline_field = "deadline"


class AssetDeclarationView(BipItemView):
    schema = IAssetDeclaration
    facts_fields = ("person", "office", "declaration_year", "declaration_kind")
    text_fields = ()
    file_field = "declaration_file"


# --- legal act relations -------------------------------------------------------


def act_link(act):
    """What a relation list shows of an act: title, number, date and address."""
    return {
        "title": act.Title(),
        "url": act.absolute_url(),
        "number": getattr(act, "act_number", None),
        "date": date_info(getattr(act, "act_date", None)),
    }


def may_view(obj):
    """Whether the current user may see ``obj`` (a draft act stays hidden from the public)."""
    return obj is not None and bool(getSecurityManager().checkPermission("View", obj))


def related_acts(act, field):
    """The acts in ``act``'s own relation field that the visitor may see.

    >>> [a["title"] for a in related_acts(old_resolution, "amended_by")]
    ['Uchwała nr XII/123/2026']
    """
    relations = getattr(aq_base(act), field, None) or ()
    targets = (relation.to_object for relation in relations if not relation.isBroken())
    return [act_link(target) for target in targets if may_view(target)]


ACT_RELATION_FIELDS = ("amended_by", "repealed_by")


def acts_pointing_here(act):
    """``{field: [acts]}``: the visible acts whose amended_by/repealed_by name ``act``.

    One query of the relation catalog for both fields (the reverse relations).

    >>> [a["title"] for a in acts_pointing_here(new_resolution)["amended_by"]]
    ['Uchwała nr X/98/2025']
    """
    intids = queryUtility(IIntIds)
    relations = queryUtility(ICatalog)
    intid = intids.queryId(aq_inner(act)) if intids is not None else None
    if intid is None or relations is None:
        return {}
    found = {}
    for relation in relations.findRelations({"to_id": intid}):
        if relation.from_attribute not in ACT_RELATION_FIELDS:
            continue
        source = relation.from_object
        if may_view(source):
            found.setdefault(relation.from_attribute, []).append(act_link(source))
    return found
