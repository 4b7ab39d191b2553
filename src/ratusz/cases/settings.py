"""Settings of document circulation (Site Setup → Document circulation)."""

from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope import schema
from zope.component import adapter
from zope.interface import Interface
from zope.schema import ValidationError

from ratusz.cases.numbering import DEFAULT_REGISTER_PATTERN
from ratusz.cases.numbering import check_register_pattern
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer

PREFIX = "ratusz.cases"


class BadPattern(ValidationError):
    """The pattern is not usable; the message says why."""

    def doc(self):
        return self.args[0]


def is_register_pattern(value):
    try:
        check_register_pattern(value)
    except ValueError as error:
        raise BadPattern(error.args[0])
    return True


class ICasesSettings(Interface):
    incoming_number_pattern = schema.TextLine(
        title=_("Number pattern of the incoming register"),
        description=_(
            "{n} is the running number of the year, {yyyy} the year, {yy} its last two digits; "
            "e.g. RPW/{n}/{yyyy} gives RPW/17/2026. A change applies to items registered after it."
        ),
        default=DEFAULT_REGISTER_PATTERN,
        max_length=50,
        constraint=is_register_pattern,
    )
    archive_after_days = schema.Int(
        title=_("Days before a settled case goes to the archive"),
        description=_(
            "Counted from the day it was settled; the default 30 leaves time for an appeal "
            "to reopen it."
        ),
        default=30,
        min=0,
        max=3650,
    )
    reminder_days = schema.Int(
        title=_("Remind the clerk this many days before a deadline"),
        default=3,
        min=1,
        max=30,
    )


def cases_setting(name, default=None):
    """A document circulation setting from the registry, ``default`` if it is not there.

    >>> cases_setting("archive_after_days")
    30
    """
    value = api.portal.get_registry_record(f"{PREFIX}.{name}", default=None)
    return default if value is None else value


class CasesSettingsForm(RegistryEditForm):
    schema = ICasesSettings
    schema_prefix = PREFIX
    label = _("Document circulation")
    description = _("How the incoming register numbers the items, and the clock of the cases.")


CasesSettingsView = layout.wrap_form(CasesSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class CasesSettingsControlpanel(RegistryConfigletPanel):
    """The same settings through plone.restapi: ``@controlpanels/ratusz-cases-settings``."""

    schema = ICasesSettings
    schema_prefix = PREFIX
    configlet_id = "ratusz-cases-settings"
    configlet_category_id = "plone-general"
