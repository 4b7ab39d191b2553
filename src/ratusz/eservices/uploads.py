"""Files a resident uploads with an e-service form, checked by their content (requirement E5).

The extension says what the file claims to be; the first bytes (and, for
containers, the members) say what it is. A file is accepted only when both
agree, and a program is refused whatever its name.

Per format (the MIME type returned is the one stored with the file):

* pdf (also PAdES) ``%PDF-`` at the start; rtf ``{\\rtf``; doc/xls/ppt an OLE
  compound file (a doc may also be RTF: Word saves RTF as .doc);
  docx/xlsx/pptx a ZIP with ``[Content_Types].xml`` declaring the main part of
  that application (an OLE file holding an ``EncryptedPackage`` instead is
  refused as password-protected); odt/ods/odp a ZIP whose ``mimetype`` member
  names that format; xps a ZIP with ``[Content_Types].xml`` (an OPC package).
* jpg/jpeg JPEG SOI; png the PNG signature; tif/tiff/geotiff TIFF or BigTIFF
  byte-order marks; jp2 the JP2 signature box; svg well-formed XML with an
  ``<svg>`` root and no active content (scripts, event attributes,
  ``javascript:`` links, embedded HTML, ``<?xml-stylesheet?>``).
* wav RIFF/RF64 WAVE; avi RIFF AVI; mp3 ID3 tag or an MPEG layer III frame
  header; mp4/m4a an ISO ``ftyp`` box; ogg/ogv ``OggS``; mpg/mpeg an MPEG
  program stream, video elementary stream or transport stream.
* zip, asice, asics a ZIP (asice/asics: signature files under ``META-INF/``,
  and a ``mimetype`` member, if present, naming the ASiC type); tar ``ustar``
  at offset 257; gz the gzip header and a decompressible start; 7z its
  signature. ZIP and tar members named or starting like programs are refused,
  and so is a gz whose decompressed start is a program; archives of more than
  ``MAX_MEMBERS`` files too (each costs time to look into).
* txt, csv, html, css decode as UTF-8 (a BOM is allowed) or UTF-16 with a
  BOM; txt, csv, html and dxf may also be Windows-1250, which older Polish
  Windows programs still write. No control characters but tab, line breaks
  and form feed.
* xml, xsd, gml, rng, xsl, xslt, xhtml, xades must be well-formed XML in the
  encoding their XML declaration names (the XML rule: GML from older Polish
  systems is declared windows-1250); entity declarations are refused
  (billion laughs, external entities); xhtml may use HTML's named entities.
* p7s/p7m a CMS SignedData (DER or BER, or the same in Base64/PEM); sig a CMS
  SignedData, an ASCII-armoured PGP signature or XAdES (well-formed XML).
* dwg the ``AC10`` of its version string (``AC1032`` …); dwf ``(DWF V``; dxf
  ASCII DXF starting with a ``0``/``SECTION`` group or binary DXF's sentinel; dgn
  MicroStation V7 (``08 09 FE 02`` or ``C8 09 FE 02``, as GDAL checks) or V8,
  which is an OLE compound file.

Programs (checked first, whatever the extension): ``MZ`` with a binary
header (DOS/Windows), ELF, Mach-O, Java class, ``#!`` scripts, Windows
shortcuts and Windows Installer packages.

Accepted on the signature only, their insides not checked: 7z (headers are
usually LZMA-compressed: unreadable without a 7z library), the rest of a gz
after its first 512 bytes (a .tar.gz is not unpacked: that is where archive
bombs live), OLE files beyond their first directory sector, and the media
streams and images after their headers. This is a format check, not a virus
scan: a well-formed PDF or DOCX may still carry malware.
"""

import base64
import binascii
import codecs
import functools
import io
import itertools
import re
import struct
import tarfile
import uuid
import zipfile
import zlib
from collections import namedtuple
from html.entities import name2codepoint
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser

from ratusz.i18n import _
from ratusz.validators import InputError

MB = 1024 * 1024
DEFAULT_MAX_FILE_MB = 10
DEFAULT_MAX_TOTAL_MB = 50

# A file name is shown in messages: a 4000-character name would swamp the page.
SHOWN_NAME_LENGTH = 80
# Read from inside archives: enough for a signature, too little for a ZIP bomb.
HEAD_LENGTH = 64
MEMBER_LIMIT = MB
# Each member costs time to list and look into; a resident's archive of scans has far fewer.
MAX_MEMBERS = 5000

OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Classic TIFF and BigTIFF (GeoTIFF orthophotos pass 4 GB), in both byte orders.
TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
# What reading a damaged, encrypted or exotic ZIP member may raise.
ZIP_READ_ERRORS = (
    RuntimeError,
    NotImplementedError,
    OSError,
    EOFError,
    ValueError,  # a member offset pointing before the start ("negative seek value")
    struct.error,
    zlib.error,
    zipfile.BadZipFile,
)
# Windows Installer packages, patches and transforms are OLE files too.
MSI_CLASSES = frozenset(
    uuid.UUID(f"000c10{kind}-0000-0000-c000-000000000046") for kind in ("84", "86", "82")
)
PROGRAM_STARTS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O, both word sizes and byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Java class, and universal Mach-O
    b"#!",
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcut: runs any command line
)
# Names that run when a clerk double-clicks them in an unpacked archive.
PROGRAM_EXTENSIONS = frozenset(
    {"app", "apk", "bat", "cmd", "com", "cpl", "dll", "exe", "hta", "jar", "js", "jse", "lnk"}
    | {"msi", "msp", "ps1", "psm1", "reg", "scr", "sh", "vbe", "vbs", "wsf", "wsh"}
)
# Any C0 control character but tab, line feed, form feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
SIGNED_DATA = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"
SVG_ACTIVE_ELEMENTS = frozenset(
    ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener")
)
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
HTML_ENTITIES = {name: chr(codepoint) for name, codepoint in name2codepoint.items()}
# Browsers skip these inside a URL scheme: "java\tscript:" still runs.
WHITESPACE = re.compile(r"[\s\x00-\x1f]")

Upload = namedtuple("Upload", "name extension data")


class UploadRefused(InputError):
    """An uploaded file the e-service does not take: ``message`` (translatable) names
    the file and the problem; ``field``, if given, the form field it came with;
    ``filename`` the file's name exactly as it was passed to the check, so the
    caller can tell which of its files it was.

    An ``InputError``, so forms that already show those at their field show it too.

    >>> UploadRefused(_("The file ${name} is empty.", mapping={"name": "a.pdf"})).field is None
    True
    """

    def __init__(self, message, field=None, filename=None):
        super().__init__(field, message)
        self.filename = filename


def _shown(name):
    """``name`` cut for a message.

    >>> _shown("wniosek.pdf")
    'wniosek.pdf'
    """
    if len(name) <= SHOWN_NAME_LENGTH:
        return name
    return name[: SHOWN_NAME_LENGTH - 1] + "…"


def _refused(message, name, **mapping):
    """An ``UploadRefused`` whose ``message`` (written ``_("…")`` at the call, where
    i18ndude finds it) names the file ``name``, with the other values of ``mapping``.

    >>> _refused(_("The file ${name} is empty."), "a.pdf").message.mapping["name"]
    'a.pdf'
    """
    return UploadRefused(_(message, mapping={"name": _shown(name), **mapping}))


def _mismatch(upload):
    """The refusal of a file whose content is not what its extension says.

    >>> _mismatch(Upload("a.png", "png", b"<html>")).message.mapping["extension"]
    'png'
    """
    return _refused(
        _("The content of the file ${name} does not match its extension .${extension}."),
        upload.name,
        extension=upload.extension,
    )


def megabytes(size):
    """``size`` bytes in MB for a message: whole numbers without decimals.

    >>> megabytes(10 * MB), megabytes(MB // 2)
    ('10', '0.5')
    """
    return f"{size / MB:.1f}".removesuffix(".0")


def base_name(filename):
    """The file's own name: browsers on Windows may send ``C:\\fakepath\\x.pdf``,
    and a hostile client ``../../x.pdf``; only the last part is the name.

    >>> base_name("C:\\\\fakepath\\\\wniosek.pdf")
    'wniosek.pdf'
    """
    return re.split(r"[/\\]", filename or "")[-1].strip()


def extension(name):
    """The lower-case extension of ``name`` without the dot, or "" when it has none
    (a name that is only an extension, like ``.pdf``, has none either).

    >>> extension("Skan.PDF"), extension("README"), extension(".pdf")
    ('pdf', '', '')
    """
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


# Programs ------------------------------------------------------------------


def _ole_entries(data):
    """``(name, class id)`` of the entries in an OLE file's first directory sector,
    or None when ``data`` is no OLE file whose directory can be found.

    Only the first sector: it holds the root entry, whose class tells a Windows
    Installer package, and in practice the top-level streams.

    >>> _ole_entries(b"%PDF-1.7") is None
    True
    """
    if not data.startswith(OLE) or len(data) < 512:
        return None
    shift = int.from_bytes(data[0x1E:0x20], "little")
    if shift not in (9, 12):
        return None
    start = (int.from_bytes(data[0x30:0x34], "little") + 1) << shift
    sector = data[start : start + (1 << shift)]
    if len(sector) < 128:
        return None
    entries = []
    for offset in range(0, len(sector) - 127, 128):
        entry = sector[offset : offset + 128]
        if entry[0x42] == 0:  # an unused slot
            continue
        size = min(int.from_bytes(entry[0x40:0x42], "little"), 64)
        name = entry[: max(size - 2, 0)].decode("utf-16-le", "replace")
        entries.append((name, uuid.UUID(bytes_le=bytes(entry[0x50:0x60]))))
    return entries or None


