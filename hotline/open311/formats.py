"""GeoReport v2 documents in JSON and XML, and its error shape.

JSON is the plain structure; XML names the list and its items (``<services>`` of
``<service>``), writes null as an empty element and nested objects as elements.
"""

import json
import re
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _xml_value(parent: ElementTree.Element, name: str, value) -> None:
    node = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(node, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _xml_value(node, name.removesuffix("s") or "item", inner)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = _xml_text(value)


def to_xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ElementTree.Element(root)
    for row in rows:
        node = ElementTree.SubElement(top, item)
        for key, value in row.items():
            _xml_value(node, key, value)
    return ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)


def document(fmt: str, rows, *, root: str, item: str, status: int = 200) -> HttpResponse:
    """A list of rows (or one object for ``item=None``) in the requested format."""
    if fmt == "xml":
        if item is None:
            top = ElementTree.Element(root)
            for key, value in rows.items():
                _xml_value(top, key, value)
            body = ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)
        else:
            body = to_xml(root, item, rows)
    else:
        body = json.dumps(rows, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """GeoReport v2 errors: ``[{"code": 400, "description": "…"}]`` / ``<errors><error>…``."""
    fmt = fmt if fmt in FORMATS else "json"
    rows = [{"code": status, "description": _NOT_XML.sub("", description)}]
    return document(fmt, rows, root="errors", item="error", status=status)
