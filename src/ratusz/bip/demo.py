"""Demonstration content of the BIP of Przykładowo (profile ``ratusz:demo-bip``).

Fictional acts, notices, a procurement, a recruitment and a declaration, so
that a fresh ``make start`` shows every register with something in it, an
archived notice and an item with a change in its history.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta

from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.lifecycleevent import modified

METADATA = {
    "bip_produced_by": "Anna Urzędnik, inspektor",
    "bip_producing_unit": "Wydział Organizacyjny",
    "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
    "bip_entered_by": "Ewa Redaktor (redaktor)",
}


def demo_pdf(text):
    """A small valid one-page PDF saying ``text`` (ASCII), for demo attachments.

    >>> demo_pdf("Uchwala").startswith(b"%PDF-1.4")
    True
    """
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def _publish(obj):
    api.content.transition(obj=obj, transition="publish")
    return obj


def _create(container, portal_type, item_id, **fields):
    if item_id in container.objectIds():
        return None
    values = dict(METADATA, bip_date_produced=date.today() - timedelta(days=3), language="pl")
    values.update(fields)
    return api.content.create(
        container=container, type=portal_type, id=item_id, safe_id=False, **values
    )


def install_demo_bip(context):
    """Post handler of ``ratusz:demo-bip``."""
    create_bip_demo_content()


def create_bip_demo_content():
    """Fill the Polish BIP of the demo city; running it again adds nothing.

    >>> create_bip_demo_content()
    >>> api.content.get("/pl/bip/prawo-lokalne/uchwaly/uchwala-xii-120-2026").act_number
    'XII/120/2026'
    """
    bip = api.portal.get().pl.bip
    today = date.today()
    with api.env.adopt_roles(["Manager"]):
        _acts(bip["prawo-lokalne"], today)
        _announcements(bip["ogloszenia-i-obwieszczenia"], today)
        _procurements(bip["zamowienia-publiczne"], today)
        _vacancy(bip["nabor-na-stanowiska"], today)
        _declaration(bip["oswiadczenia-majatkowe"], today)
        _statute(bip["status-prawny"], today)


def _acts(local_law, today):
    resolutions, orders = local_law["uchwaly"], local_law["zarzadzenia"]
    old = _create(
        resolutions,
        "BipLegalAct",
        "uchwala-v-40-2025",
        title="w sprawie regulaminu utrzymania czystości i porządku",
        act_kind="resolution",
        act_number="V/40/2025",
        act_date=date(2025, 3, 27),
        act_body="council",
        act_status="in_force",
        act_file=NamedBlobFile(demo_pdf("Uchwala V/40/2025"), filename="uchwala-v-40-2025.pdf"),
        text=_html("<p>Rada Miasta Przykładowo uchwala regulamin utrzymania czystości.</p>"),
    )
    new = _create(
        resolutions,
        "BipLegalAct",
        "uchwala-xii-120-2026",
        title="w sprawie budżetu obywatelskiego na rok 2027",
        act_kind="resolution",
        act_number="XII/120/2026",
        act_date=date(today.year, 1, 29),
        act_body="council",
        act_status="in_force",
        act_file=NamedBlobFile(
            demo_pdf("Uchwala XII/120/2026"), filename="uchwala-xii-120-2026.pdf"
        ),
        text=_html(
            "<p>Rada Miasta Przykładowo przeznacza 2 000 000 zł na budżet obywatelski "
            "i określa zasady zgłaszania projektów.</p>"
        ),
    )
    if new is not None:
        _publish(new)
    if old is not None:
        from z3c.relationfield import RelationValue
        from zope.component import getUtility
        from zope.intid.interfaces import IIntIds

        old.amended_by = [RelationValue(getUtility(IIntIds).getId(new))] if new else []
        old.act_status = "amended"
        _publish(old)
        modified(old)
    order = _create(
        orders,
        "BipLegalAct",
        "zarzadzenie-15-2026",
        title="w sprawie ustalenia dni wolnych od pracy w urzędzie",
        act_kind="order",
        act_number="15/2026",
        act_date=date(today.year, 2, 10),
        act_body="mayor",
        act_status="in_force",
        act_file=NamedBlobFile(demo_pdf("Zarzadzenie 15/2026"), filename="zarzadzenie-15-2026.pdf"),
    )
    if order is not None:
        _publish(order)


def _announcements(section, today):
    current = _create(
        section,
        "BipAnnouncement",
        "obwieszczenie-plan-miejscowy",
        title="Obwieszczenie o wyłożeniu projektu planu miejscowego „Rynek”",
        announcement_kind="notice",
        valid_from=today - timedelta(days=5),
        valid_to=today + timedelta(days=25),
        text=_html("<p>Projekt planu można obejrzeć w pokoju 12 urzędu i w BIP.</p>"),
    )
    if current is not None:
        _publish(current)
    expired = _create(
        section,
        "BipAnnouncement",
        "ogloszenie-konsultacje-2025",
        title="Ogłoszenie o konsultacjach programu współpracy z organizacjami",
        announcement_kind="announcement",
        valid_from=today - timedelta(days=90),
        valid_to=today - timedelta(days=60),
        text=_html("<p>Konsultacje trwały od 1 do 30 października.</p>"),
    )
    if expired is not None:
        _publish(expired)
        api.content.transition(obj=expired, transition="archive")


def _procurements(section, today):
    open_one = _create(
        section,
        "BipProcurement",
        "zp-271-12-2026",
        title="Przebudowa ulicy Lipowej",
        reference_number="ZP.271.12.2026",
        procedure="basic",
        value_range="national",
        offers_deadline=datetime.combine(today + timedelta(days=20), datetime.min.time())
        + timedelta(hours=10),
        procurement_status="open",
        text=_html(
            "<p>Przedmiotem zamówienia jest przebudowa ulicy Lipowej na długości 420 m.</p>"
        ),
    )
    if open_one is not None:
        _publish(open_one)
        api.content.create(
            container=open_one,
            type="File",
            id="swz.pdf",
            title="Specyfikacja warunków zamówienia",
            file=NamedBlobFile(demo_pdf("SWZ ZP.271.12.2026"), filename="swz.pdf"),
        )
    awarded = _create(
        section,
        "BipProcurement",
        "zp-271-3-2026",
        title="Dostawa sprzętu komputerowego",
        reference_number="ZP.271.3.2026",
        procedure="below_threshold",
        value_range="below_130k",
        offers_deadline=datetime(today.year, 3, 2, 10, 0),
        procurement_status="awarded",
        result=_html("<p>Wybrano ofertę firmy Przykładowa Informatyka sp. z o.o.</p>"),
    )
    if awarded is not None:
        _publish(awarded)


def _vacancy(section, today):
    vacancy = _create(
        section,
        "BipJobVacancy",
        "nabor-inspektor-wo-2026",
        title="Nabór na stanowisko inspektora w Wydziale Organizacyjnym",
        position="Inspektor ds. obsługi kancelarii",
        unit="Wydział Organizacyjny",
        requirements=_html(
            "<ul><li>wykształcenie wyższe</li><li>znajomość KPA</li>"
            "<li>obywatelstwo polskie</li></ul>"
        ),
        deadline=datetime.combine(today + timedelta(days=14), datetime.min.time())
        + timedelta(hours=15),
        vacancy_status="open",
    )
    if vacancy is not None:
        _publish(vacancy)


def _declaration(section, today):
    declaration = _create(
        section,
        "BipAssetDeclaration",
        "oswiadczenie-prezydent-2025",
        title="Oświadczenie majątkowe Prezydenta Miasta za rok 2025",
        person="Jan Przykładowy",
        office="Prezydent Miasta",
        declaration_year=today.year - 1,
        declaration_kind="annual",
        declaration_file=NamedBlobFile(demo_pdf("Oswiadczenie majatkowe"), filename="om.pdf"),
        private_data_removed=True,
    )
    if declaration is not None:
        _publish(declaration)


def _statute(section, today):
    statute = _create(
        section,
        "BipPage",
        "statut-miasta",
        title="Statut Miasta Przykładowo",
        text=_html("<p>Statut określa ustrój miasta i organizację Rady Miasta.</p>"),
    )
    if statute is None:
        return
    _publish(statute)
    # One change with a note, so the change register shows an edit.
    statute.text = _html(
        "<p>Statut określa ustrój miasta, organizację Rady Miasta i zasady działania "
        "jednostek pomocniczych.</p>"
    )
    # The versioning behavior reads the note from the request the object was
    # acquired with, as its edit form leaves it.
    notes = IAnnotations(statute.REQUEST)
    notes["plone.app.versioningbehavior-changeNote"] = (
        "Dodano zasady działania jednostek pomocniczych"
    )
    modified(statute)
    notes.pop("plone.app.versioningbehavior-changeNote", None)
