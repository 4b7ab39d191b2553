"""Pictures for the demo map, drawn with Pillow when the demo profile runs.

Simple flat illustrations (a street, a school, a bike path, a park, a library),
so that the demo investments and a report have photos without binary files in
the repository. Each is drawn from its scene name and variant; the content that
shows it carries the meaningful title (the ``alt`` text).
"""

import io

from PIL import Image
from PIL import ImageDraw

SIZE = (960, 600)
HORIZON = 250
SKY = (170, 205, 235)
GRASS = (120, 170, 90)
ASPHALT = (95, 98, 104)
WHITE = (245, 245, 240)
ORANGE = (240, 120, 30)
TREE = (60, 125, 60)
TRUNK = (110, 80, 50)


def demo_photo(scene, variant="after"):
    """A JPEG of ``scene`` (``road``, ``school``, ``bike_path``, ``park``, ``library``).

    ``variant``: ``before``, ``after``, ``works`` (a building site) or ``pothole``
    (a road with a hole in it).

    >>> demo_photo("park")[:3]
    b'\\xff\\xd8\\xff'
    """
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HORIZON, SIZE[0], SIZE[1]), fill=GRASS)
    SCENES[scene](draw, variant)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _trees(draw, spots):
    for x, y, size in spots:
        draw.rectangle((x - size // 8, y, x + size // 8, y + size), fill=TRUNK)
        draw.ellipse((x - size, y - size, x + size, y + size // 3), fill=TREE)


def _road(draw, variant):
    middle = SIZE[0] // 2
    draw.polygon(
        [(middle - 40, HORIZON), (middle + 40, HORIZON), (900, 600), (60, 600)], fill=ASPHALT
    )
    for side in (-1, 1):  # pavements
        draw.polygon(
            [
                (middle + side * 40, HORIZON),
                (middle + side * 60, HORIZON),
                (middle + side * 480, 600),
                (middle + side * 440, 600),
            ],
            fill=(200, 195, 185),
        )
    if variant != "works":
        for top in range(HORIZON + 10, 600, 70):  # the dashed centre line, wider nearer
            depth = (top - HORIZON) / (600 - HORIZON)
            width = 2 + 10 * depth
            draw.rectangle((middle - width, top, middle + width, top + 20 + 30 * depth), fill=WHITE)
    if variant == "works":
        for x, y in ((380, 420), (450, 360), (520, 310), (300, 500)):
            draw.polygon([(x, y - 50), (x - 18, y), (x + 18, y)], fill=ORANGE)
            draw.rectangle((x - 10, y - 30, x + 10, y - 22), fill=WHITE)
        draw.rectangle((610, 380, 760, 460), fill=(235, 190, 30))  # an excavator
        draw.line((690, 390, 800, 300, 850, 400), fill=(235, 190, 30), width=16)
        draw.ellipse((620, 440, 670, 490), fill=(40, 40, 40))
        draw.ellipse((700, 440, 750, 490), fill=(40, 40, 40))
    if variant == "pothole":
        draw.ellipse((380, 430, 600, 520), fill=(55, 50, 45))
        draw.ellipse((405, 445, 575, 505), fill=(85, 105, 125))  # rain water in it
    _trees(draw, ((60, 200, 50), (880, 200, 50)))


def _building(draw, left, right, top, wall, window, rows, columns):
    draw.rectangle((left, top, right, 520), fill=wall)
    width, height = (right - left) / columns, (520 - top - 70) / rows
    for row in range(rows):
        for column in range(columns):
            x, y = left + column * width + width * 0.25, top + 30 + row * height
            draw.rectangle((x, y, x + width * 0.5, y + height * 0.6), fill=window)


def _school(draw, variant):
    after = variant == "after"
    wall = (235, 200, 90) if after else (160, 160, 155)
    window = (120, 170, 210) if after else (90, 100, 110)
    draw.polygon([(170, 200), (790, 200), (740, 150), (220, 150)], fill=(150, 60, 50))
    _building(draw, 180, 780, 200, wall, window, 3, 8)
    draw.rectangle((440, 430, 520, 520), fill=(110, 70, 40))  # the door
    if after:
        for x in range(250, 700, 90):  # solar panels on the roof
            draw.polygon(
                [(x, 165), (x + 70, 165), (x + 60, 150), (x + 10, 150)], fill=(40, 60, 120)
            )
    draw.rectangle((0, 520, SIZE[0], SIZE[1]), fill=(190, 185, 175))
    _trees(draw, ((90, 380, 60), (870, 380, 60)))


def _bike_path(draw, variant):
    draw.polygon([(440, HORIZON), (500, HORIZON), (760, 600), (300, 600)], fill=(185, 70, 60))
    draw.line((470, HORIZON + 20, 530, 600), fill=WHITE, width=4)
    for x in (470, 590):  # a bicycle painted on the path
        draw.ellipse((x - 45, 470, x + 45, 560), outline=WHITE, width=8)
    draw.line((470, 515, 520, 470, 590, 515, 540, 515, 500, 460), fill=WHITE, width=8)
    _trees(draw, ((120, 260, 70), (260, 230, 45), (820, 270, 75), (680, 230, 40)))


def _park(draw, variant):
    draw.ellipse((520, 330, 900, 470), fill=(90, 150, 200))  # the pond
    draw.polygon([(80, 600), (200, 600), (470, HORIZON), (440, HORIZON)], fill=(215, 200, 160))
    draw.rectangle((260, 420, 360, 440), fill=TRUNK)  # a bench
    draw.rectangle((270, 440, 280, 470), fill=TRUNK)
    draw.rectangle((340, 440, 350, 470), fill=TRUNK)
    _trees(draw, ((80, 270, 70), (250, 240, 50), (600, 230, 55), (760, 240, 60), (900, 300, 70)))


def _library(draw, variant):
    _building(draw, 80, 480, 190, (200, 150, 120), (240, 230, 200), 3, 4)
    draw.polygon([(60, 190), (500, 190), (280, 110)], fill=(120, 50, 40))
    draw.rectangle((500, 240, 880, 520), fill=(160, 205, 225))  # the glass extension
    for x in range(500, 881, 76):
        draw.line((x, 240, x, 520), fill=(70, 90, 100), width=5)
    for index, x in enumerate(range(530, 860, 28)):  # shelves of books behind the glass
        colour = ((180, 60, 50), (50, 90, 150), (210, 170, 60))[index % 3]
        draw.rectangle((x, 420, x + 18, 500), fill=colour)
    draw.rectangle((0, 520, SIZE[0], SIZE[1]), fill=(190, 185, 175))


SCENES = {
    "road": _road,
    "school": _school,
    "bike_path": _bike_path,
    "park": _park,
    "library": _library,
}
