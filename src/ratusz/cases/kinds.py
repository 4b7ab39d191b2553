"""Case kinds: what a case is about decides its deadline and the workflow it follows.

A kind is a set of registry records under ``ratusz.cases.kinds/<id>`` (a
plone.registry collection of ``ICaseKind``), so an integrator adds or changes
kinds in a profile's ``registry.xml`` alone::

    <records interface="ratusz.cases.kinds.ICaseKind" prefix="ratusz.cases.kinds/building">
      <value key="title">Pozwolenie na budowę</value>
      <value key="term">2m</value>
      <value key="workflow">ratusz_case_supplement</value>
    </records>

A case copies its kind's workflow when it is opened and keeps it: changing a
kind later does not move existing cases to another workflow.
"""

from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from ratusz.cases.deadlines import TERMS
from ratusz.i18n import _

PREFIX = "ratusz.cases.kinds"


class ICaseKind(Interface):
    title = schema.TextLine(title=_("Name"), max_length=200)
    term = schema.TextLine(
        title=_("Deadline"),
        description=_("7d, 14d, 1m or 2m (KPA); empty: no statutory deadline."),
        required=False,
        max_length=5,
    )
    workflow = schema.TextLine(
        title=_("Workflow"), description=_("The id of a case workflow."), max_length=100
    )


def case_kinds():
    """``{id: proxy}`` of the kinds in the registry (title, term, workflow).

    >>> sorted(case_kinds())
    ['approval', 'certificate', 'complaint', 'general', 'information', 'supplement']
    """
    registry = getUtility(IRegistry)
    return dict(registry.collectionOfInterface(ICaseKind, prefix=PREFIX).items())


def kind_info(kind_id):
    """``{"title", "term", "workflow"}`` of a kind, or None for an unknown kind.

    >>> kind_info("certificate")["term"]
    '7d'
    """
    kind = case_kinds().get(kind_id)
    if kind is None:
        return None
    term = (kind.term or "").strip() or None
    return {
        "id": kind_id,
        "title": kind.title,
        "term": term if term in TERMS else None,
        "workflow": kind.workflow,
    }


@provider(IVocabularyFactory)
def case_kinds_vocabulary(context):
    """The kinds for a case form, by title."""
    items = sorted(case_kinds().items(), key=lambda item: item[1].title or item[0])
    return SimpleVocabulary(
        [SimpleTerm(kind_id, kind_id, kind.title or kind_id) for kind_id, kind in items]
    )
