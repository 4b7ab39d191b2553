"""``GET <bip root>/@bip-changes``: the change register, filtered and batched."""

from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.i18n import translate

from ratusz.bip import changelog
from ratusz.bip.register import current_urls
from ratusz.bip.register import find_changes
from ratusz.bip.register import read_filters
from ratusz.bip.register import top_sections
from ratusz.bip.services.serializer import serialize_change
from ratusz.i18n import _

MAX_BATCH_SIZE = 200


def batching_problem(form):
    """Why the batching parameters of ``form`` cannot be used, or None.

    >>> batching_problem({"b_size": "100000"})
    'b_size must be a whole number from 1 to 200.'
    """
    for name, low, high in (("b_start", 0, None), ("b_size", 1, MAX_BATCH_SIZE)):
        value = form.get(name)
        if value is None:
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number < low or (high is not None and number > high):
            return _(
                "${name} must be a whole number from ${low} to ${high}.",
                mapping={"name": name, "low": low, "high": high or "∞"},
            )
    return None


class BipChangesGet(Service):
    """The register of a BIP root: ``from``, ``to`` (YYYY-MM-DD), ``section`` (an id)."""

    def reply(self):
        form = self.request.form
        problem = batching_problem(form)
        if problem is not None:
            raise BadRequest(translate(problem, context=self.request))
        filters, errors = read_filters(form, top_sections(self.context))
        if errors:
            raise BadRequest(
                " ".join(
                    f"{name}: {translate(message, context=self.request)}"
                    for name, message in errors.items()
                )
            )
        public_only = not changelog.sees_all_changes(self.context)
        batch = HypermediaBatch(self.request, find_changes(self.context, filters, public_only))
        entries = list(batch)
        urls = current_urls(entries)
        result = {
            "@id": batch.canonical_url,
            "items_total": batch.items_total,
            "items": [
                serialize_change(entry, urls.get(entry["uid"]), self.request) for entry in entries
            ],
        }
        links = batch.links
        if links:
            result["batching"] = links
        return result
