"""``<section>/request-information``: how to ask for information, and the form."""

from datetime import timedelta

from Acquisition import aq_chain
from plone import api
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.browser.radio import RadioFieldWidget

from ratusz.bip.information_requests import storage
from ratusz.bip.information_requests.handlers import receive_information_request
from ratusz.bip.information_requests.interfaces import IInformationRequest
from ratusz.bip.interfaces import IBipRoot
from ratusz.bip.settings import bip_setting
from ratusz.i18n import _
from ratusz.site.settings import city_settings_for_display
from ratusz.site.settings import safe_email

# The honeypot: an input people never see (``hidden``), which bots fill in.
HONEYPOT = "website"
# The BIP section with the full data-protection information, per language.
DATA_PROTECTION_SECTION = {"pl": "ochrona-danych-osobowych"}
DATA_PROTECTION_SECTION_OTHER = "data-protection"


def bip_root_of(context):
    """The BIP home above ``context`` (``/pl/bip``), or None outside the BIP."""
    for obj in aq_chain(context):
        if IBipRoot.providedBy(obj):
            return obj
    return None


def data_protection_url(context):
    """The address of the BIP section on personal data (the full GDPR information), or None.

    >>> data_protection_url(api.content.get("/pl/bip/informacje-nieudostepnione"))
    'http://localhost:8080/Plone/pl/bip/ochrona-danych-osobowych'
    """
    root = bip_root_of(context)
    if root is None:
        return None
    section_id = DATA_PROTECTION_SECTION.get(root.Language(), DATA_PROTECTION_SECTION_OTHER)
    section = root.get(section_id)
    return section.absolute_url() if section is not None else None


class RequestInformationForm(form.Form):
    """The request form; on success the same address shows the thank-you page."""

    fields = field.Fields(IInformationRequest)
    fields["access_way"].widgetFactory = RadioFieldWidget
    fields["access_form"].widgetFactory = RadioFieldWidget
    ignoreContext = True
    label = _("Request for public information")
    template = ViewPageTemplateFile("../templates/requests_form.pt")
    thanks = ViewPageTemplateFile("../templates/requests_thanks.pt")
    honeypot = HONEYPOT

    information_request = None
    discarded = False

    def update(self):
        from ratusz.eservices.card import public_information_form_url

        # A request filed through the e-service becomes a tracked case with a
        # receipt; the BIP's own form serves sites without that e-service.
        target = public_information_form_url(self.context)
        if target:
            self.request.response.redirect(target)
            self.redirected = True
            return
        super().update()

    redirected = False

    def render(self):
        if self.redirected:
            return ""
        if self.information_request is not None or self.discarded:
            return self.thanks()
        return super().render()

    def updateWidgets(self):
        super().updateWidgets()
        self.widgets["text"].rows = 10
        self.widgets["postal_address"].rows = 3
        self.widgets["email"].autocomplete = "email"

    @button.buttonAndHandler(_("Send the request"), name="send")
    def handle_send(self, action):
        if self.request.form.get(HONEYPOT):
            # A bot: pretend all went well, keep nothing, send nothing.
            self.discarded = True
            return
        data, errors = self.extractData()
        if errors:
            self.show_invariant_errors_at_their_fields(errors)
            self.status = self.formErrorsMessage
            return
        self.information_request = receive_information_request(data, self.context, self.request)

    def show_invariant_errors_at_their_fields(self, errors):
        """Move an invariant's error next to the field it names (``FieldInvalid``).

        The person sees what to fix where to fix it, and screen readers
        announce it with that field (WCAG 3.3.1).
        """
        for error in errors:
            name = getattr(error.error, "field", None)
            widget = self.widgets.get(name) if name else None
            if error.widget is None and widget is not None and widget.error is None:
                error.widget = widget
                widget.error = error

    def office(self):
        """The city settings for the "how to ask" text: address, ePUAP inbox."""
        return city_settings_for_display(self.request)

    def office_email(self):
        """Where written requests go by e-mail: the BIP administrator, else the office."""
        return safe_email(bip_setting("administrator_email")) or safe_email(self.office().email)

    def data_protection_url(self):
        return data_protection_url(self.context)

    def receipt(self):
        """Number and dates for the thank-you page (a discarded request has no number)."""
        if self.information_request is not None:
            return {
                "number": self.information_request["number"],
                "received": self.information_request["received"],
                "deadline": self.information_request["deadline"],
            }
        received = storage.now()
        return {
            "number": None,
            "received": received,
            "deadline": received.date() + timedelta(days=storage.DEADLINE_DAYS),
        }

    def section_url(self):
        return self.context.absolute_url()

    def portal_url(self):
        return api.portal.get().absolute_url()