def _is_windows_program(data):
    """Whether ``data`` is a DOS or Windows executable: ``MZ`` and binary header
    fields (a text that happens to start with "MZ" has no NUL bytes).

    >>> _is_windows_program(b"MZ\\x90\\x00\\x03\\x00"), _is_windows_program(b"MZK Warszawa")
    (True, False)
    """
    return data.startswith(b"MZ") and b"\x00" in data[:64]


def _is_installer(data):
    """Whether ``data`` is a Windows Installer package (an OLE file with its class).

    >>> _is_installer(b"%PDF-1.7")
    False
    """
    entries = _ole_entries(data)
    return bool(entries) and entries[0][1] in MSI_CLASSES


def is_program(data):
    """Whether ``data`` starts like a program: Windows, Linux or macOS executable,
    a script with ``#!``, Java class, Windows Installer package or shortcut.

    >>> is_program(b"#!/bin/sh\\nrm -rf ~"), is_program(b"%PDF-1.7")
    (True, False)
    """
    return data.startswith(PROGRAM_STARTS) or _is_windows_program(data) or _is_installer(data)


def _program_inside(upload, member):
    """The refusal of an archive holding the program ``member``.

    >>> _program_inside(Upload("a.zip", "zip", b""), "setup.exe").message.mapping["member"]
    'setup.exe'
    """
    return _refused(
        _("The archive ${name} contains a program (${member}); programs are not accepted."),
        upload.name,
        member=_shown(member),
    )


def _refuse_programs_inside(upload, members):
    """Refuse ``upload`` if one of its ``members`` (``(name, first bytes or None)``)
    is named or starts like a program: a resident does not send programs, and a
    clerk double-clicking one would run it.

    >>> _refuse_programs_inside(Upload("a.zip", "zip", b""), [("skan.pdf", b"%PDF-")])
    """
    for member, head in members:
        if extension(base_name(member)) in PROGRAM_EXTENSIONS or (head and is_program(head)):
            raise _program_inside(upload, base_name(member))


# Plain signatures ----------------------------------------------------------


def _signature(mime, *starts):
    """A check accepting content that starts with one of ``starts`` as ``mime``.

    >>> _signature("application/pdf", b"%PDF-")(Upload("a.pdf", "pdf", b"%PDF-1.7"))
    'application/pdf'
    """

    def check(upload):
        if not upload.data.startswith(starts):
            raise _mismatch(upload)
        return mime

    return check


def _riff(mime, *forms):
    """A check for a RIFF (or 64-bit RF64) file of one of ``forms``: WAVE, AVI.

    >>> _riff("audio/wav", b"WAVE")(Upload("a.wav", "wav", b"RIFF\\x24\\x00\\x00\\x00WAVEfmt "))
    'audio/wav'
    """

    def check(upload):
        data = upload.data
        if not (data[:4] in (b"RIFF", b"RF64") and data[8:12] in forms):
            raise _mismatch(upload)
        return mime

    return check


def _iso_media(mime):
    """A check for an ISO base media file (MP4, M4A): an ``ftyp`` box comes first.

    >>> _iso_media("video/mp4")(Upload("a.mp4", "mp4", b"\\x00\\x00\\x00\\x18ftypisom"))
    'video/mp4'
    """

    def check(upload):
        if upload.data[4:8] != b"ftyp":
            raise _mismatch(upload)
        return mime

    return check


def _mp3(upload):
    """An MP3: an ID3 tag, or an MPEG audio layer III frame header right away.

    >>> _mp3(Upload("a.mp3", "mp3", b"ID3\\x04\\x00"))
    'audio/mpeg'
    """
    data = upload.data
    if data.startswith(b"ID3"):
        return "audio/mpeg"
    if len(data) >= 3 and data[0] == 0xFF:
        second, third = data[1], data[2]
        # Frame sync, a defined MPEG version, layer III, a valid bitrate and sample rate.
        if (
            second & 0xE0 == 0xE0
            and (second >> 3) & 3 != 1
            and (second >> 1) & 3 == 1
            and third >> 4 != 15
            and (third >> 2) & 3 != 3
        ):
            return "audio/mpeg"
    raise _mismatch(upload)


def _mpeg(upload):
    """An MPEG-1/2 video: a program stream pack, a video sequence header, or
    transport stream packets (0x47 every 188 bytes).

    >>> _mpeg(Upload("a.mpg", "mpg", b"\\x00\\x00\\x01\\xba\\x44"))
    'video/mpeg'
    """
    data = upload.data
    if data.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "video/mpeg"
    if len(data) > 188 and data[0] == data[188] == 0x47:
        return "video/mpeg"
    raise _mismatch(upload)


