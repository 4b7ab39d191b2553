"""BIP settings in the registry (prefix ``ratusz.bip``): the editorial office
("Redakcja BIP", rBIP § 11) and where requests for information go."""

from plone import api
from zope import schema
from zope.interface import Interface

from ratusz.i18n import _
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty


class IBipSettings(Interface):
    """What the BIP home and the request form need to know about the editors."""

    editorial_office = schema.Text(
        title=_("Editorial office"),
        description=_("Name and address of the BIP editorial office (Redakcja BIP)."),
        default="Redakcja BIP Urzędu Miasta Przykładowo\nul. Rynek 1, 99-999 Przykładowo",
        max_length=400,
        constraint=has_no_markup,
    )

    editor_name = schema.TextLine(
        title=_("Editor"),
        description=_("Name and position of at least one BIP editor."),
        default="Zofia Sekretarz, Sekretarz Miasta",
        max_length=200,
        constraint=has_no_markup,
    )

    editor_phone = schema.TextLine(
        title=_("Editor's phone"),
        default="+48 99 123 45 60",
        max_length=60,
        constraint=has_no_markup,
    )

    editor_email = schema.ASCIILine(
        title=_("Editor's e-mail"),
        default="bip@przykladowo.example",
        constraint=is_email_or_empty,
    )

    administrator_email = schema.ASCIILine(
        title=_("BIP administrator's e-mail"),
        description=_("Requests for information not published in the BIP are sent here."),
        default="bip@przykladowo.example",
        constraint=is_email_or_empty,
    )


def get_bip_settings():
    """The BIP settings record proxy.

    >>> get_bip_settings().editor_email
    'bip@przykladowo.example'
    """
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    return getUtility(IRegistry).forInterface(IBipSettings, prefix="ratusz.bip", check=False)


def bip_setting(name):
    """One BIP setting, e.g. ``bip_setting("editor_email")``."""
    return api.portal.get_registry_record(f"ratusz.bip.{name}", default=None)
