"""Photos of citizen reports: images only, size-limited, and a public copy without EXIF.

A photo is accepted when Pillow reads it as JPEG, PNG or WebP — whatever its
name or the browser's content type say — and it is at most ``max_photo_mb``
(Site Setup → Citizen reports) and ``MAX_PIXELS``. The file as sent is kept
for staff (it may be evidence); the public copy is decoded, turned upright by
its EXIF orientation, shrunk to ``PUBLIC_SIZE`` and encoded again (JPEG, or
PNG when it has transparency) without any metadata: no GPS position, camera,
owner or date leaves the office.
"""

import io
import warnings

from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

from ratusz.eservices.uploads import base_name
from ratusz.eservices.uploads import megabytes
from ratusz.i18n import _
from ratusz.validators import InputError

# MPO is a JPEG carrying more pictures (phones' HDR and depth data): its first is the photo.
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is a decompression bomb
PUBLIC_SIZE = 1600  # the longer side of the public copy, in pixels
JPEG_QUALITY = 85


class PhotoRefused(InputError):
    """A photo the form does not take (``field`` is ``photo``)."""

    def __init__(self, message):
        super().__init__("photo", message)


def read_limited(upload, limit):
    """At most ``limit + 1`` bytes of an uploaded file (bytes, or a file-like object): enough
    to know it is too large without reading a huge file into memory.

    >>> len(read_limited(io.BytesIO(b"x" * 100), 10))
    11
    """
    if upload is None:
        return b""
    if isinstance(upload, bytes):
        return upload[: limit + 1]
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)


def checked_photo(data, filename, max_bytes):
    """``(mime type, safe file name)`` of a photo that may be kept; raise PhotoRefused.

    >>> checked_photo(JPEG_BYTES, "dziura.jpg", 10 * MB)
    ('image/jpeg', 'dziura.jpg')
    """
    name = base_name(filename or "") or "photo"
    if not data:
        raise PhotoRefused(_("The photo is empty."))
    if len(data) > max_bytes:
        raise PhotoRefused(
            _(
                "The photo is larger than ${max} MB. Send a smaller one (phones can share a "
                "reduced copy).",
                mapping={"max": megabytes(max_bytes)},
            )
        )
    image_format = _image_format(data)
    extension = EXTENSIONS[image_format]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return FORMATS[image_format], f"{stem[:80]}.{extension}"


def _open(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _image_format(data):
    not_an_image = PhotoRefused(_("The photo must be a JPEG, PNG or WebP image."))
    try:
        with _open(data) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in FORMATS:
                raise not_an_image
            if width * height > MAX_PIXELS:
                raise PhotoRefused(
                    _(
                        "The photo has too many pixels (at most ${max} million).",
                        mapping={"max": MAX_PIXELS // 1_000_000},
                    )
                )
            image.verify()
    except PhotoRefused:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,  # Pillow's parsers raise it for broken headers
    ):
        raise not_an_image from None
    return image_format


def _upright(image):
    """The image turned as its EXIF orientation says; as it is when the EXIF is broken
    (Pillow's exif_transpose raises on damaged tags, a photo is still a photo)."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - struct.error, AttributeError, KeyError… from EXIF parsing
        return image.copy()


def public_copy(data):
    """``(bytes, mime type, extension)``: the photo upright, at most PUBLIC_SIZE pixels a side,
    encoded again without any metadata.

    >>> public_copy(JPEG_BYTES)[1]
    'image/jpeg'
    """
    try:
        with _open(data) as image:
            image.load()
            upright = _upright(image)
            upright.thumbnail((PUBLIC_SIZE, PUBLIC_SIZE))
            transparent = upright.mode in ("RGBA", "LA", "PA") or (
                upright.mode == "P" and "transparency" in upright.info
            )
            out = io.BytesIO()
            if transparent:
                clean = upright.convert("RGBA")
                clean.info = {}  # Pillow may write what info holds (EXIF, text chunks)
                clean.save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png", "png"
            clean = upright.convert("RGB")
            # Pillow may write what info holds (EXIF, comment); no exif=, icc_profile=.
            clean.info = {}
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue(), "image/jpeg", "jpg"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoRefused(_("The photo must be a JPEG, PNG or WebP image.")) from None
