"""Every BIP item keeps every version (requirement B2: the change register).

plone.versioning offers each item a "Versioning enabled" switch; in the BIP
that switch is not the editor's to turn off, in the form or in the REST API.
"""

from plone.app.versioningbehavior.behaviors import IVersionable
from plone.app.versioningbehavior.behaviors import Versionable
from plone.z3cform.fieldsets.extensible import FormExtender
from zope.component import adapter
from zope.interface import implementer

from ratusz.bip.metadata import IBipMetadata


@implementer(IVersionable)
@adapter(IBipMetadata)
class AlwaysVersioned(Versionable):
    """IVersionable of a BIP item: versioning reads as on and cannot be switched off.

    >>> IVersionable(resolution).versioning_enabled = False
    >>> IVersionable(resolution).versioning_enabled
    True
    """

    @property
    def versioning_enabled(self):
        return True

    @versioning_enabled.setter
    def versioning_enabled(self, value):
        if getattr(self.context, "versioning_enabled", True) is not True:
            self.context.versioning_enabled = True


class HideVersioningSwitch(FormExtender):
    """Leave the versioning switch out of the add and edit forms of BIP items."""

    def update(self):
        self.remove("versioning_enabled", prefix="IVersionable")