def _dgn(upload):
    """A MicroStation drawing: V7 (ISFF) header, or V8, an OLE compound file.

    >>> _dgn(Upload("a.dgn", "dgn", b"\\x08\\x09\\xfe\\x02"))
    'image/vnd.dgn'
    """
    data = upload.data
    if data[:1] in (b"\x08", b"\xc8") and data[1:4] == b"\x09\xfe\x02":
        return "image/vnd.dgn"
    if _ole_entries(data):
        return "image/vnd.dgn"
    raise _mismatch(upload)


# Office files and archives -------------------------------------------------


def _ole(mime):
    """A check for an old Office file (doc, xls, ppt): an OLE compound file.

    >>> _ole("application/vnd.ms-excel")(Upload("a.xls", "xls", xls_bytes))
    'application/vnd.ms-excel'
    """

    def check(upload):
        if not _ole_entries(upload.data):
            raise _mismatch(upload)
        return mime

    return check


def _doc(upload):
    """A Word 97-2003 document, or RTF saved as .doc (Word does so, and opens it).

    >>> _doc(Upload("a.doc", "doc", b"{\\\\rtf1\\\\ansi}"))
    'application/rtf'
    """
    if upload.data.startswith(b"{\\rtf"):
        return "application/rtf"
    return _ole("application/msword")(upload)


