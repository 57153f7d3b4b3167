"""Bytes to text: refuse what is not text, decode what is, and say when the charset was a guess.

Decoding is where silent damage happens: a windows-1252 file read as Latin-2 turns
"naïve" into "naďve" and the entity layer then sees a name nobody wrote. So every
decision that is not certain (anything but valid UTF-8) leaves a note on the Document,
and anything that is not text at all is refused with the reason, never analysed.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from claimgraph.errors import BinaryInput, EmptyInput, InputTooLarge

#: how far into the input the binary checks look; files are either text or not from the start.
SNIFF_BYTES = 64 * 1024
#: share of C0 control bytes (other than tab, newlines, form feed) above which input is binary.
MAX_CONTROL_SHARE = 0.05

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript"),
)
_RIFF = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Control bytes that never occur in text: everything below 0x20 except \t \n \v \f \r, plus DEL.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)

# Python codec names -> the labels users see in browsers and HTTP headers.
_LABELS = {
    "cp1250": "windows-1250", "cp1251": "windows-1251", "cp1252": "windows-1252",
    "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1255": "windows-1255",
    "cp1256": "windows-1256", "cp1257": "windows-1257", "cp1258": "windows-1258",
    "cp932": "Shift_JIS", "shift_jis": "Shift_JIS", "euc_jp": "EUC-JP", "gb2312": "GB2312",
    "gb18030": "GB18030", "big5": "Big5", "euc_kr": "EUC-KR", "koi8_r": "KOI8-R", "koi8_u": "KOI8-U",
    "latin_1": "ISO-8859-1", "utf_16": "UTF-16", "utf_16_le": "UTF-16LE", "utf_16_be": "UTF-16BE",
    "ascii": "ASCII", "mac_roman": "macintosh",
}
# WHATWG: browsers read these labels as windows-1252, and so do the pages that declare them.
_WINDOWS_1252_ALIASES = {"latin_1", "iso8859_1", "ascii", "cp1252"}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    #: remarks for Document.notes; empty when the bytes were plain UTF-8.
    notes: tuple[str, ...] = ()


def human_size(n: int) -> str:
    """``52.4 MB``, ``10 MB``: binary megabytes, as file managers show them."""
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB".replace(".0 ", " ")
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 ", " ")


def noun(origin: str) -> str:
    """What to call the input in a message: a URL is a page, ``<stdin>`` is input, else a file."""
    if origin.lower().startswith(("http://", "https://")):
        return "page"
    return "input" if origin == "<stdin>" else "file"


def too_large(origin: str, limit: int, size: int | None = None) -> InputTooLarge:
    """The one wording of the size error, with the size when it is known."""
    what = noun(origin)
    if size is None:
        return InputTooLarge(origin, f"{what} is over the {human_size(limit)} limit")
    if human_size(size) == human_size(limit):  # "10 MB, over the 10 MB limit" would read as a bug
        return InputTooLarge(origin, f"{what} is {size:,} bytes, over the {limit:,}-byte limit")
    return InputTooLarge(origin, f"{what} is {human_size(size)}, over the {human_size(limit)} limit")


def binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not text (``"PDF"``, ``"contains NUL bytes"``), or None if it may be."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if any(data.startswith(bom) for bom, _, _ in _BOMS):
        return None
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = len(head) - len(head.translate(_CONTROL_TABLE, _CONTROL_BYTES))
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "mostly control characters"
    return None


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    """The charset an HTTP header or the page's ``<meta>`` names, as a Python codec name."""
    label = None
    if content_type and (m := _CT_CHARSET.search(content_type)):
        label = m.group(1)
    elif m2 := _DECLARED.search(data[:4096]):
        label = m2.group(1).decode("ascii", "replace")
    if not label:
        return None
    try:
        return codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None


def decode(data: bytes, *, origin: str, content_type: str | None = None) -> Decoded:
    """Decode ``data`` or raise :class:`BinaryInput` / :class:`EmptyInput` naming the reason.

    Order: valid UTF-8 (a BOM is dropped), a UTF-16/32 byte-order mark, the charset the
    page or server declares, and last charset-normalizer's guess. Valid UTF-8 wins even over
    a declaration because pages that say "iso-8859-1" and send UTF-8 are common, and
    non-ASCII bytes that happen to form valid UTF-8 almost never are anything else.
    """
    what = noun(origin)
    if not data:
        raise EmptyInput(origin, f"empty {what}")
    kind = binary_kind(data)
    if kind is not None:
        raise BinaryInput(origin, f"binary {what} ({kind})")
    decoded = _decode_text(data, origin=origin, content_type=content_type)
    if not decoded.text.strip(" \t\n\r\x0b\x0c\u00a0\u200b\ufeff\u3000"):
        raise EmptyInput(origin, f"{what} contains only whitespace")
    return decoded


def _decode_text(data: bytes, *, origin: str, content_type: str | None) -> Decoded:
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise BinaryInput(origin, f"binary {noun(origin)} (invalid {label})") from None
            return Decoded(text, label, (f"decoded as {label} (byte-order mark)",))
    declared = declared_charset(data, content_type)
    if declared and declared != "utf_8":
        codec = "cp1252" if declared in _WINDOWS_1252_ALIASES else declared
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            label = _label(codec)
            return Decoded(text, label, (f"decoded as {label} (declared by the source; not valid UTF-8)",))
    return _guess(data, origin)


def _guess(data: bytes, origin: str) -> Decoded:
    """charset-normalizer's guess, with windows-1252 preferred among Latin-script readings.

    On short Western text charset-normalizer ranks windows-1250 or a DOS code page first
    (their scores tie), which misreads "ï" and "ø". claimgraph analyses English news, whose
    legacy encoding is overwhelmingly windows-1252, so when the guess reads as Latin script
    and the bytes are valid windows-1252, windows-1252 is used.
    """
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryInput(origin, f"binary {noun(origin)} (not text in any known encoding)")
    guessed = str(best)
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (western == guessed or _latin_script(guessed)):
        text, label = western, "windows-1252"
    else:
        text, label = guessed, _label(best.encoding)
    return Decoded(text, label, (f"decoded as {label} (guessed; not valid UTF-8)",))


def _latin_script(text: str) -> bool:
    return all(ord(ch) <= 0x7F or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _label(codec: str) -> str:
    codec = codecs.lookup(codec).name.replace("-", "_")
    if codec in _LABELS:
        return _LABELS[codec]
    if codec.startswith("iso8859_"):
        return "ISO-8859-" + codec.removeprefix("iso8859_")
    return codec.replace("_", "-")


__all__ = ["Decoded", "binary_kind", "declared_charset", "decode", "human_size", "noun", "too_large"]
