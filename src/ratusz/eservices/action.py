"""The easyform action "Register as case", plugged in the way easyform's own actions are.

An editor adds it to a form like the mailer (Actions → Add new action). Its
settings (department, JRWA class, kind of case, which form fields name the
applicant) are empty by default: then they come from the service card the
form is in, so a card edited later steers its form without touching the
action. On submit the action registers an incoming item and a case (see
``ratusz.eservices.submission``); a refused submission shows its reason on
the form and stores nothing.
"""

from collective.easyform.actions import Action
from collective.easyform.actions import ActionFactory
from collective.easyform.api import get_context
from collective.easyform.config import FORM_ERROR_MARKER
from collective.easyform.interfaces import IAction
from plone.supermodel.exportimport import BaseHandler
from zope import schema
from zope.interface import implementer

from ratusz.i18n import _


class IRegisterAsCase(IAction):
    """Register each submission as an incoming item and a case."""

    department = schema.Choice(
        title=_("Department"),
        description=_("Empty: the service card's department."),
        vocabulary="ratusz.cases.departments",
        required=False,
    )
    jrwa = schema.TextLine(
        title=_("JRWA class"),
        description=_("Empty: the service card's class."),
        required=False,
        max_length=10,
    )
    case_kind = schema.Choice(
        title=_("Kind of case"),
        description=_("Gives the deadline and the workflow. Empty: the service card's kind."),
        vocabulary="ratusz.cases.kinds",
        required=False,
    )
    name_field = schema.ASCIILine(
        title=_("Field with the applicant's name"), default="applicant_name", max_length=100
    )
    email_field = schema.ASCIILine(
        title=_("Field with the applicant's e-mail"),
        description=_("The receipt and the news of the case go to this address."),
        default="applicant_email",
        max_length=100,
    )
    address_field = schema.ASCIILine(
        title=_("Field with the applicant's address"),
        default="applicant_address",
        required=False,
        max_length=100,
    )


@implementer(IRegisterAsCase)
class RegisterAsCase(Action):
    __doc__ = IRegisterAsCase.__doc__

    def __init__(self, **kw):
        for name, field in IRegisterAsCase.namesAndDescriptions():
            if isinstance(field, schema.Field):
                setattr(self, name, kw.pop(name, field.default))
        super().__init__(**kw)

    def onSuccess(self, fields, request):
        """Register the submission; on a refusal return ``{field or marker: message}``."""
        # Imported here: the submission pulls in the circulation machinery,
        # which this module (read when a form's model is parsed) does not need.
        from ratusz.eservices.submission import SubmissionRefused
        from ratusz.eservices.submission import register_submission

        try:
            register_submission(get_context(self), self, fields, request)
        except SubmissionRefused as refusal:
            return {refusal.field or FORM_ERROR_MARKER: refusal.message}
        return None


RegisterAsCaseAction = ActionFactory(
    RegisterAsCase, _("Register as case"), "ratusz.eservices.AddCaseAction"
)
RegisterAsCaseHandler = BaseHandler(RegisterAsCase)
