"""Small helpers to make and change BIP content in tests (shared: keep them small and stable)."""

from datetime import date

from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from Products.CMFCore.indexing import processQueue
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.globalrequest import getRequest
from zope.lifecycleevent import ObjectModifiedEvent

# Where plone.app.versioningbehavior keeps the change note of the current request.
CHANGE_NOTE = "plone.app.versioningbehavior-changeNote"

METADATA = {
    "bip_produced_by": "Anna Kowalska, inspektor",
    "bip_producing_unit": "Wydział Organizacyjny",
    "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
    "bip_date_produced": date(2026, 1, 5),
}


def html(text):
    """A rich text value as the editor stores it."""
    return RichTextValue(text, "text/html", "text/x-html-safe")


def make_act(
    container=None, title="Uchwała w sprawie testowej", number="I/1/2026", editor=None, **fields
):
    """A draft legal act with a complete metadata block, in ``/pl/bip/prawo-lokalne/uchwaly``,
    entered by the user ``editor`` (a demo login) or by a Manager.

    >>> make_act(title="Uchwała nr I/1/2026", editor="redaktor").portal_type
    'BipLegalAct'
    """
    portal = api.portal.get()
    container = container or portal.pl.bip["prawo-lokalne"]["uchwaly"]
    values = dict(
        act_kind="resolution",
        act_number=number,
        act_date=date(2026, 1, 5),
        act_body="council",
        act_status="in_force",
        act_file=NamedBlobFile(b"%PDF-1.4 test", filename="uchwala.pdf"),
        text=html("<p>Rada Miasta postanawia.</p>"),
        **METADATA,
    )
    values.update(fields)
    with _acting_as(editor):
        act = api.content.create(container=container, type="BipLegalAct", title=title, **values)
    # As at the end of a request: later moves find the item in the catalog.
    processQueue()
    return act


def publish(obj, comment="", by=None):
    """Publish ``obj`` as the user ``by`` (e.g. "sekretarz") or a Manager."""
    with _acting_as(by):
        api.content.transition(obj=obj, transition="publish", comment=comment)
    return obj


def make_published_act(container=None, title="Uchwała w sprawie testowej", staff=False, **fields):
    """A published legal act with a complete metadata block; with ``staff`` entered by
    ``redaktor`` and published by ``sekretarz`` (the demo users), else by a Manager.

    >>> api.content.get_state(make_published_act())
    'published'
    """
    act = make_act(container, title=title, editor="redaktor" if staff else None, **fields)
    return publish(act, by="sekretarz" if staff else None)


def edit(obj, note="", by=None, **fields):
    """Change ``obj`` as the edit form does: set fields, give the change note, fire the event.

    >>> edit(act, note="Poprawiono datę", by="redaktor", act_date=date(2026, 1, 6))
    """
    requests = {id(r): r for r in (obj.REQUEST, getRequest()) if r is not None}.values()
    for request in requests:
        IAnnotations(request)[CHANGE_NOTE] = note
    try:
        with _acting_as(by):
            for name, value in fields.items():
                setattr(obj, name, value)
            if fields:
                obj.notifyModified()
            notify(ObjectModifiedEvent(obj))
    finally:
        for request in requests:
            IAnnotations(request).pop(CHANGE_NOTE, None)
    return obj


def in_any_language(message):
    """``message`` as English (the msgid) and as Polish, for tests that must pass both
    before and after the lead's translation.

    >>> in_any_language(MISSING_NOTE)
    {'Describe the change: …', 'Opisz zmianę: …'}
    """
    from zope.i18n import translate

    return {translate(message, target_language=language) for language in ("en", "pl")}


def shows(contents, message):
    """True when ``contents`` (a page or a JSON text) shows ``message`` in English or Polish."""
    if isinstance(contents, bytes):
        contents = contents.decode("utf-8", "replace")
    return any(text in contents for text in in_any_language(message))


def _acting_as(login):
    if login:
        return api.env.adopt_user(username=login)
    return api.env.adopt_roles(["Manager"])
