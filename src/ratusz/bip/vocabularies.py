"""Fixed vocabularies of the BIP types: the values are stored, the titles translated.

Each is a named vocabulary (``ratusz.bip.act_kinds`` …) so that forms, listings,
filters and the REST API (``@vocabularies``) share one list.
"""

from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory

from ratusz.i18n import _
from ratusz.vocabularies import fixed_vocabulary

ACT_KINDS = fixed_vocabulary(
    ("resolution", _("Resolution (uchwała)")),
    ("order", _("Order (zarządzenie)")),
)

ACT_BODIES = fixed_vocabulary(
    ("council", _("City Council")),
    ("mayor", _("Mayor")),
)

ACT_STATUSES = fixed_vocabulary(
    ("in_force", _("In force")),
    ("amended", _("Amended")),
    ("repealed", _("Repealed")),
    ("expired", _("Expired")),
)

ANNOUNCEMENT_KINDS = fixed_vocabulary(
    ("announcement", _("Announcement (ogłoszenie)")),
    ("notice", _("Public notice (obwieszczenie)")),
)

PROCUREMENT_PROCEDURES = fixed_vocabulary(
    ("basic", _("Basic procedure (tryb podstawowy)")),
    ("open_tender", _("Open tender")),
    ("restricted_tender", _("Restricted tender")),
    ("negotiated", _("Negotiated procedure")),
    ("competitive_dialogue", _("Competitive dialogue")),
    ("single_source", _("Single-source procurement")),
    ("below_threshold", _("Below the act's threshold (under 130,000 PLN)")),
)

PROCUREMENT_VALUE_RANGES = fixed_vocabulary(
    ("below_130k", _("Under 130,000 PLN")),
    ("national", _("From 130,000 PLN to the EU thresholds")),
    ("eu", _("At or above the EU thresholds")),
)

PROCUREMENT_STATUSES = fixed_vocabulary(
    ("open", _("Open for offers")),
    ("evaluation", _("Offers under evaluation")),
    ("awarded", _("Awarded")),
    ("cancelled", _("Cancelled")),
)

VACANCY_STATUSES = fixed_vocabulary(
    ("open", _("Open for applications")),
    ("evaluation", _("Applications under evaluation")),
    ("resolved", _("Resolved")),
    ("cancelled", _("Cancelled")),
)

DECLARATION_KINDS = fixed_vocabulary(
    ("annual", _("Annual")),
    ("start", _("Start of term or employment")),
    ("end", _("End of term or employment")),
    ("other", _("Other (e.g. before elections)")),
)

REGISTER_TYPES = fixed_vocabulary(
    ("BipLegalAct", _("Legal acts")),
    ("BipAnnouncement", _("Announcements and notices")),
    ("BipProcurement", _("Public procurements")),
    ("BipJobVacancy", _("Job vacancies")),
    ("BipAssetDeclaration", _("Asset declarations")),
)

VOCABULARIES = {
    "ratusz.bip.register_types": REGISTER_TYPES,
    "ratusz.bip.act_kinds": ACT_KINDS,
    "ratusz.bip.act_bodies": ACT_BODIES,
    "ratusz.bip.act_statuses": ACT_STATUSES,
    "ratusz.bip.announcement_kinds": ANNOUNCEMENT_KINDS,
    "ratusz.bip.procurement_procedures": PROCUREMENT_PROCEDURES,
    "ratusz.bip.procurement_value_ranges": PROCUREMENT_VALUE_RANGES,
    "ratusz.bip.procurement_statuses": PROCUREMENT_STATUSES,
    "ratusz.bip.vacancy_statuses": VACANCY_STATUSES,
    "ratusz.bip.declaration_kinds": DECLARATION_KINDS,
}


def _factory(vocabulary):
    @provider(IVocabularyFactory)
    def factory(context=None):
        return vocabulary

    return factory


ActKindsFactory = _factory(ACT_KINDS)
ActBodiesFactory = _factory(ACT_BODIES)
ActStatusesFactory = _factory(ACT_STATUSES)
AnnouncementKindsFactory = _factory(ANNOUNCEMENT_KINDS)
ProcurementProceduresFactory = _factory(PROCUREMENT_PROCEDURES)
ProcurementValueRangesFactory = _factory(PROCUREMENT_VALUE_RANGES)
ProcurementStatusesFactory = _factory(PROCUREMENT_STATUSES)
VacancyStatusesFactory = _factory(VACANCY_STATUSES)
DeclarationKindsFactory = _factory(DECLARATION_KINDS)
RegisterTypesFactory = _factory(REGISTER_TYPES)


def term_title(vocabulary_name, value):
    """The (translatable) title of ``value`` in a BIP vocabulary, or the value itself.

    >>> term_title("ratusz.bip.act_bodies", "council")
    'City Council'
    """
    try:
        return VOCABULARIES[vocabulary_name].getTerm(value).title
    except LookupError:
        return value
