"""Schemas of the BIP content types (their FTIs are in profiles/default/types/).

Every item type also has the ``ratusz.bip.metadata`` behavior (the metadata
block) and ``plone.versioning`` (the change register). Dates are checked
against each other in invariants, files by their content, and short texts
refuse markup: what is typed here is shown to every visitor.
"""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema import ValidationError

from ratusz.bip.interfaces import IBipSection
from ratusz.i18n import _
from ratusz.validators import has_no_markup

MAX_PDF_BYTES = 50 * 1024 * 1024


class FileTooLarge(ValidationError):
    __doc__ = _("The file is larger than 50 MB.")


class NotAPdf(ValidationError):
    __doc__ = _("Upload a PDF file.")


class NotConfirmed(ValidationError):
    __doc__ = _("Confirm that the private data are removed from the declaration.")


def is_pdf(value):
    """Accept a PDF of at most 50 MB: the official text of an act or a declaration.

    The first bytes are checked, not the name or the browser's content type.
    """
    if value is None:
        return True
    if value.getSize() > MAX_PDF_BYTES:
        raise FileTooLarge(value.filename)
    head = value.data[:1024] if isinstance(value.data, bytes) else value.open().read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(value.filename)
    return True


def is_confirmed(value):
    """Refuse an unticked confirmation box."""
    if not value:
        raise NotConfirmed(value)
    return True


def _text_line(title, description=None, required=True, max_length=200):
    return schema.TextLine(
        title=title,
        description=description,
        required=required,
        max_length=max_length,
        constraint=has_no_markup,
    )


class IBipSectionSchema(model.Schema, IBipSection):
    """A section of the BIP subject menu."""

    text = RichText(
        title=_("Introduction"),
        description=_("Shown above the section's list of items."),
        required=False,
    )

    register_type = schema.Choice(
        title=_("Register of"),
        description=_(
            "The type of item this section lists as a register, with that type's "
            "columns and filters. Empty: a plain list."
        ),
        vocabulary="ratusz.bip.register_types",
        required=False,
    )


class IBipPage(model.Schema):
    """A page of public information (statute, organisation, budget, …)."""

    text = RichText(title=_("Text"), required=False)


class ILegalAct(model.Schema):
    """A resolution of the council or an order of the mayor."""

    act_kind = schema.Choice(title=_("Kind of act"), vocabulary="ratusz.bip.act_kinds")
    act_number = _text_line(
        _("Number"), _("As on the act, e.g. XII/123/2026 or 45/2026."), max_length=60
    )
    act_date = schema.Date(title=_("Date of the act"))
    act_body = schema.Choice(title=_("Issued by"), vocabulary="ratusz.bip.act_bodies")
    act_status = schema.Choice(
        title=_("Status"), vocabulary="ratusz.bip.act_statuses", default="in_force"
    )
    directives.widget("amended_by", RelatedItemsFieldWidget, pattern_options={"mode": "search"})
    amended_by = RelationList(
        title=_("Amended by"),
        description=_("The acts that amend this one."),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    directives.widget("repealed_by", RelatedItemsFieldWidget, pattern_options={"mode": "search"})
    repealed_by = RelationList(
        title=_("Repealed by"),
        description=_("The act that repeals this one."),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    act_file = NamedBlobFile(
        title=_("The act (PDF)"),
        description=_("The signed text of the act as a PDF file, at most 50 MB."),
        constraint=is_pdf,
    )
    text = RichText(title=_("Text or summary"), required=False)

    @invariant
    def status_matches_relations(data):
        if getattr(data, "act_status", None) == "in_force" and getattr(data, "repealed_by", None):
            raise Invalid(_("An act that another act repeals cannot be in force."))


class IAnnouncement(model.Schema):
    """An announcement or a public notice, shown for a publication period."""

    announcement_kind = schema.Choice(
        title=_("Kind"), vocabulary="ratusz.bip.announcement_kinds", default="announcement"
    )
    text = RichText(title=_("Text"), required=False)
    valid_from = schema.Date(title=_("Published from"))
    valid_to = schema.Date(
        title=_("Published until"),
        description=_("After this day the item moves to the archive by itself."),
    )

    @invariant
    def period_is_ordered(data):
        start, end = getattr(data, "valid_from", None), getattr(data, "valid_to", None)
        if start and end and end < start:
            raise Invalid(_("The end of the publication period is before its start."))


class IProcurement(model.Schema):
    """A public procurement: the notice, its documents and its result."""

    reference_number = _text_line(_("Reference number"), _("e.g. ZP.271.12.2026"), max_length=60)
    procedure = schema.Choice(title=_("Procedure"), vocabulary="ratusz.bip.procurement_procedures")
    value_range = schema.Choice(
        title=_("Estimated value"), vocabulary="ratusz.bip.procurement_value_ranges"
    )
    offers_deadline = schema.Datetime(title=_("Deadline for offers"))
    procurement_status = schema.Choice(
        title=_("Status"), vocabulary="ratusz.bip.procurement_statuses", default="open"
    )
    text = RichText(title=_("Description of the procurement"), required=False)
    result = RichText(
        title=_("Result"),
        description=_("The contractor chosen, or why the procedure was cancelled."),
        required=False,
    )

    @invariant
    def closed_procedures_have_a_result(data):
        status = getattr(data, "procurement_status", None)
        if status in ("awarded", "cancelled") and not getattr(data, "result", None):
            raise Invalid(_("Describe the result of an awarded or cancelled procurement."))


class IJobVacancy(model.Schema):
    """A recruitment for a post in the office (nabór)."""

    position = _text_line(_("Position"))
    unit = _text_line(_("Unit"), _("The department or unit of the office."))
    requirements = RichText(title=_("Requirements and duties"))
    deadline = schema.Datetime(title=_("Deadline for applications"))
    vacancy_status = schema.Choice(
        title=_("Status"), vocabulary="ratusz.bip.vacancy_statuses", default="open"
    )
    result = RichText(
        title=_("Result"),
        description=_("The person chosen (name and place of residence) or why nobody was."),
        required=False,
    )

    @invariant
    def resolved_vacancies_have_a_result(data):
        if getattr(data, "vacancy_status", None) == "resolved" and not getattr(
            data, "result", None
        ):
            raise Invalid(_("Describe the result of a resolved recruitment."))


class IAssetDeclaration(model.Schema):
    """An asset declaration of an official (art. 24h-24i of the local government act)."""

    person = _text_line(_("Person"), _("Full name of the person filing the declaration."))
    office = _text_line(_("Office or position"))
    declaration_year = schema.Int(title=_("Year"), min=1990, max=2100)
    declaration_kind = schema.Choice(
        title=_("Kind of declaration"), vocabulary="ratusz.bip.declaration_kinds"
    )
    declaration_file = NamedBlobFile(
        title=_("The declaration (PDF)"),
        description=_(
            "The published copy, with the home address and the location of real "
            "estate removed (art. 24i). At most 50 MB."
        ),
        constraint=is_pdf,
    )
    private_data_removed = schema.Bool(
        title=_("I confirm that the home address and the location of real estate are removed"),
        description=_(
            "The law publishes declarations without this private data; the file is "
            "public as soon as it is published."
        ),
        required=True,
        constraint=is_confirmed,
    )
