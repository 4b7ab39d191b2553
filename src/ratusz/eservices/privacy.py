"""What every e-service form gets besides its own fields: the information clause (GDPR art. 13,
requirement R1) with a required acknowledgement, and a honeypot field for robots.

Both are added by a form extender to any easyform form that registers cases,
so an editor cannot forget them and the form's own model stays the editor's.
"""

from collective.easyform.api import get_actions
from collective.easyform.interfaces import IEasyForm
from collective.easyform.interfaces import IEasyFormThanksPage
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.z3cform.fieldsets.extensible import FormExtender
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import field
from zope import schema
from zope.component import adapter
from zope.i18n import translate
from zope.interface import Interface
from zope.interface import Invalid
from zope.schema import getFieldsInOrder

from ratusz.eservices.action import IRegisterAsCase
from ratusz.eservices.settings import eservices_setting
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer

ACK_FIELD = "ratusz_privacy_acknowledged"
HONEYPOT_FIELD = "ratusz_website"


def registers_cases(form):
    """Whether ``form`` (an EasyForm) has an enabled "Register as case" action.

    >>> registers_cases(form)
    True
    """
    try:
        actions = get_actions(form)
    except Exception:  # a broken actions model: the form shows easyform's own error
        return False
    return any(
        IRegisterAsCase.providedBy(action) and action.required
        for _name, action in getFieldsInOrder(actions)
    )


def _acknowledged(value):
    if not value:
        raise Invalid(_("Confirm that you have read the information clause."))
    return True


class IEServiceFormExtras(Interface):
    ratusz_privacy_acknowledged = schema.Bool(
        title=_("I have read the information clause on the processing of personal data."),
        required=True,
        constraint=_acknowledged,
    )
    ratusz_website = schema.TextLine(
        title=_("Leave this field empty (protection against robots)"),
        required=False,
        max_length=200,
    )


@adapter(IEasyForm, IRatuszLayer, Interface)
class EServiceFormExtender(FormExtender):
    """Adds the acknowledgement and the honeypot to forms that register cases."""

    order = 1000  # after every other extender: the last fields of the form

    def update(self):
        if getattr(self.form, "thanksPage", False) or not registers_cases(self.context):
            return
        self.add(field.Fields(IEServiceFormExtras))


def default_clause(request):
    """The clause a site shows until its administrator writes its own (Site Setup →
    E-services): the controller and contact from the city settings, and the rights
    every clause must name.

    >>> default_clause(request).startswith("Administratorem Twoich danych")
    True
    """
    from ratusz.site.settings import get_city_settings

    settings = get_city_settings()
    office = settings.office_name or api.portal.get().Title()
    contact = ", ".join(
        part for part in (" ".join((settings.street_address or "").split()), settings.email) if part
    )
    return translate(
        _(
            "default_information_clause",
            default=(
                "The controller of your personal data is ${office} (${contact}). The data are "
                "processed to handle your matter, as the law requires of the office (GDPR art. "
                "6(1)(c) and (e)), and kept as long as the case file is (its archival "
                "category). Recipients are only bodies entitled by law. You have the right to "
                "access and rectify your data, to restrict their processing and to complain to "
                "the President of the Personal Data Protection Office (UODO). Giving the data "
                "is required to handle the matter."
            ),
            mapping={"office": office, "contact": contact},
        ),
        context=request,
    )


class InformationClauseViewlet(ViewletBase):
    """The short information clause above a form that registers cases, with the link to the
    full text (layered notice, R1)."""

    index = ViewPageTemplateFile("templates/information_clause.pt")

    def update(self):
        super().update()
        self.clause = eservices_setting("information_clause") or default_clause(self.request)
        self.full_url = eservices_setting("information_clause_url") or ""

    def render(self):
        if IEasyFormThanksPage.providedBy(self.request) or not registers_cases(self.context):
            return ""
        return self.index()

    def paragraphs(self):
        return [part.strip() for part in self.clause.split("\n\n") if part.strip()]