def _declared_entries(data):
    """The number of entries the end record of the ZIP ``data`` declares (65535 for
    ZIP64, which no resident's archive needs), 0 when there is no end record.

    >>> _declared_entries(b"PK\x05\x06" + bytes(18))
    0
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    return int.from_bytes(data[end + 10 : end + 12], "little") if end >= 0 else 0


def _too_many_members(upload):
    """The refusal of an archive with more than ``MAX_MEMBERS`` members.

    >>> _too_many_members(Upload("a.zip", "zip", b"")).message.mapping["limit"]
    '5000'
    """
    return _refused(
        _("The archive ${name} holds more than ${limit} files."),
        upload.name,
        limit=str(MAX_MEMBERS),
    )


def _open_zip(upload):
    """``upload`` as an open ZipFile; refused when it is no ZIP or holds too many files
    (counted before opening it: zipfile reads its whole directory first).

    Must start like a ZIP: zipfile reads from the end, so it would also open a
    program or an HTML page with a ZIP appended.

    >>> _open_zip(Upload("a.zip", "zip", zip_bytes)).namelist()
    ['skan.pdf']
    """
    if not upload.data.startswith(ZIP_STARTS):
        raise _mismatch(upload)
    if _declared_entries(upload.data) > MAX_MEMBERS:
        raise _too_many_members(upload)
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
    except ZIP_READ_ERRORS:
        raise _mismatch(upload)
    if len(archive.infolist()) > MAX_MEMBERS:
        raise _too_many_members(upload)
    return archive


def _member(archive, name):
    """The content of the member ``name``, or None if it is missing, encrypted,
    unreadable or larger than ``MEMBER_LIMIT`` once unpacked.

    >>> _member(archive, "mimetype")
    b'application/vnd.oasis.opendocument.text'
    """
    try:
        info = archive.getinfo(name)
        if info.file_size > MEMBER_LIMIT:
            return None
        with archive.open(info) as member:
            return member.read(MEMBER_LIMIT + 1)
    except (KeyError, *ZIP_READ_ERRORS):
        return None


def _zip_heads(archive):
    """``(name, first bytes)`` of every file in ``archive``; the bytes are None when
    they cannot be read (encrypted, unknown compression).

    >>> list(_zip_heads(archive))[0]
    ('skan.pdf', b'%PDF-1.7...')
    """
    for info in archive.infolist():
        if info.is_dir():
            continue
        head = None
        if not info.flag_bits & 1:  # not encrypted
            try:
                with archive.open(info) as member:
                    head = member.read(HEAD_LENGTH)
            except ZIP_READ_ERRORS:
                head = None
        yield info.filename, head


def _content_types(archive):
    """The content types an OPC package (OOXML, XPS) declares in
    ``[Content_Types].xml``, or None when it has none.

    >>> "application/xml" in _content_types(archive)
    True
    """
    declaration = _member(archive, "[Content_Types].xml")
    if declaration is None:
        return None
    try:
        root = _xml_root(declaration)
    except (DefusedXmlException, ParseError, ValueError, LookupError):
        return None
    return {element.get("ContentType", "") for element in root.iter()} - {""}


def _is_encrypted_ooxml(data):
    """Whether ``data`` is a password-protected OOXML file: Office then wraps the
    ZIP into an OLE file with an ``EncryptedPackage`` stream.

    >>> _is_encrypted_ooxml(b"PK\\x03\\x04")
    False
    """
    return any(name == "EncryptedPackage" for name, _class in _ole_entries(data) or ())


def _ooxml(mime, *main_parts):
    """A check for docx, xlsx, pptx: a ZIP whose ``[Content_Types].xml`` declares
    one of the application's ``main_parts`` (``wordprocessingml.document`` …).

    A macro-enabled file renamed .docx declares another main part and is refused,
    as Word itself refuses to open it.

    >>> _ooxml(DOCX, "wordprocessingml.document")(Upload("a.docx", "docx", docx_bytes))
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    """
    wanted = {f"{OOXML}{part}.main+xml" for part in main_parts}

    def check(upload):
        if _is_encrypted_ooxml(upload.data):
            raise _refused(
                _("The file ${name} is protected with a password; send it without one."),
                upload.name,
            )
        if not wanted & (_content_types(_open_zip(upload)) or set()):
            raise _mismatch(upload)
        return mime

    return check


def _xps(upload):
    """An XPS or OpenXPS document: an OPC package, a ZIP with ``[Content_Types].xml``.

    >>> _xps(Upload("a.xps", "xps", xps_bytes))
    'application/vnd.ms-xpsdocument'
    """
    if _content_types(_open_zip(upload)) is None:
        raise _mismatch(upload)
    return "application/vnd.ms-xpsdocument"


def _odf(mime):
    """A check for odt, ods, odp: a ZIP whose ``mimetype`` member is ``mime``.

    >>> _odf(ODT)(Upload("a.odt", "odt", odt_bytes))
    'application/vnd.oasis.opendocument.text'
    """

    def check(upload):
        if _member(_open_zip(upload), "mimetype") != mime.encode("ascii"):
            raise _mismatch(upload)
        return mime

    return check


def _asic(mime):
    """A check for asice, asics: a ZIP with signature files under ``META-INF/`` and,
    if it has a ``mimetype`` member (required in ASiC-E only), that one naming ``mime``.

    >>> _asic("application/vnd.etsi.asic-e+zip")(Upload("a.asice", "asice", asice_bytes))
    'application/vnd.etsi.asic-e+zip'
    """

    def check(upload):
        archive = _open_zip(upload)
        names = archive.namelist()
        declared = _member(archive, "mimetype") if "mimetype" in names else mime.encode()
        signed = any(name.startswith("META-INF/") and not name.endswith("/") for name in names)
        if declared != mime.encode("ascii") or not signed:
            raise _mismatch(upload)
        _refuse_programs_inside(upload, _zip_heads(archive))
        return mime

    return check


def _zip(upload):
    """A ZIP archive with no programs inside (nested archives are not opened).

    >>> _zip(Upload("a.zip", "zip", zip_bytes))
    'application/zip'
    """
    _refuse_programs_inside(upload, _zip_heads(_open_zip(upload)))
    return "application/zip"


def _tar_heads(data):
    """``(name, first bytes)`` of every member of the tar archive ``data``
    (bytes None for anything but regular files).

    >>> list(_tar_heads(tar_bytes))[0][0]
    'skan.pdf'
    """
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:
            head = None
            if member.isfile():
                head = archive.extractfile(member).read(HEAD_LENGTH)
            yield member.name, head


def _tar(upload):
    """A POSIX or GNU tar archive (``ustar`` at offset 257) with no programs inside.

    >>> _tar(Upload("a.tar", "tar", tar_bytes))
    'application/x-tar'
    """
    if upload.data[257:262] != b"ustar":
        raise _mismatch(upload)
    try:
        # One more than allowed is enough to tell there are too many.
        members = list(itertools.islice(_tar_heads(upload.data), MAX_MEMBERS + 1))
    except (tarfile.TarError, EOFError, OSError, ValueError):
        raise _mismatch(upload)
    if len(members) > MAX_MEMBERS:
        raise _too_many_members(upload)
    _refuse_programs_inside(upload, members)
    return "application/x-tar"


def _gzip(upload):
    """A gzip file (deflate) whose first bytes unpack and are no program.

    Only the first 512 bytes are unpacked: enough for a signature; unpacking
    all of it would let a small bomb fill the memory.

    >>> _gzip(Upload("a.gz", "gz", gzip.compress(b"tekst")))
    'application/gzip'
    """
    if not upload.data.startswith(b"\x1f\x8b\x08"):
        raise _mismatch(upload)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(upload.data, 512)
    except zlib.error:
        raise _mismatch(upload)
    if is_program(head):
        raise _program_inside(upload, upload.name.rpartition(".")[0])  # as gunzip names it
    return "application/gzip"


# Text and XML --------------------------------------------------------------


def _decoded(data, legacy):
    """``data`` as text: UTF-8 (with or without a BOM), UTF-16 with a BOM, and when
    ``legacy`` Windows-1250; None when it is none of them.

    >>> _decoded("zażółć".encode("cp1250"), legacy=True)
    'zażółć'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig"] + (["cp1250"] if legacy else [])
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _plain_text(upload, legacy):
    """The text of ``upload``, refused unless it decodes (see ``_decoded``) and has
    no control characters (NUL and the like mark a binary file).

    >>> _plain_text(Upload("a.txt", "txt", b"Wniosek"), legacy=True)
    'Wniosek'
    """
    text = _decoded(upload.data, legacy)
    if text is None or CONTROL.search(text):
        raise _refused(
            _("The file ${name} is not plain text; save it as text in UTF-8."), upload.name
        )
    return text


