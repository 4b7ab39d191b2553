"""The "City settings" control panel (Site Setup → General)."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout

from ratusz.i18n import _
from ratusz.site.interfaces import ICitySettings
from ratusz.site.settings import PREFIX


class CitySettingsForm(RegistryEditForm):
    schema = ICitySettings
    schema_prefix = PREFIX
    label = _("City settings")
    description = _("The city's name, coat of arms, colours and contact data shown on every page.")


CitySettingsView = layout.wrap_form(CitySettingsForm, ControlPanelFormWrapper)
