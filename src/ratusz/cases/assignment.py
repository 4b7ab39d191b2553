"""Assignment (dekretacja, K4): who handles an incoming item, by when, and how.

The secretariat (or the mayor) assigns an item to a department, optionally
with a deadline and an instruction; the department's head assigns it to a
clerk; either may send copies "for information". A head who may not handle
it sends it back to the secretariat, a clerk back to the head, each with a
reason. Every step is a workflow transition (``ratusz_incoming_workflow``)
and an entry of the item's assignment history, which nobody edits.

Who sees the item follows the assignment, through local roles on the item:
the department's heads group is Head of Department, the department's group
Reader, the clerk Clerk, people sent a copy Reader.
"""

from datetime import date
from datetime import datetime

from Acquisition import aq_base
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException

from ratusz.cases.notices import item_assigned
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import handled_by
from ratusz.cases.organisation import people_of
from ratusz.cases.organisation import set_managed_local_roles
from ratusz.i18n import _
from ratusz.validators import InputError
from ratusz.validators import checked_text

MAX_TEXT = 2000
ASSIGNMENT_TRANSITIONS = {"assign", "assign_clerk", "refuse_department", "refuse_clerk"}


class AssignmentError(InputError):
    """An assignment that cannot be made (``field``: the wrong input, or None)."""


def history(item):
    """The assignment history of ``item``, oldest first (read-only copies).

    >>> [entry["kind"] for entry in history(item)]
    ['department', 'clerk']
    """
    return [dict(entry) for entry in getattr(aq_base(item), "assignment_history", None) or ()]


def copies(item):
    """The users who received the item for information."""
    return list(getattr(aq_base(item), "copies", None) or ())


def _record(item, **entry):
    entries = getattr(aq_base(item), "assignment_history", None)
    if entries is None:
        entries = item.assignment_history = PersistentList()
    entry.setdefault("by", api.user.get_current().getId())
    entry["at"] = datetime.now()
    entries.append(PersistentMapping(entry))
    item_assigned(item, entry)


def _check_text(field, text, required=False):
    return checked_text(field, text, required, MAX_TEXT, AssignmentError)


def _check_deadline(deadline, today=None):
    if deadline is not None and deadline < (today or date.today()):
        raise AssignmentError("deadline", _("The deadline has passed."))
    return deadline


def _check_copies(user_ids):
    checked = []
    for user_id in user_ids or ():
        if api.user.get(userid=user_id) is None:
            raise AssignmentError(
                "copies", _("There is no user ${user}.", mapping={"user": user_id})
            )
        if user_id not in checked:
            checked.append(user_id)
    return checked


def _add_copies(item, user_ids):
    current = getattr(aq_base(item), "copies", None)
    if current is None:
        current = item.copies = PersistentList()
    added = [user_id for user_id in user_ids if user_id not in current]
    current.extend(added)
    return added


def apply_local_roles(item):
    """Give the department, its heads, the clerk and the copies their local roles on ``item``.

    Roles Ratusz gave before are taken back first: a re-assigned item is no
    longer seen by the department it left.
    """
    wanted = handled_by(
        getattr(item, "assigned_department", None),
        getattr(item, "assigned_clerk", None),
        copies(item),
    )
    set_managed_local_roles(item, wanted)


def _finish(item, copy_to, **entry):
    """Send the copies, write the history entry, give the local roles, reindex."""
    _record(item, copies=_add_copies(item, copy_to), **entry)
    apply_local_roles(item)
    item.reindexObject()


def _transition(item, transition, comment):
    item._v_ratusz_assigning = True
    try:
        api.content.transition(obj=item, transition=transition, comment=comment)
    except api.exc.InvalidParameterError:
        raise AssignmentError(None, _("You may not do this with the item in its present state."))
    finally:
        item._v_ratusz_assigning = False


def refuse_bare_transitions(item, event):
    """Refuse an assignment transition not made through this module (e.g. a bare
    ``content_status_modify``): it would leave the item without its department or clerk."""
    if event.transition is None or getattr(item, "_v_ratusz_assigning", False):
        return
    if event.transition.id in ASSIGNMENT_TRANSITIONS:
        raise WorkflowException(
            "Assign or send back an incoming item with its form (@@assign, @@refuse)."
        )


def assign_to_department(item, symbol, deadline=None, instruction="", copy_to=(), today=None):
    """Assign ``item`` to the department ``symbol`` (secretariat; also re-assignment).

    >>> assign_to_department(item, "OR", date(2026, 12, 4), "Proszę o odpowiedź")
    """
    department = department_by_symbol(symbol) if symbol else None
    if department is None:
        raise AssignmentError("department", _("Choose the department."))
    deadline = _check_deadline(deadline, today)
    instruction = _check_text("instruction", instruction)
    copy_to = _check_copies(copy_to)
    _transition(item, "assign", instruction)
    item.assigned_department = department.symbol
    item.assigned_clerk = None
    item.deadline = deadline
    item.instruction = instruction
    _finish(
        item,
        copy_to,
        kind="department",
        department=department.symbol,
        deadline=deadline,
        instruction=instruction,
    )


def assign_to_clerk(item, user_id, deadline=None, instruction="", copy_to=(), today=None):
    """Assign ``item`` to a clerk of its department (the head; also re-assignment).

    The deadline stays the secretariat's unless the head gives an earlier one.

    >>> assign_to_clerk(item, "urzednik", instruction="Proszę przygotować odpowiedź")
    """
    department = department_by_symbol(getattr(item, "assigned_department", None) or "")
    if not user_id:
        raise AssignmentError("clerk", _("Choose the clerk."))
    if department is None or user_id not in people_of(department):
        raise AssignmentError(
            "clerk", _("${user} is not in the department.", mapping={"user": user_id})
        )
    deadline = _check_deadline(deadline, today)
    if deadline is not None and item.deadline is not None and deadline > item.deadline:
        raise AssignmentError(
            "deadline", _("The deadline is later than the one the secretariat set.")
        )
    instruction = _check_text("instruction", instruction)
    copy_to = _check_copies(copy_to)
    _transition(item, "assign_clerk", instruction)
    item.assigned_clerk = user_id
    if deadline is not None:
        item.deadline = deadline
    _finish(
        item,
        copy_to,
        kind="clerk",
        department=department.symbol,
        clerk=user_id,
        deadline=item.deadline,
        instruction=instruction,
    )


def refuse(item, reason):
    """Send the item back with ``reason``: a head to the secretariat, a clerk to the head.

    >>> refuse(item, "Sprawa należy do Wydziału Finansowego")
    """
    reason = _check_text("reason", reason, required=True)
    state = api.content.get_state(obj=item)
    if state == "assigned":
        _transition(item, "refuse_department", reason)
        _record(item, kind="refused", department=item.assigned_department, reason=reason)
        item.assigned_department = None
        item.deadline = None
    elif state == "assigned_clerk":
        _transition(item, "refuse_clerk", reason)
        _record(
            item,
            kind="refused",
            department=item.assigned_department,
            clerk=item.assigned_clerk,
            reason=reason,
        )
        item.assigned_clerk = None
    else:
        raise AssignmentError(None, _("You may not do this with the item in its present state."))
    apply_local_roles(item)
    item.reindexObject()