def _text(mime, legacy=False):
    """A check for a plain text format (txt, csv, html, css) of type ``mime``.

    >>> _text("text/csv", legacy=True)(Upload("a.csv", "csv", b"lp;nazwa"))
    'text/csv'
    """

    def check(upload):
        _plain_text(upload, legacy)
        return mime

    return check


def _xml_root(data, entities=None):
    """The root element of the XML document ``data``, parsed with defusedxml, which
    raises on entity declarations (and expat on anything not well-formed).

    ``entities`` (``{name: text}``) are known without a declaration: XHTML's
    ``&nbsp;`` and the like come from its external DTD, which is not read (and
    which XML requires before they may be used).

    >>> _xml_root(b'<!DOCTYPE p SYSTEM "x.dtd"><p>a&nbsp;b</p>', HTML_ENTITIES).text
    'a\xa0b'
    """
    parser = XMLParser()
    parser.entity.update(entities or {})
    parser.feed(data)
    return parser.close()


def _parsed_xml(upload, entities=None):
    """The root element of ``upload``, refused unless it is well-formed XML without
    entity declarations (which expand into huge documents or read local files).

    >>> _parsed_xml(Upload("a.xml", "xml", b"<a/>")).tag
    'a'
    """
    try:
        return _xml_root(upload.data, entities)
    except DefusedXmlException:
        raise _refused(
            _("The file ${name} declares XML entities, which are not accepted."), upload.name
        )
    except (ParseError, ValueError, LookupError):
        raise _refused(_("The file ${name} is not well-formed XML."), upload.name)


def _xml(mime, entities=None):
    """A check for an XML format (xml, xsd, gml, rng, xsl, xslt, xhtml, xades).

    >>> _xml("application/gml+xml")(Upload("a.gml", "gml", b"<gml:FeatureCollection .../>"))
    'application/gml+xml'
    """

    def check(upload):
        _parsed_xml(upload, entities)
        return mime

    return check


@functools.lru_cache(maxsize=512)
def _local(tag):
    """An element or attribute name without its ``{namespace}``, lower-case
    (cached: a large SVG repeats a handful of names a million times).

    >>> _local("{http://www.w3.org/2000/svg}foreignObject")
    'foreignobject'
    """
    return tag.rpartition("}")[2].lower()


def _is_active_attribute(name, value):
    """Whether an SVG attribute runs code: an ``on…`` event handler, an animation
    setting one (``attributeName``), or a ``javascript:`` link (also in animation
    values, and hidden behind whitespace or character references).

    >>> _is_active_attribute("href", " java\tscript:alert(1)")
    True
    """
    local = _local(name)
    if local.startswith("on"):
        return True
    if local != "attributename" and ":" not in value:
        return False  # no URL scheme: the common case, kept fast
    squeezed = WHITESPACE.sub("", value).lower()
    if local == "attributename":
        return squeezed.startswith("on")
    return any(scheme in squeezed for scheme in SCRIPT_SCHEMES)


def _is_active(element):
    """Whether an SVG element runs code or shows foreign content when the SVG is
    opened in a browser: scripts, embedded HTML, or an active attribute.

    >>> _is_active(_xml_root(b'<a href="java&#x09;script:alert(1)"/>'))
    True
    """
    if _local(element.tag) in SVG_ACTIVE_ELEMENTS:
        return True
    return any(_is_active_attribute(name, value) for name, value in element.attrib.items())


def _svg(upload):
    """An SVG image without active content: SVGs open in the browser, on the
    city's own address, where a script would act as the logged-in clerk.

    ``<?xml-stylesheet?>`` is refused too: an XSLT style sheet can write a script.

    >>> _svg(Upload("a.svg", "svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'))
    'image/svg+xml'
    """
    root = _parsed_xml(upload)
    if _local(root.tag) != "svg":
        raise _mismatch(upload)
    if b"<?xml-stylesheet" in upload.data or any(_is_active(e) for e in root.iter()):
        raise _refused(
            _(
                "The image ${name} contains scripts or other active content, which are not "
                "accepted."
            ),
            upload.name,
        )
    return "image/svg+xml"


