"""What the citizen report tests share: boards, photos with GPS EXIF, a resident's browser."""

import io

import piexif
import pytest
import transaction
from PIL import Image
from plone import api

from ratusz.gis.reports.create import REPORTS
from ratusz.gis.reports.create import create_report
from ratusz.gis.reports.structure import create_boards
from ratusz.gis.reports.tracking import GUESSES

GPS = {
    piexif.GPSIFD.GPSLatitudeRef: b"N",
    piexif.GPSIFD.GPSLatitude: ((51, 1), (45, 1), (4321, 100)),
    piexif.GPSIFD.GPSLongitudeRef: b"E",
    piexif.GPSIFD.GPSLongitude: ((18, 1), (5, 1), (1234, 100)),
}


def jpeg_with_gps(size=(64, 32), orientation=1):
    """A JPEG whose EXIF holds a GPS position, the camera owner and an orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.Make: b"Fotokamera",
                piexif.ImageIFD.Artist: b"Jan Kowalski",
                piexif.ImageIFD.Orientation: orientation,
            },
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:05:01 12:00:00"},
            "GPS": GPS,
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(8, 8), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 10, 128)[: len(mode)]).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def boards(functional):
    """The reports boards (``create_boards``), committed; the throttles emptied."""
    REPORTS.clear()
    GUESSES.clear()
    with api.env.adopt_roles(["Manager"]):
        made = create_boards(functional["portal"])
    transaction.commit()
    return made


def file_report(board, **fields):
    """A report made with ``create_report`` as the form would (committed); ``(report, token)``."""
    values = {
        "category": "lighting",
        "description": "Nie świeci latarnia przy przystanku.",
        "latitude": 51.7621,
        "longitude": 18.0906,
        "address": "ul. Główna 1",
        "client": "198.51.100.1",
        "language": board.Language() or "pl",
    }
    values.update(fields)
    report, token = create_report(board, **values)
    transaction.commit()
    return report, token


def transition(report, name):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=report, transition=name)
    transaction.commit()
