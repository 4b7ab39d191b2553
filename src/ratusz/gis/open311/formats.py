"""GeoReport v2's two formats: JSON (``json.dumps``) and XML (lxml, never by hand).

XML element names follow the spec: a list of requests is
``<service_requests><request>…``, services ``<services><service>…``,
errors ``<errors><error><code/><description/></error></errors>``; a list
inside an element (``endpoints``, ``formats``, ``attributes``) holds its
singular. Characters XML 1.0 cannot carry are dropped from the text.
"""

import json
import re

from lxml import etree

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SINGULAR = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _append(parent, name, value):
    element = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _append(element, SINGULAR.get(name, "item"), item)
    else:
        element.text = _text(value)
    return element


def as_xml(root, item, data):
    """``data`` (a dict, or a list of dicts each an ``item``) as an XML document in UTF-8.

    >>> as_xml("errors", "error", [{"code": 404, "description": "Nie ma."}])
    b"<?xml version='1.0' encoding='UTF-8'?>\\n<errors><error><code>404</code>…"
    """
    element = etree.Element(root)
    if isinstance(data, dict):
        for key, value in data.items():
            _append(element, key, value)
    else:
        for value in data:
            _append(element, item, value)
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


def as_json(data):
    """``data`` as JSON text in UTF-8.

    >>> as_json([{"service_code": "road"}])
    b'[{"service_code": "road"}]'
    """
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def rendered(data, fmt, root, item=None):
    """``(body, content type)`` of ``data`` in ``fmt`` (``json`` or ``xml``)."""
    if fmt == "xml":
        return as_xml(root, item, data), FORMATS["xml"]
    return as_json(data), FORMATS["json"]
