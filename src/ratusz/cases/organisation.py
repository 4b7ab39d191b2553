"""The office's organisation: departments (komórki organizacyjne) mapped to Plone groups.

A department has a symbol (OR, FN, GK…: the first part of its case signs), a
head, a secretariat and members. Roles follow membership: each department
keeps three groups that Ratusz manages from the department's form (changes
made to them elsewhere are overwritten on the next save):

- ``ratusz-unit-<id>``: everybody in the department, nested in ``ratusz-staff``
  (the role Staff: the intranet);
- ``ratusz-unit-<id>-heads``: the head and the deputies in force, nested in
  ``ratusz-department-heads``; it has the local role "Head of Department" on
  the department (to name deputies, and later to assign cases);
- ``ratusz-unit-<id>-secretariat``: the secretariat.

A head names a deputy for a date range; the daily job
``ratusz.cases.sync_deputies`` puts deputies into the heads group on their
first day and takes them out after their last.
"""

import re
import uuid
from datetime import date
from datetime import datetime

from Acquisition import aq_base
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.content.namechooser import NormalizingNameChooser
from plone.app.z3cform.widgets.select import AjaxSelectFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from zope import schema
from zope.component import adapter
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import implementer
from zope.schema import ValidationError

from ratusz.cases.structure import DEPARTMENTS_ID
from ratusz.cases.structure import INTRANET_ID
from ratusz.i18n import _
from ratusz.jobs import IDailyJob
from ratusz.validators import InputError
from ratusz.validators import checked_text
from ratusz.validators import has_no_markup

STAFF_GROUP = "ratusz-staff"
HEADS_GROUP = "ratusz-department-heads"
HEAD_ROLE = "Head of Department"
CLERK_ROLE = "Clerk"
READER_ROLE = "Reader"
# The local roles Ratusz gives and takes back as items and cases move.
MANAGED_ROLES = frozenset({HEAD_ROLE, CLERK_ROLE, READER_ROLE})
UNIT_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
MAX_REASON = 500
USERS = "plone.app.vocabularies.Users"
# Group titles, in the site's language (Site Setup → Groups shows them).
HEADS_TITLE = _("${unit}: head and deputies")
SECRETARIAT_TITLE = _("${unit}: secretariat")


class IIntranet(model.Schema):
    """The staff-only area (``/intranet``): title and description only."""


class IDepartmentDirectory(model.Schema):
    """The folder of departments (``/intranet/wydzialy``), shown as the staff directory."""


class NotAUnitSymbol(ValidationError):
    __doc__ = _(
        "A symbol is 1 to 10 capital letters or digits, starting with a letter (e.g. OR, FN, GK)."
    )


class SymbolTaken(ValidationError):
    __doc__ = _("Another department already has this symbol.")


class UnitSymbol(schema.TextLine):
    """The symbol of a department: its format, and unique among the departments."""

    def _validate(self, value):
        super()._validate(value)
        if not UNIT_SYMBOL.match(value or ""):
            raise NotAUnitSymbol(value)
        for department in departments():
            if department.symbol == value and aq_base(department) is not aq_base(self._edited()):
                raise SymbolTaken(value)

    def _edited(self):
        """The department being edited (it may keep its symbol), or None when adding one.

        The field is bound to it when plone.restapi deserializes; Dexterity's
        edit form validates unbound, so the published view's context says.
        """
        if IDepartment.providedBy(self.context):
            return self.context
        request = getRequest()
        published = request.get("PUBLISHED") if request is not None else None
        edited = getattr(published, "context", None)
        return edited if IDepartment.providedBy(edited) else None


class IDepartment(model.Schema):
    """A department of the office."""

    symbol = UnitSymbol(
        title=_("Symbol"),
        description=_(
            "Capital letters, as in the office's rules, e.g. OR. "
            "It starts every case sign of the department."
        ),
        max_length=10,
    )
    title = schema.TextLine(title=_("Name"), max_length=200, constraint=has_no_markup)
    description = schema.Text(
        title=_("Tasks"), required=False, max_length=2000, constraint=has_no_markup
    )
    directives.widget("head", AjaxSelectFieldWidget, vocabulary=USERS)
    head = schema.Choice(title=_("Head"), vocabulary=USERS, required=False)
    directives.widget("secretariat", AjaxSelectFieldWidget, vocabulary=USERS)
    secretariat = schema.List(
        title=_("Secretariat"),
        value_type=schema.Choice(vocabulary=USERS),
        required=False,
        default=[],
        max_length=50,
    )
    directives.widget("members", AjaxSelectFieldWidget, vocabulary=USERS)
    members = schema.List(
        title=_("Members"),
        description=_("The clerks of the department."),
        value_type=schema.Choice(vocabulary=USERS),
        required=False,
        default=[],
        max_length=500,
    )


