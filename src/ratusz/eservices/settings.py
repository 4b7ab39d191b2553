"""E-service settings (Site Setup → E-services): upload limits, throttling, information clause."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope import schema
from zope.component import adapter
from zope.interface import Interface

from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from ratusz.settings import registry_setting
from ratusz.validators import has_no_markup

PREFIX = "ratusz.eservices"


class IEServicesSettings(Interface):
    max_file_mb = schema.Int(
        title=_("Largest file (MB)"),
        description=_("A larger uploaded file is refused with a message."),
        default=10,
        min=1,
        max=100,
    )
    max_submission_mb = schema.Int(
        title=_("Largest submission (MB)"),
        description=_("All files of one submission together."),
        default=50,
        min=1,
        max=500,
    )
    submissions_per_hour = schema.Int(
        title=_("Submissions per hour from one address"),
        description=_("More are refused with a message until the hour has passed."),
        default=20,
        min=1,
        max=10000,
    )
    tracking_attempts = schema.Int(
        title=_("Wrong tracking keys allowed per hour"),
        description=_("Per client address and per case; then tracking waits."),
        default=5,
        min=1,
        max=1000,
    )
    information_clause = schema.Text(
        title=_("Information clause (short)"),
        description=_(
            "Shown on every e-service form (GDPR art. 13): controller, data protection "
            "officer, purposes and legal basis, recipients, retention, rights, complaint to "
            "the President of UODO, whether giving the data is required."
        ),
        required=False,
        max_length=5000,
        constraint=has_no_markup,
    )
    information_clause_url = schema.URI(
        title=_("Full information clause"),
        description=_("Address of the page with the full text."),
        required=False,
    )


def eservices_setting(name):
    """One e-service setting from the registry (its default when the record is missing).

    >>> eservices_setting("max_file_mb")
    10
    """
    return registry_setting(IEServicesSettings, PREFIX, name)


def upload_limits():
    """``(bytes per file, bytes per submission)``.

    >>> upload_limits()
    (10485760, 52428800)
    """
    return (
        eservices_setting("max_file_mb") * 1024 * 1024,
        eservices_setting("max_submission_mb") * 1024 * 1024,
    )


class EServicesSettingsForm(RegistryEditForm):
    schema = IEServicesSettings
    schema_prefix = PREFIX
    label = _("E-services")
    description = _(
        "Upload limits and throttles of the online forms, and the information clause they show."
    )


EServicesSettingsView = layout.wrap_form(EServicesSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class EServicesSettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``@controlpanels/ratusz-eservices-settings``."""

    schema = IEServicesSettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-eservices-settings"
    configlet_category_id = "plone-general"
