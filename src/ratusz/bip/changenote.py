"""The change-note rule: a change of a public BIP item says what changed (requirements B2).

Editing a published (or archived) item saves a version whose note is shown to
everybody in the item's history and in the change register, so the note is
required there. The same rule guards the edit form (a z3c.form validator of
plone.app.versioningbehavior's ``changeNote``) and the REST API (see
``ratusz.bip.services.deserializer``).
"""

from plone import api
from plone.app.versioningbehavior.behaviors import IVersionable
from z3c.form import validator
from zope.i18n import translate
from zope.interface import Invalid

from ratusz.bip.metadata import IBipMetadata
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer

PUBLIC_STATES = ("published", "archived")
MAX_NOTE_LENGTH = 1000

MISSING_NOTE = _(
    "Describe the change: a published item keeps every change in its public change "
    "register, with this note."
)
NOTE_TOO_LONG = _(
    "The change note is too long: at most ${max} characters.",
    mapping={"max": MAX_NOTE_LENGTH},
)


def change_note_required(obj):
    """True when a change of ``obj`` must say what changed: the item is public.

    >>> change_note_required(published_resolution)
    True
    """
    return api.content.get_state(obj, default=None) in PUBLIC_STATES


def change_note_problem(obj, note):
    """The (translatable) reason why ``note`` may not go with a change of ``obj``, or None.

    >>> change_note_problem(published_resolution, "  ")
    'Describe the change: …'
    """
    if note is not None and not isinstance(note, str):
        return MISSING_NOTE
    if note and len(note) > MAX_NOTE_LENGTH:
        return NOTE_TOO_LONG
    if change_note_required(obj) and not (note or "").strip():
        return MISSING_NOTE
    return None


def change_note_message(obj, note, request):
    """:func:`change_note_problem` translated for ``request``, or None."""
    problem = change_note_problem(obj, note)
    return translate(problem, context=request) if problem is not None else None


class ChangeNoteValidator(validator.SimpleFieldValidator):
    """The edit form refuses to save a public BIP item without a change note."""

    def validate(self, value, force=False):
        super().validate(value, force)
        problem = change_note_problem(self.context, value)
        if problem is not None:
            raise Invalid(problem)


validator.WidgetValidatorDiscriminators(
    ChangeNoteValidator,
    context=IBipMetadata,
    request=IRatuszLayer,
    field=IVersionable["changeNote"],
)