def _dxf(upload):
    """An AutoCAD DXF drawing: binary DXF's sentinel, or ASCII DXF (UTF-8 since
    AutoCAD 2007, the Windows code page before) opening a section (after comments).

    >>> _dxf(Upload("a.dxf", "dxf", b"  0\\nSECTION\\n  2\\nHEADER\\n"))
    'image/vnd.dxf'
    """
    if upload.data.startswith(b"AutoCAD Binary DXF\r\n\x1a\x00"):
        return "image/vnd.dxf"
    lines = [line.strip() for line in _plain_text(upload, legacy=True).splitlines()[:20]]
    while lines[:1] == ["999"]:  # a comment group: code and text
        lines = lines[2:]
    if lines[:2] != ["0", "SECTION"]:
        raise _mismatch(upload)
    return "image/vnd.dxf"


# Electronic signatures -----------------------------------------------------


def _is_cms(data):
    """Whether ``data`` is a DER/BER CMS SignedData (CAdES): a SEQUENCE whose first
    element is the signedData object identifier 1.2.840.113549.1.7.2.

    >>> _is_cms(b"\\x30\\x80" + SIGNED_DATA)
    True
    """
    if len(data) < 2 or data[0] != 0x30:
        return False
    length = data[1]
    if length > 0x84:
        return False
    # Short form, indefinite (0x80), or 1-4 length bytes following.
    start = 2 if length <= 0x80 else 2 + length - 0x80
    return data[start : start + len(SIGNED_DATA)] == SIGNED_DATA


def _is_base64_cms(data):
    """Whether ``data`` is a CMS SignedData in Base64, with or without PEM lines.

    >>> _is_base64_cms(b"-----BEGIN PKCS7-----\\nMIAGCSqGSIb3DQEHAg==\\n-----END PKCS7-----")
    True
    """
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return False
    body = "".join(
        line.strip() for line in text.splitlines() if not line.strip().startswith("-----")
    )
    try:
        return _is_cms(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError):
        return False


def _cms(mime):
    """A check for p7s, p7m: a CMS SignedData, binary or in Base64.

    >>> _cms("application/pkcs7-signature")(Upload("a.p7s", "p7s", b"0\\x80" + SIGNED_DATA))
    'application/pkcs7-signature'
    """

    def check(upload):
        if not (_is_cms(upload.data) or _is_base64_cms(upload.data)):
            raise _mismatch(upload)
        return mime

    return check


def _sig(upload):
    """A .sig signature: Polish signing programs write CAdES (CMS) or XAdES under it;
    an ASCII-armoured PGP signature is accepted too.

    >>> _sig(Upload("a.sig", "sig", b"-----BEGIN PGP SIGNATURE-----\\n..."))
    'application/pgp-signature'
    """
    data = upload.data
    if _is_cms(data) or _is_base64_cms(data):
        return "application/pkcs7-signature"
    if data.startswith(b"-----BEGIN PGP SIGNATURE-----"):
        return _text("application/pgp-signature")(upload)
    if data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        return _xml("application/xml")(upload)
    raise _mismatch(upload)


# The formats ---------------------------------------------------------------