@adapter(IDepartmentDirectory)
class DepartmentNameChooser(NormalizingNameChooser):
    """A department's id is its symbol in small letters (``or``), not its long name."""

    def chooseName(self, name, obj):
        if not name and IDepartment.providedBy(obj) and getattr(obj, "symbol", None):
            name = obj.symbol.lower()
        return super().chooseName(name, obj)


# --- finding departments -------------------------------------------------------------


def departments():
    """Every department of the site, whoever asks (departments are few: woken, not listed).

    >>> [d.symbol for d in departments()]
    ['FN', 'GK', 'OR', 'OS', 'SO', 'USC']
    """
    # Read from their folder, not the catalog: a catalog search first indexes
    # everything queued in the transaction, and this runs many times per request.
    intranet = api.portal.get().get(INTRANET_ID)
    directory = intranet.get(DEPARTMENTS_ID) if intranet is not None else None
    if directory is not None:
        found = [obj for obj in directory.objectValues() if IDepartment.providedBy(obj)]
    else:
        catalog = api.portal.get_tool("portal_catalog")
        found = [
            brain._unrestrictedGetObject()
            for brain in catalog.unrestrictedSearchResults(portal_type="Department")
        ]
    return sorted(found, key=lambda department: department.symbol or "")


def department_by_symbol(symbol):
    """The department with ``symbol``, or None.

    >>> department_by_symbol("OR").title
    'Wydział Organizacyjny'
    """
    for department in departments():
        if department.symbol == symbol:
            return department
    return None


def departments_of(user_id):
    """The departments ``user_id`` belongs to (as head, secretariat, member or deputy today).

    >>> [d.symbol for d in departments_of("urzednik")]
    ['OR']
    """
    return [d for d in departments() if user_id in people_of(d)]


# --- groups ---------------------------------------------------------------------------


def group_ids(department):
    """The three groups of ``department``: ``{"unit": …, "heads": …, "secretariat": …}``.

    Named once, from the department's id when first saved: renaming the
    department or changing its symbol keeps its groups.

    >>> group_ids(portal.intranet.wydzialy["or"])["heads"]
    'ratusz-unit-or-heads'
    """
    base = getattr(aq_base(department), "_group_base", None)
    if base is None:
        base = department._group_base = f"ratusz-unit-{department.getId()}"
    return {"unit": base, "heads": f"{base}-heads", "secretariat": f"{base}-secretariat"}


def heads_today(department, today=None):
    """The head and the deputies in force ``today``, as user ids (head first).

    >>> heads_today(department, date(2026, 12, 1))
    ['kierownik', 'urzednik']
    """
    people = [department.head] if department.head else []
    for entry in deputies_in_force(department, today):
        if entry["deputy"] not in people:
            people.append(entry["deputy"])
    return people


def people_of(department, today=None):
    """Everybody in the department ``today``: head, deputies, secretariat, members."""
    people = []
    for user_id in (
        heads_today(department, today)
        + list(department.secretariat or ())
        + list(department.members or ())
    ):
        if user_id not in people:
            people.append(user_id)
    return people


def _set_members(group_id, title, wanted):
    groups = api.portal.get_tool("portal_groups")
    if groups.getGroupById(group_id) is None:
        api.group.create(groupname=group_id, title=title)
    else:
        groups.editGroup(group_id, title=title)
    group = groups.getGroupById(group_id)
    current = set(group.getGroupMemberIds())
    for user_id in current - set(wanted):
        groups.removePrincipalFromGroup(user_id, group_id)
    for user_id in wanted:
        if user_id not in current and api.user.get(userid=user_id) is not None:
            groups.addPrincipalToGroup(user_id, group_id)


def _nest(group_id, parent_id):
    groups = api.portal.get_tool("portal_groups")
    parent = groups.getGroupById(parent_id)
    if parent is not None and group_id not in parent.getGroupMemberIds():
        groups.addPrincipalToGroup(group_id, parent_id)


def sync_department(department, today=None):
    """Make the department's groups and local roles match its form and today's deputies.

    >>> sync_department(portal.intranet.wydzialy["or"])
    """
    ids = group_ids(department)
    label = f"{department.title} ({department.symbol})"
    language = api.portal.get_default_language()

    def title(message):
        return translate(Message(message, mapping={"unit": label}), target_language=language)

    _set_members(ids["unit"], label, people_of(department, today))
    _set_members(ids["heads"], title(HEADS_TITLE), heads_today(department, today))
    _set_members(ids["secretariat"], title(SECRETARIAT_TITLE), list(department.secretariat or ()))
    _nest(ids["unit"], STAFF_GROUP)
    _nest(ids["heads"], HEADS_GROUP)
    department.manage_setLocalRoles(ids["heads"], [HEAD_ROLE])
    department.reindexObjectSecurity()


