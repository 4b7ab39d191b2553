"""Test content for the BIP registers and search: items of every type, in every state.

``create_register_content(portal)`` fills the Polish BIP with acts of different years,
bodies and states, and one item of each other type; the tests of indexers,
registers and search (and the browser test) share it.
"""

from contextlib import contextmanager
from datetime import date
from datetime import datetime

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

METADATA = {
    "bip_produced_by": "Tomasz Wytwórca, inspektor",
    "bip_producing_unit": "Biuro Rady Miasta",
    "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
    "bip_date_produced": date(2026, 1, 2),
}

TRANSITIONS = {"draft": [], "published": ["publish"], "archived": ["publish", "archive"]}


def html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def pdf(filename="akt.pdf"):
    return NamedBlobFile(data=PDF, filename=filename, contentType="application/pdf")


def create_item(container, portal_type, title, state="published", **fields):
    """A BIP item with a complete metadata block, brought to ``state`` by a Manager."""
    with api.env.adopt_roles(["Manager"]):
        item = api.content.create(
            container=container, type=portal_type, title=title, **{**METADATA, **fields}
        )
        for transition in TRANSITIONS[state]:
            api.content.transition(obj=item, transition=transition)
    return item


def create_act(
    container,
    title,
    number,
    act_date,
    body="council",
    status="in_force",
    kind="resolution",
    state="published",
    **fields,
):
    return create_item(
        container,
        "BipLegalAct",
        title,
        state=state,
        act_kind=kind,
        act_number=number,
        act_date=act_date,
        act_body=body,
        act_status=status,
        act_file=pdf(),
        **fields,
    )


# The acts of the council resolutions register: (key, title, number, date, body, status,
# kind, state)
ACTS = (
    (
        "budget",
        "Uchwała w sprawie budżetu miasta na rok 2026",
        "XII/123/2026",
        date(2026, 1, 5),
        "council",
        "in_force",
        "resolution",
        "published",
    ),
    (
        "water",
        "Uchwała w sprawie opłat za wodę",
        "XI/98/2025",
        date(2025, 11, 20),
        "council",
        "repealed",
        "resolution",
        "published",
    ),
    (
        "order",
        "Zarządzenie w sprawie regulaminu pracy urzędu",
        "45/2026",
        date(2026, 2, 10),
        "mayor",
        "in_force",
        "order",
        "published",
    ),
    (
        "streets",
        "Uchwała w sprawie nazw ulic",
        "V/40/2024",
        date(2024, 6, 1),
        "council",
        "expired",
        "resolution",
        "archived",
    ),
    (
        "draft",
        "Uchwała w sprawie tajnego projektu",
        "XIII/130/2026",
        date(2026, 3, 1),
        "council",
        "in_force",
        "resolution",
        "draft",
    ),
)


def create_register_content(portal):
    """Acts in ``/pl/bip/prawo-lokalne/uchwaly`` and one item of every other type.

    Returns {key: object}.
    """
    bip = portal.pl.bip
    items = {}
    for key, title, number, act_date, body, status, kind, state in ACTS:
        items[key] = create_act(
            bip["prawo-lokalne"]["uchwaly"],
            title,
            number,
            act_date,
            body=body,
            status=status,
            kind=kind,
            state=state,
            text=html(f"<p>Treść aktu {number}: postanowienia ogólne.</p>"),
        )
    items["announcement"] = create_item(
        bip["ogloszenia-i-obwieszczenia"],
        "BipAnnouncement",
        "Obwieszczenie o wyłożeniu projektu planu miejscowego",
        announcement_kind="notice",
        valid_from=date(2026, 2, 1),
        valid_to=date(2026, 3, 1),
        text=html("<p>Projekt planu dla osiedla Zielonego.</p>"),
    )
    items["procurement"] = create_item(
        bip["zamowienia-publiczne"],
        "BipProcurement",
        "Budowa ścieżki rowerowej wzdłuż rzeki",
        reference_number="ZP.271.12.2026",
        procedure="basic",
        value_range="national",
        offers_deadline=datetime(2026, 4, 15, 10, 0),
        procurement_status="open",
    )
    items["vacancy"] = create_item(
        bip["nabor-na-stanowiska"],
        "BipJobVacancy",
        "Nabór na stanowisko inspektora",
        position="Inspektor ds. zamówień publicznych",
        unit="Wydział Inwestycji",
        requirements=html("<p>Wykształcenie wyższe, znajomość ustawy Pzp.</p>"),
        deadline=datetime(2026, 3, 31, 15, 30),
        vacancy_status="open",
    )
    items["declaration"] = create_item(
        bip["oswiadczenia-majatkowe"],
        "BipAssetDeclaration",
        "Oświadczenie majątkowe radnej za 2025",
        person="Grażyna Przykładowska",
        office="Radna Rady Miasta",
        declaration_year=2025,
        declaration_kind="annual",
        declaration_file=pdf("oswiadczenie.pdf"),
        private_data_removed=True,
    )
    items["page"] = create_item(
        bip["status-prawny"],
        "BipPage",
        "Statut miasta Przykładowo",
        text=html("<p>Statut określa ustrój miasta i zasady działania jego organów.</p>"),
    )
    return items


@contextmanager
def anonymous():
    """Run as an anonymous visitor (catalog security as for a visitor)."""
    manager = getSecurityManager()
    noSecurityManager()
    try:
        yield
    finally:
        setSecurityManager(manager)
