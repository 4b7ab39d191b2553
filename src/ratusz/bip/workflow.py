"""What the BIP workflow does besides changing states.

- Publishing is refused while the metadata block is incomplete: in the
  toolbar (a translated message naming the missing fields), in the REST API
  (400 with the same message) and in Python (``WorkflowException``).
- The first publication sets the publication date (``effective``).
- A section holding published or archived items cannot be deleted: BIP
  content is archived, never removed (requirements B2).
"""

import logging

from AccessControl import getSecurityManager
from Acquisition import aq_inner
from DateTime import DateTime
from plone import api
from plone.app.content.browser.content_status_modify import ContentStatusModifyView
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import Forbidden
from zope.globalrequest import getRequest
from zope.i18n import translate

from ratusz.bip import audit
from ratusz.bip.interfaces import IBipSection
from ratusz.bip.metadata import IBipMetadata
from ratusz.bip.metadata import missing_metadata
from ratusz.i18n import _

logger = logging.getLogger("ratusz.bip")

PUBLIC_STATES = ("published", "archived")


def missing_metadata_message(obj, request=None):
    """The translated refusal naming the empty fields, or None when nothing is missing.

    >>> missing_metadata_message(resolution)
    'Nie można opublikować: uzupełnij metryczkę (Wytworzył, Data wytworzenia).'
    """
    missing = missing_metadata(obj)
    if not missing:
        return None
    request = request or getRequest()
    names = ", ".join(translate(title, context=request) for title in missing)
    return translate(
        _(
            "Cannot publish: fill in the BIP metadata (${fields}).",
            mapping={"fields": names},
        ),
        context=request,
    )


def refuse_incomplete_publication(obj, event):
    """Stop the publish transition of an item whose metadata block is incomplete."""
    if event.transition is None or event.transition.id != "publish":
        return
    message = missing_metadata_message(obj)
    if message:
        audit.log_refused(obj, "publish", message)
        raise WorkflowException(message)


def set_publication_date(obj, event):
    """The first publication dates the item (``effective``); later ones keep that date."""
    if event.transition is None or event.transition.id != "publish":
        return
    if obj.effective_date is None:
        obj.setEffectiveDate(DateTime())
        obj.reindexObject(idxs=["effective", "EffectiveDate"])


def transition_comment(event):
    """The comment given with a transition, or "".

    ``doActionFor(obj, id, comment=…)`` passes it in the event's kwargs; the
    toolbar's form leaves it in the workflow status as "comments".
    """
    comment = (event.kwargs or {}).get("comment") or (event.status or {}).get("comments")
    return comment.strip() if isinstance(comment, str) else ""


def log_transition(obj, event):
    """Write every state change of BIP content to the audit log (requirements B5)."""
    if event.transition is None:
        return
    audit.log_change(obj, event.transition.id, transition_comment(event))


def holds_public_items(section):
    """True when ``section`` or a section below it holds a published or archived item.

    Walks the objects, not the catalog: when a removal is announced the
    catalog may already have dropped the entries below the section.

    >>> holds_public_items(portal.pl.bip)
    True
    """
    for child in section.objectValues():
        if IBipMetadata.providedBy(child):
            if api.content.get_state(child, default=None) in PUBLIC_STATES:
                return True
        elif IBipSection.providedBy(child) and holds_public_items(child):
            return True
    return False


def refuse_removing_public_content(obj, event):
    """Refuse to delete a section unless a BIP administrator asks and it holds no public item.

    Items themselves are protected by the workflow (only a Manager holds
    "Delete objects" in the public states); a section must be protected here
    because editors need that permission on it to delete their drafts.
    """
    if event.newParent is not None:  # a move or rename, not a removal
        return
    if getSecurityManager().checkPermission("Manage portal", obj):
        return
    # Editors hold "Delete objects" on sections for their drafts' sake, not
    # to remove the subject menu.
    if not getSecurityManager().checkPermission("Review portal content", obj):
        audit.log_refused(obj, "delete", "only BIP administrators delete sections")
        raise Forbidden(
            translate(_("Only BIP administrators delete BIP sections."), context=getRequest())
        )
    if holds_public_items(obj):
        audit.log_refused(obj, "delete", "section holds public items")
        raise Forbidden(
            translate(
                _("A BIP section that holds published items cannot be deleted. Archive them."),
                context=getRequest(),
            )
        )


class BipContentStatusModifyView(ContentStatusModifyView):
    """The toolbar's state menu: explain a refused publication instead of failing."""

    def __call__(self, workflow_action=None, comment="", **kwargs):
        context = aq_inner(self.context)
        if workflow_action == "publish":
            message = missing_metadata_message(context, self.request)
            if message:
                audit.log_refused(context, "publish", message)
                IStatusMessage(self.request).add(message, type="error")
                return self.request.response.redirect(f"{context.absolute_url()}/edit")
        return super().__call__(workflow_action=workflow_action, comment=comment, **kwargs)
