"""The demo city's map (``ratusz:demo-gis``), from the files in ``data/``.

Przykładowo is fictional; its places stand around the market square of Kalisz so that
the demo map shows a real street grid. The profile makes, as a Manager, and only what is
missing (running it again adds nothing):

- the places (``places.json``) in ``/pl/miejsca`` and the map pages (``/pl/mapa``…);
- the districts map layer (``districts.geojson``: five made-up districts tiling the town)
  in ``/pl/mapa-warstwy/dzielnice``;
- the investments (``investments.json``) in ``/pl/inwestycje``, each with photos drawn
  by ``demo_images``;
- citizen reports (``reports.json``) in ``/pl/zgloszenia``, filed with ``create_report``
  and moved through the report workflow to their demo states.

A real office enters its own places, layers and investments; its reports come from residents.
"""

import json
import uuid
from datetime import date
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from persistent.mapping import PersistentMapping
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from zope.annotation.interfaces import IAnnotations

from ratusz.gis.demo_images import demo_photo
from ratusz.gis.layerdata import check_layer_data
from ratusz.gis.layers import max_file_bytes
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.structure import board_of
from ratusz.gis.reports.structure import create_boards
from ratusz.gis.reports.workflow import mark_duplicate
from ratusz.gis.structure import create_map_pages

DATA = Path(__file__).parent / "data"
PLACES = DATA / "places.json"
DISTRICTS = DATA / "districts.geojson"
INVESTMENTS = DATA / "investments.json"
REPORTS = DATA / "reports.json"
FOLDER_ID = "miejsca"
LAYERS_FOLDER_ID = "mapa-warstwy"
DISTRICTS_ID = "dzielnice"
INVESTMENTS_FOLDER_ID = "inwestycje"
FIELDS = ("title", "description", "place_kind", "address", "opening_hours", "phone", "email")
INVESTMENT_FIELDS = ("title", "description", "status", "address")
# The board remembers which demo report it made of which entry of reports.json: reports are
# numbered as filed, so their ids cannot say it.
DEMO_REPORTS = "ratusz.gis.demo.reports"
# The workflow steps leading a new report to each demo state (the last one takes the comment).
STEPS = {
    "new": (),
    "accepted": ("accept",),
    "in_progress": ("accept", "start"),
    "resolved": ("accept", "start", "resolve"),
    "rejected": ("reject",),
    "duplicate": ("accept", "mark_duplicate"),
}


def _read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def demo_places():
    """The demo places as dicts.

    >>> demo_places()[0]["id"]
    'urzad-miasta'
    """
    return _read(PLACES)


def demo_investments():
    """The demo investments as dicts (dates as days from today, photos as scenes).

    >>> demo_investments()[0]["status"]
    'in_progress'
    """
    return _read(INVESTMENTS)


def demo_reports():
    """The demo citizen reports as dicts, in the order they are filed.

    >>> [spec["state"] for spec in demo_reports()][:2]
    ['accepted', 'duplicate']
    """
    return _read(REPORTS)


def install_demo_gis(context):
    """Post handler of ``ratusz:demo-gis``: the demo map of Przykładowo (see the module)."""
    with api.env.adopt_roles(["Manager"]):
        create_demo_places()
        create_map_pages()
        create_demo_districts()
        create_demo_investments()
        create_demo_reports()


def published_folder(container, folder_id, title, description, layout=None, **fields):
    """The folder ``folder_id`` of ``container``, made and published if missing.

    >>> published_folder(portal.pl, "inwestycje", "Inwestycje", "…", layout="map").getId()
    'inwestycje'
    """
    folder = container.get(folder_id)
    if folder is None:
        folder = api.content.create(
            container=container,
            type="Folder",
            id=folder_id,
            title=title,
            description=description,
            language="pl",
            **fields,
        )
        if layout:
            folder.setLayout(layout)
        api.content.transition(obj=folder, transition="publish")
    return folder


def create_demo_places():
    """Create the demo places that are missing, published. Returns their folder.

    >>> len(create_demo_places().objectIds())
    12
    """
    folder = published_folder(
        api.portal.get()["pl"],
        FOLDER_ID,
        "Miejsca",
        "Urzędy, szkoły, biblioteki i inne miejsca w Przykładowie.",
        layout="map",
    )
    for spec in demo_places():
        if spec["id"] in folder:
            continue
        place = api.content.create(
            container=folder,
            type="Place",
            id=spec["id"],
            geolocation=Geolocation(spec["latitude"], spec["longitude"]),
            website=spec.get("website"),
            language="pl",
            **{name: spec.get(name) or "" for name in FIELDS},
        )
        api.content.transition(obj=place, transition="publish")
    return folder