CHECKS = {
    "txt": _text("text/plain", legacy=True),
    "rtf": _signature("application/rtf", b"{\\rtf"),
    "pdf": _signature("application/pdf", b"%PDF-"),
    "xps": _xps,
    "odt": _odf(ODF + "text"),
    "ods": _odf(ODF + "spreadsheet"),
    "odp": _odf(ODF + "presentation"),
    "doc": _doc,
    "xls": _ole("application/vnd.ms-excel"),
    "ppt": _ole("application/vnd.ms-powerpoint"),
    "docx": _ooxml(
        OOXML + "wordprocessingml.document",
        "wordprocessingml.document",
        "wordprocessingml.template",
    ),
    "xlsx": _ooxml(OOXML + "spreadsheetml.sheet", "spreadsheetml.sheet", "spreadsheetml.template"),
    "pptx": _ooxml(
        OOXML + "presentationml.presentation",
        "presentationml.presentation",
        "presentationml.slideshow",
        "presentationml.template",
    ),
    "csv": _text("text/csv", legacy=True),
    "jpg": _signature("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": _signature("image/jpeg", b"\xff\xd8\xff"),
    "tif": _signature("image/tiff", *TIFF),
    "tiff": _signature("image/tiff", *TIFF),
    "geotiff": _signature("image/tiff", *TIFF),
    "png": _signature("image/png", b"\x89PNG\r\n\x1a\n"),
    "svg": _svg,
    "jp2": _signature("image/jp2", b"\x00\x00\x00\x0cjP  \r\n\x87\n"),
    "wav": _riff("audio/wav", b"WAVE"),
    "mp3": _mp3,
    "avi": _riff("video/x-msvideo", b"AVI "),
    "mpg": _mpeg,
    "mpeg": _mpeg,
    "mp4": _iso_media("video/mp4"),
    "m4a": _iso_media("audio/mp4"),
    "ogg": _signature("audio/ogg", b"OggS"),
    "ogv": _signature("video/ogg", b"OggS"),
    "zip": _zip,
    "tar": _tar,
    "gz": _gzip,
    "7z": _signature("application/x-7z-compressed", b"7z\xbc\xaf\x27\x1c"),
    "html": _text("text/html", legacy=True),
    "xhtml": _xml("application/xhtml+xml", HTML_ENTITIES),
    "css": _text("text/css"),
    "xml": _xml("application/xml"),
    "xsd": _xml("application/xml"),
    "gml": _xml("application/gml+xml"),
    "rng": _xml("application/xml"),
    "xsl": _xml("application/xml"),
    "xslt": _xml("application/xslt+xml"),
    "xades": _xml("application/xml"),
    "sig": _sig,
    "p7s": _cms("application/pkcs7-signature"),
    "p7m": _cms("application/pkcs7-mime"),
    "asice": _asic("application/vnd.etsi.asic-e+zip"),
    "asics": _asic("application/vnd.etsi.asic-s+zip"),
    "dwg": _signature("image/vnd.dwg", b"AC10"),
    "dwf": _signature("model/vnd.dwf", b"(DWF V"),
    "dxf": _dxf,
    "dgn": _dgn,
}

ACCEPTED_EXTENSIONS = frozenset(CHECKS)


# The checks ----------------------------------------------------------------


def _named(filename):
    """The base name of ``filename``, refused when there is none.

    >>> _named("../../skan.pdf")
    'skan.pdf'
    """
    name = base_name(filename)
    if not name:
        raise UploadRefused(_("A file without a name was sent; choose the file again."))
    return name


def _check_size(name, data, max_bytes):
    """Refuse an empty file, or one larger than ``max_bytes``.

    >>> _check_size("skan.pdf", b"%PDF-1.7", 10 * MB)
    """
    if not data:
        raise _refused(_("The file ${name} is empty."), name)
    if len(data) > max_bytes:
        raise _refused(
            _("The file ${name} is larger than ${limit} MB."), name, limit=megabytes(max_bytes)
        )


def _accepted_extension(name):
    """The extension of ``name``, refused when it has none or it is not accepted.

    >>> _accepted_extension("Wniosek.DOCX")
    'docx'
    """
    found = extension(name)
    formats = ", ".join(sorted(ACCEPTED_EXTENSIONS))
    if not found:
        raise _refused(
            _(
                "The file ${name} has no extension, so its format is unknown. Accepted formats: "
                "${formats}."
            ),
            name,
            formats=formats,
        )
    if found not in ACCEPTED_EXTENSIONS:
        raise _refused(
            _(
                "The format .${extension} of the file ${name} is not accepted. Accepted formats: "
                "${formats}."
            ),
            name,
            extension=_shown(found),
            formats=formats,
        )
    return found


def check_upload(filename, data, max_bytes, *, field=None):
    """The MIME type of the uploaded file, or ``UploadRefused`` (with ``field``) saying
    why it is not taken: no name, empty, too large, a format not accepted, a program,
    or content that is not what the extension says.

    Only the base name of ``filename`` counts (browsers may send a path).

    >>> check_upload("C:\\\\fakepath\\\\skan.pdf", pdf_bytes, 10 * MB)
    'application/pdf'
    """
    if not isinstance(data, (bytes, bytearray, memoryview, type(None))):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    try:
        name = _named(filename)
        _check_size(name, data, max_bytes)
        suffix = _accepted_extension(name)
        data = bytes(data)
        if is_program(data):
            raise _refused(_("The file ${name} is a program; programs are not accepted."), name)
        return CHECKS[suffix](Upload(name, suffix, data))
    except UploadRefused as refused:
        refused.field = field
        refused.filename = filename
        raise


def check_uploads(files, max_file_bytes, max_total_bytes, *, field=None):
    """The MIME types of ``files`` (``(filename, data)`` pairs), each checked with
    ``check_upload``; ``UploadRefused`` on the first file refused, or on the one
    that brings the total over ``max_total_bytes``.

    >>> check_uploads([("a.pdf", pdf_bytes), ("b.png", png_bytes)], 10 * MB, 50 * MB)
    ['application/pdf', 'image/png']
    """
    types = []
    total = 0
    for filename, data in files:
        types.append(check_upload(filename, data, max_file_bytes, field=field))
        total += len(data)
        if total > max_total_bytes:
            refused = _refused(
                _("With the file ${name} the attachments are larger than ${limit} MB together."),
                base_name(filename),
                limit=megabytes(max_total_bytes),
            )
            refused.field = field
            refused.filename = filename
            raise refused
    return types
