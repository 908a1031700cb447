"""Decode fetched page bytes the way a browser would; never raises.

Order (WHATWG "encoding sniffing", simplified): byte order mark, then the HTTP
Content-Type charset, then ``<meta charset>`` / ``http-equiv`` in the first
bytes, then detection with charset-normalizer. One real-world override: when the
declared charset is a Latin-1 default but the bytes are valid UTF-8 with
non-ASCII text, UTF-8 wins (servers that send ``ISO-8859-1`` for UTF-8
Ukrainian pages).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers treat as windows-1252, the usual "default" a server sends.
LATIN_DEFAULTS = frozenset(
    {"iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "iso_8859-1", "cp1252",
     "windows-1252", "us-ascii", "ascii", "iso-8859-15", "cp819", "ansi_x3.4-1968"}
)
META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
SNIFF_BYTES = 4096
DETECT_BYTES = 200_000


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Return ``data`` as text: BOM, header charset, meta charset, detection."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    for label in (declared, sniff_meta(data)):
        codec = lookup(label)
        if codec is None:
            continue
        if codec in ("cp1252", "latin-1", "ascii") and is_utf8(data):
            return data.decode("utf-8", errors="replace")
        return data.decode(codec, errors="replace")
    return data.decode(detect(data), errors="replace")


def lookup(label: str | None) -> str | None:
    """Python codec name for a charset label, Latin-1 labels mapped to cp1252."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in LATIN_DEFAULTS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a NUL in the label (found by fuzzing)
        return None
    # A page cannot really be UTF-16 when the charset is found in ASCII bytes.
    return "utf-8" if name.startswith("utf-16") or name == "utf-8-sig" else name


def sniff_meta(data: bytes) -> str | None:
    match = META_RE.search(data[:SNIFF_BYTES])
    return match.group(1).decode("ascii", errors="replace") if match else None


def is_utf8(data: bytes) -> bool:
    """True when the bytes are strict UTF-8 and not plain ASCII."""
    if data.isascii():
        return False
    try:  # not final: a truncated page may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect(data: bytes) -> str:
    if data.isascii() or is_utf8(data):
        return "utf-8"
    try:
        best = charset_normalizer.from_bytes(data[:DETECT_BYTES]).best()
    except Exception:  # detection is a best guess; never let it break a crawl
        best = None
    return lookup(best.encoding if best else None) or "cp1252"