def create_demo_districts():
    """Create the districts layer (published, on the maps, the districts layer) if missing.

    The file is checked as an upload would be, so a broken ``districts.geojson`` stops the
    profile with the checker's message instead of making a layer the maps cannot draw.

    >>> create_demo_districts().absolute_url_path()
    '/Plone/pl/mapa-warstwy/dzielnice'
    """
    folder = published_folder(
        api.portal.get()["pl"],
        LAYERS_FOLDER_ID,
        "Warstwy mapy",
        "Obszary rysowane na mapach miasta.",
        exclude_from_nav=True,
    )
    layer = folder.get(DISTRICTS_ID)
    if layer is not None:
        return layer
    data = DISTRICTS.read_bytes()
    check_layer_data(data, max_file_bytes())
    layer = api.content.create(
        container=folder,
        type="MapLayer",
        id=DISTRICTS_ID,
        title="Dzielnice",
        description="Pięć dzielnic Przykładowa; zgłoszenia mieszkańców zapisują, w której są.",
        file=NamedBlobFile(
            data=data, filename="dzielnice.geojson", contentType="application/geo+json"
        ),
        name_property="name",
        show_on_maps=True,
        districts=True,
        fill_opacity=0.1,
        language="pl",
    )
    api.content.transition(obj=layer, transition="publish")
    return layer


def create_demo_investments(today=None):
    """Create the demo investments that are missing, with their photos, published.

    Their dates are counted from ``today`` (the day the demo is made), so that an
    investment "in progress" has started and has not ended whenever the demo is made.

    >>> len(create_demo_investments().objectIds())
    5
    """
    today = today or date.today()
    folder = published_folder(
        api.portal.get()["pl"],
        INVESTMENTS_FOLDER_ID,
        "Inwestycje",
        "Co miasto buduje i remontuje: budżet, wykonawca, terminy i zdjęcia.",
        layout="map",
    )
    for spec in demo_investments():
        if spec["id"] not in folder:
            create_demo_investment(folder, spec, today)
    return folder


def create_demo_investment(folder, spec, today):
    """One investment of ``investments.json`` with its photos, published."""
    dates = {name: today + timedelta(days=days) for name, days in spec["days_from_today"].items()}
    investment = api.content.create(
        container=folder,
        type="Investment",
        id=spec["id"],
        budget=Decimal(spec["budget"]),
        contractor=spec.get("contractor") or None,
        geolocation=Geolocation(spec["latitude"], spec["longitude"]),
        language="pl",
        **dates,
        **{name: spec[name] for name in INVESTMENT_FIELDS},
    )
    for photo in spec.get("photos", ()):
        api.content.create(
            container=investment,
            type="Image",
            id=photo["id"],
            title=photo["title"],
            description=photo.get("description", ""),
            image=NamedBlobImage(
                data=demo_photo(photo["scene"], photo["variant"]),
                filename=f"{photo['id']}.jpg",
                contentType="image/jpeg",
            ),
            language="pl",
        )
    api.content.transition(obj=investment, transition="publish")
    return investment


def create_demo_reports():
    """File the demo reports that are missing in the Polish board and move each to its state.

    Returns ``{key: report}`` of every demo report (made now or before).

    >>> api.content.get_state(create_demo_reports()["latarnia-rynek"])
    'resolved'
    """
    board = board_of("pl") or create_boards()["pl"]
    annotations = IAnnotations(board)
    made = annotations.get(DEMO_REPORTS)
    if made is None:
        made = annotations[DEMO_REPORTS] = PersistentMapping()
    reports = {}
    for spec in demo_reports():
        report = board.get(made.get(spec["key"], ""))
        if report is None:
            report = file_demo_report(board, spec, reports)
            made[spec["key"]] = report.getId()
        reports[spec["key"]] = report
    return reports


def file_demo_report(board, spec, earlier):
    """File one report of ``reports.json`` and take it to its state; ``earlier`` holds the
    reports already filed (a duplicate names its original among them)."""
    photo = spec.get("photo")
    report, _token = create_report(
        board,
        spec["category"],
        spec["description"],
        latitude=spec["latitude"],
        longitude=spec["longitude"],
        address=spec.get("address"),
        photo=(f"{spec['key']}.jpg", demo_photo(**photo)) if photo else None,
        email=spec.get("email"),
        language="pl",
        # The rate limit counts clients (None counts as one shared unknown client); the demo
        # is no client, so each report is its own and the limit never stops the profile.
        client=f"ratusz-demo:{uuid.uuid4().hex}",
    )
    steps = STEPS[spec["state"]]
    for index, step in enumerate(steps):
        comment = spec.get("comment", "") if index == len(steps) - 1 else ""
        if step == "mark_duplicate":
            mark_duplicate(report, earlier[spec["duplicate_of"]].report_number, comment=comment)
        else:
            api.content.transition(obj=report, transition=step, comment=comment)
    return report