def handled_by(department_symbol, clerk=None, readers=()):
    """``{principal: roles}`` for something a department handles: its heads group is Head
    of Department, its group Reader, ``clerk`` Clerk, ``readers`` (copies) Reader."""
    wanted = {}
    department = department_by_symbol(department_symbol) if department_symbol else None
    if department is not None:
        ids = group_ids(department)
        wanted.setdefault(ids["heads"], set()).add(HEAD_ROLE)
        wanted.setdefault(ids["unit"], set()).add(READER_ROLE)
    if clerk:
        wanted.setdefault(clerk, set()).add(CLERK_ROLE)
    for user_id in readers:
        wanted.setdefault(user_id, set()).add(READER_ROLE)
    return wanted


def set_managed_local_roles(obj, wanted):
    """Make the managed local roles of ``obj`` exactly ``wanted`` (``{principal: roles}``);
    other local roles (the owner's, those given in Sharing) stay."""
    for principal, roles in obj.get_local_roles():
        kept = [role for role in roles if role not in MANAGED_ROLES]
        if len(kept) != len(roles):
            obj.manage_delLocalRoles([principal])
            if kept:
                obj.manage_setLocalRoles(principal, kept)
    for principal, roles in wanted.items():
        existing = set(dict(obj.get_local_roles()).get(principal, ()))
        obj.manage_setLocalRoles(principal, sorted(existing | set(roles)))
    obj.reindexObjectSecurity()


def remove_department_groups(department):
    """Delete the groups of a department that is removed (its people stay as users)."""
    groups = api.portal.get_tool("portal_groups")
    for group_id in group_ids(department).values():
        if groups.getGroupById(group_id) is not None:
            groups.removeGroup(group_id)


def department_saved(department, event):
    sync_department(department)


def department_removed(department, event):
    remove_department_groups(department)


# --- deputies -------------------------------------------------------------------------


class DeputyError(InputError):
    """A deputy that cannot be named."""


def substitutions(department):
    """Every deputy named for ``department``, earliest first (PersistentMappings)."""
    return list(getattr(aq_base(department), "substitutions", None) or ())


def deputies_in_force(department, today=None):
    """The substitutions whose range holds ``today``.

    >>> [s["deputy"] for s in deputies_in_force(department, date(2026, 12, 1))]
    ['urzednik']
    """
    today = today or date.today()
    return [s for s in substitutions(department) if s["start"] <= today <= s["end"]]


def name_deputy(department, deputy, start, end, reason="", named_by=None, today=None):
    """Name ``deputy`` to stand in for the head from ``start`` to ``end`` (dates, inclusive).

    Raises DeputyError (translatable) for an unknown user, the head himself, a
    range that ends before it starts or has ended, or a reason with markup.
    Returns the new entry's id.

    >>> name_deputy(department, "urzednik", date(2026, 12, 1), date(2026, 12, 4), "urlop")
    '5f0c…'
    """
    today = today or date.today()
    if api.user.get(userid=deputy) is None:
        raise DeputyError("deputy", _("There is no user ${user}.", mapping={"user": deputy}))
    if deputy == department.head:
        raise DeputyError("deputy", _("The head cannot be his or her own deputy."))
    if end < start:
        raise DeputyError("end", _("The last day is before the first day."))
    if end < today:
        raise DeputyError("end", _("The last day has passed."))
    reason = checked_text("reason", reason, False, MAX_REASON, DeputyError)
    entries = getattr(aq_base(department), "substitutions", None)
    if entries is None:
        entries = department.substitutions = PersistentList()
    entry = PersistentMapping(
        id=uuid.uuid4().hex,
        deputy=deputy,
        start=start,
        end=end,
        reason=reason,
        named_by=named_by or api.user.get_current().getId(),
        named_at=datetime.now(),
    )
    entries.append(entry)
    entries.sort(key=lambda e: (e["start"], e["end"]))
    sync_department(department, today)
    return entry["id"]


def cancel_deputy(department, entry_id, today=None):
    """Remove a named deputy (ended or not); return whether one was removed."""
    entries = getattr(aq_base(department), "substitutions", None) or []
    for index, entry in enumerate(entries):
        if entry["id"] == entry_id:
            del entries[index]
            sync_department(department, today)
            return True
    return False


@implementer(IDailyJob)
class SyncDeputiesJob:
    """The daily job ``ratusz.cases.sync_deputies``: deputies start and stop on their days."""

    title = "Put deputies of heads of department in force on their days, and out after"

    def __call__(self, portal, today):
        lines = []
        for department in departments():
            sync_department(department, today)
            for entry in deputies_in_force(department, today):
                lines.append(
                    f"{department.symbol}: {department.head or '—'} → {entry['deputy']} "
                    f"until {entry['end'].isoformat()}"
                )
        summary = f"Deputies in force: {len(lines)}"
        return [summary + (f" ({'; '.join(lines)})." if lines else ".")]
