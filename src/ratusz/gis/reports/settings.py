"""Citizen report settings (Site Setup → Citizen reports): categories, photo size, throttles."""

from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope import schema
from zope.component import adapter
from zope.interface import Interface

from ratusz.gis.reports.categories import DEFAULT_CATEGORIES
from ratusz.gis.reports.categories import check_category_lines
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from ratusz.settings import registry_setting
from ratusz.validators import has_no_markup

PREFIX = "ratusz.gis.reports"


class IReportsSettings(Interface):
    categories = schema.List(
        title=_("Categories"),
        description=_(
            "One category a line: code | Polish title | English title | Ukrainian title. "
            "The code (small letters, digits, - and _) is stored on each report and used by "
            "the API: keep it when you change the titles."
        ),
        value_type=schema.TextLine(max_length=400),
        default=list(DEFAULT_CATEGORIES),
        max_length=100,
        constraint=check_category_lines,
    )
    max_photo_mb = schema.Int(
        title=_("Largest photo (MB)"),
        description=_("A larger photo is refused with a message."),
        default=10,
        min=1,
        max=50,
    )
    reports_per_hour = schema.Int(
        title=_("Reports per hour from one address"),
        description=_("More are refused with a message until the hour has passed."),
        default=20,
        min=1,
        max=10000,
    )
    open311_reports_per_hour = schema.Int(
        title=_("Open311 reports per hour per API key"),
        description=_(
            "An application files for many residents from one server: its reports are "
            "counted per key, not per address. More are refused (429) until the hour has passed."
        ),
        default=200,
        min=1,
        max=100000,
    )
    information_clause = schema.Text(
        title=_("Information clause (short)"),
        description=_(
            "Shown above the report form (GDPR art. 13); empty: a text made from the city "
            "settings. The link to the full text is the one of Site Setup → E-services."
        ),
        required=False,
        max_length=5000,
        constraint=has_no_markup,
    )
    status_attempts = schema.Int(
        title=_("Wrong tracking tokens allowed per hour"),
        description=_("Per client address; then checking waits for that address."),
        default=10,
        min=1,
        max=1000,
    )


def reports_setting(name):
    """One citizen report setting (its default when the record is missing).

    >>> reports_setting("max_photo_mb")
    10
    """
    return registry_setting(IReportsSettings, PREFIX, name)


class ReportsSettingsForm(RegistryEditForm):
    schema = IReportsSettings
    schema_prefix = PREFIX
    label = _("Citizen reports")
    description = _("The categories residents choose from, the photo size and the throttles.")


ReportsSettingsView = layout.wrap_form(ReportsSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class ReportsSettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``@controlpanels/ratusz-reports-settings``."""

    schema = IReportsSettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-reports-settings"
    configlet_category_id = "plone-general"


def default_report_clause(request):
    """The clause the report form shows until an administrator writes one: the controller and
    contact from the city settings, what the optional contact data are for, the rights.

    >>> default_report_clause(request).startswith("Administratorem Twoich danych")
    True
    """
    from zope.i18n import translate

    from ratusz.site.settings import get_city_settings

    settings = get_city_settings()
    office = settings.office_name or api.portal.get().Title()
    contact = ", ".join(
        part for part in (" ".join((settings.street_address or "").split()), settings.email) if part
    )
    return translate(
        _(
            "default_report_clause",
            default=(
                "The controller of your personal data is ${office} (${contact}). Your name, "
                "e-mail and phone are optional: if you give them, the office uses them only to "
                "handle your report and to tell you how it goes (GDPR art. 6(1)(e)), shows them "
                "to nobody outside the office and keeps them as long as the report. The photo "
                "is published without its location and camera data. You have the right to "
                "access and rectify your data, to restrict their processing and to complain to "
                "the President of the Personal Data Protection Office (UODO)."
            ),
            mapping={"office": office, "contact": contact},
        ),
        context=request,
    )
