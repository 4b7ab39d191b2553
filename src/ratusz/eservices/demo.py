"""The demo city's service cards (``ratusz:demo-eservices``), from ``data/cards.json``.

The data are written for the fictional city of Przykładowo (see data/README.md);
a real office writes its own cards in the site.
"""

import json
from pathlib import Path

from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent

from ratusz.eservices.forms import create_online_form
from ratusz.eservices.structure import create_catalogues

CARDS = Path(__file__).parent / "data" / "cards.json"
# Who handles the demo's cases of a card (the demo clerk is also in SO, for registrations).
DEMO_CLERKS = {"zameldowanie": "urzednik", "wymeldowanie": "urzednik"}
TEXT_FIELDS = (
    "title",
    "description",
    "purpose",
    "eligibility",
    "required_documents",
    "fees",
    "handling_time",
    "legal_basis",
    "place",
    "opening_hours",
    "appeal",
    "life_events",
    "department",
    "jrwa",
)


def demo_cards():
    """The demo cards as dicts (see data/README.md for the keys).

    >>> [card["id"] for card in demo_cards()][:1]
    ['zameldowanie']
    """
    return json.loads(CARDS.read_text(encoding="utf-8"))


def install_demo_eservices(context):
    """Create the demo cards in ``/pl/e-uslugi``, publish them and their forms."""
    create_demo_cards()


def create_demo_cards():
    """Create the demo cards that are missing; link related services. Returns the catalogue.

    >>> sorted(create_demo_cards().objectIds())[:2]
    ['ceidg', 'deklaracja-odpady']
    """
    catalogue = create_catalogues()["pl"]
    intids = getUtility(IIntIds)
    made = {}
    for spec in demo_cards():
        card = catalogue.get(spec["id"])
        if card is None:
            card = api.content.create(
                container=catalogue,
                type="ServiceCard",
                id=spec["id"],
                case_kind=spec["case_kind"],
                clerk=DEMO_CLERKS.get(spec["id"]),
                language="pl",
                **{name: spec[name] for name in TEXT_FIELDS},
            )
            api.content.transition(obj=card, transition="publish")
            if spec.get("form"):
                form = create_online_form(
                    card, spec["form"]["fields"], title=f"{spec['title']} — formularz"
                )
                api.content.transition(obj=form, transition="publish")
        made[spec["id"]] = card
    for spec in demo_cards():
        card = made[spec["id"]]
        if not card.related:
            card.related = [
                RelationValue(intids.getId(made[other]))
                for other in spec["related"]
                if other in made
            ]
            notify(ObjectModifiedEvent(card))  # the relation catalog learns the links
    return catalogue
