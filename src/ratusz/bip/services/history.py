"""``GET <item>/@bip-history``: the versions of a BIP item, newest first."""

from plone.restapi.services import Service

from ratusz.bip import changelog
from ratusz.bip.history import item_history
from ratusz.bip.services.serializer import serialize_change


class BipHistoryGet(Service):
    """The public versions of the item (all of them for the BIP staff)."""

    def reply(self):
        entries = item_history(
            self.context, public_only=not changelog.sees_all_changes(self.context)
        )
        url = self.context.absolute_url()
        return {
            "@id": f"{url}/@bip-history",
            "items_total": len(entries),
            "items": [serialize_change(entry, url, self.request) for entry in entries],
        }
