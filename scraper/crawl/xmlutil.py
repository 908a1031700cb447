"""Reading XML from the web without trusting it: feeds and sitemaps.

Recovering parser, no entities, no network, bounded gzip: garbage gives None or
nothing, never an exception.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from lxml import etree

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed file
GZIP_MAGIC = b"\x1f\x8b"
SURROGATE_REF = re.compile(rb"&#(x0*d[89a-f][0-9a-f]{2}|0*(5529[6-9]|55[3-9]\d\d|56\d{3}"
                           rb"|57[0-2]\d\d|573[0-3]\d|5734[0-3]));", re.I)  # &#xD800;

_XML = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False,
                       remove_comments=True, remove_pis=True)


def xml_root(body: bytes) -> Any:
    """The root element, or None; lxml kept a lone surrogate (&#xD800;) as bytes that raise."""
    try:
        root = etree.fromstring(SURROGATE_REF.sub(b"&#xFFFD;", body.lstrip()), _XML)
        if root is not None and b"\x00" in body[:4]:  # UTF-16/32, where the regex is blind
            etree.tostring(root, encoding="unicode")  # UnicodeDecodeError: unreadable
        return root
    except (etree.XMLSyntaxError, ValueError):
        return None


def local_name(element: Any) -> str:  # not etree.QName: it raises on an undeclared "rdf:RDF"
    return re.sub(r"^.*[}:]", "", element.tag).lower() if isinstance(element.tag, str) else ""


def children(element: Any, name: str) -> list[Any]:
    return [child for child in element if local_name(child) == name]


def text_of(element: Any) -> str:
    return "".join(element.itertext()).strip()


def gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress a gzip body, keeping at most limit bytes (a gzip bomb stops there)."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(body, limit)
    except zlib.error:
        return b""
