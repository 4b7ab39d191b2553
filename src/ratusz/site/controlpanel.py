"""The "City settings" control panel (Site Setup → General)."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface

from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from ratusz.site.interfaces import ICitySettings
from ratusz.site.settings import PREFIX


class CitySettingsForm(RegistryEditForm):
    schema = ICitySettings
    schema_prefix = PREFIX
    label = _("City settings")
    description = _("The city's name, coat of arms, colours and contact data shown on every page.")


CitySettingsView = layout.wrap_form(CitySettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class CitySettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``/++api++/@controlpanels/ratusz-city-settings``.

    The @controlpanels service marks its request with IControlpanelLayer;
    our adapter is for IRatuszLayer so that only Ratusz sites offer it.
    """

    schema = ICitySettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-city-settings"
    configlet_category_id = "plone-general"
