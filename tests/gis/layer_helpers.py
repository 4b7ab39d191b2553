"""Test data of map layers and investments: districts with a hole and a multipolygon,
investments inside, in the hole and outside, created as a Manager."""

import base64
import json
from datetime import date
from decimal import Decimal

import transaction
from plone import api
from plone.formwidget.geolocation.geolocation import Geolocation
from plone.namedfile.file import NamedBlobFile


def square(west, south, east, north):
    """A closed ring, counter-clockwise (RFC 7946 §3.1.6)."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


# Śródmieście: a square with a hole (a park: not part of the district); Majków: two squares
# (a MultiPolygon); Rypinek: a square nobody builds in. A river (a line) is not an area.
DISTRICTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nazwa": "Śródmieście"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    square(18.00, 51.70, 18.10, 51.80),
                    square(18.04, 51.74, 18.06, 51.76)[::-1],
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"nazwa": "Majków"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [square(18.11, 51.70, 18.20, 51.80)],
                    [square(18.30, 51.70, 18.40, 51.80)],
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"nazwa": "Rypinek"},
            "geometry": {"type": "Polygon", "coordinates": [square(18.50, 51.70, 18.60, 51.80)]},
        },
        {
            "type": "Feature",
            "properties": {"nazwa": "Prosna"},
            "geometry": {"type": "LineString", "coordinates": [[18.0, 51.69], [18.6, 51.69]]},
        },
    ],
}

# Where the investments stand: (id, latitude, longitude, expected district)
POINTS = (
    ("rynek", 51.72, 18.02, "Śródmieście"),
    ("ratusz", 51.78, 18.08, "Śródmieście"),
    ("park", 51.75, 18.05, None),  # in Śródmieście's hole
    ("majkow-wschod", 51.75, 18.35, "Majków"),  # the second part of the MultiPolygon
    ("obwodnica", 51.60, 18.00, None),  # south of every district
)


def geojson_bytes(document=DISTRICTS):
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def file_body(data, filename="dzielnice.geojson"):
    """A file field as plone.restapi takes it."""
    return {
        "data": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "filename": filename,
        "content-type": "application/geo+json",
    }


def layer_file(data=None, filename="dzielnice.geojson"):
    return NamedBlobFile(
        data=geojson_bytes() if data is None else data,
        filename=filename,
        contentType="application/geo+json",
    )


def create_layer(portal, layer_id="dzielnice", state="published", **fields):
    """A MapLayer of the districts in /pl, in ``state``."""
    values = {"title": "Dzielnice", "file": layer_file(), **fields}
    with api.env.adopt_roles(["Manager"]):
        layer = api.content.create(container=portal.pl, type="MapLayer", id=layer_id, **values)
        if state == "published":
            api.content.transition(layer, "publish")
    return layer


def create_investment(portal, item_id, latitude, longitude, state="published", **fields):
    values = {
        "title": f"Inwestycja {item_id}",
        "status": "in_progress",
        "budget": Decimal("1250000.00"),
        "contractor": "Budimex S.A.",
        "planned_start": date(2026, 4, 1),
        "planned_end": date(2026, 11, 30),
        "address": "ul. Główna 1, Kalisz",
        "geolocation": Geolocation(latitude, longitude),
        **fields,
    }
    with api.env.adopt_roles(["Manager"]):
        item = api.content.create(container=portal.pl, type="Investment", id=item_id, **values)
        if state == "published":
            api.content.transition(item, "publish")
    return item


def create_investments(portal, state="published"):
    for item_id, latitude, longitude, _district in POINTS:
        create_investment(portal, item_id, latitude, longitude, state)
    transaction.commit()
