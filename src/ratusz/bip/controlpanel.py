"""The "BIP settings" control panel (Site Setup → General): the editorial office.

BIP administrators may open it without any other Site Setup rights: the
view is protected by ``ratusz.ManageBipSettings`` (see ``views.zcml``).
"""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface

from ratusz.bip.settings import IBipSettings
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer

PREFIX = "ratusz.bip"


class BipSettingsForm(RegistryEditForm):
    schema = IBipSettings
    schema_prefix = PREFIX
    label = _("BIP settings")
    description = _(
        "The BIP editorial office and its contacts, shown on the BIP home page (rBIP § 11)."
    )


BipSettingsView = layout.wrap_form(BipSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class BipSettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``/++api++/@controlpanels/ratusz-bip-settings``."""

    schema = IBipSettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-bip-settings"
    configlet_category_id = "plone-general"
