"""Bytes that are not clean UTF-8: legacy charsets, byte-order marks, binaries, nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import BinaryInput, EmptyInput
from claimgraph.ingest import document_from_bytes, load_document
from claimgraph.ingest.decode import binary_kind, decode, human_size
from claimgraph.settings import Settings

SETTINGS = Settings()

ARTICLE = (
    "Café owners split over harbour plan\n"
    "\n"
    "The council’s planning committee said on Tuesday it would “revisit” the proposal – a decision one"
    " naïve observer called “long overdue”.\n"
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
       b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"


def test_windows_1252_file_with_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes(ARTICLE.encode("cp1252"))
    doc = load_document(path, settings=SETTINGS)
    assert "“revisit”" in doc.text
    assert "council’s" in doc.text
    assert "naïve" in doc.text  # windows-1250 would read this byte as "ď"
    assert doc.title == "Café owners split over harbour plan"
    assert "decoded as windows-1252 (guessed; not valid UTF-8)" in doc.notes


def test_windows_1252_and_utf8_copies_are_the_same_document() -> None:
    legacy = document_from_bytes(ARTICLE.encode("cp1252"), origin="a.txt", settings=SETTINGS)
    modern = document_from_bytes(ARTICLE.encode("utf-8"), origin="a.txt", settings=SETTINGS)
    assert legacy.id == modern.id
    assert modern.notes == ()


def test_cyrillic_legacy_text_is_not_forced_into_windows_1252() -> None:
    text = "Министр обороны заявил во вторник, что войска будут выведены из района до конца месяца."
    decoded = decode(text.encode("cp1251"), origin="ru.txt")
    assert decoded.text == text
    assert decoded.notes == ("decoded as windows-1251 (guessed; not valid UTF-8)",)


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    doc = load_document(path, settings=SETTINGS)
    assert not doc.text.startswith("\ufeff")
    assert doc.title == "Café owners split over harbour plan"
    assert doc.notes == ()
    assert doc.id == document_from_bytes(ARTICLE.encode("utf-8"), origin="x.txt", settings=SETTINGS).id


def test_utf16_with_bom() -> None:
    doc = document_from_bytes(ARTICLE.encode("utf-16"), origin="notepad.txt", settings=SETTINGS)
    assert "“revisit”" in doc.text
    assert doc.notes == ("decoded as UTF-16 (byte-order mark)",)


def test_declared_charset_is_used_and_reported() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9 owners split</title></head><body><article>'
        "<p>The council\x92s planning committee said on Tuesday it would revisit the proposal for the caf\xe9"
        " quarter.</p></article></body></html>"
    ).encode("latin-1")
    doc = document_from_bytes(page, origin="page.html", settings=SETTINGS)
    # browsers read "iso-8859-1" as windows-1252, so 0x92 is an apostrophe
    assert "council’s" in doc.text
    assert "decoded as windows-1252 (declared by the source; not valid UTF-8)" in doc.notes


def test_header_charset_wins_over_meta() -> None:
    data = (
        '<html><head><meta charset="windows-1252"></head><body>'
        "<p>Zażółć gęślą jaźń - the premier said on Thursday the bill was ready.</p></body></html>"
    )
    doc = document_from_bytes(data.encode("iso-8859-2"), origin="https://pl.example/a",
                              content_type="text/html; charset=ISO-8859-2", settings=SETTINGS)
    assert "Zażółć gęślą jaźń" in doc.text
    assert "decoded as ISO-8859-2 (declared by the source; not valid UTF-8)" in doc.notes


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyInput) as info:
        load_document(path, settings=SETTINGS)
    assert info.value.reason == "empty file"
    assert info.value.source == str(path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \r\n\t\n   \n\xc2\xa0\n")
    with pytest.raises(EmptyInput) as info:
        load_document(path, settings=SETTINGS)
    assert info.value.reason == "file contains only whitespace"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PNG, "binary file (PNG image)"),
        (PDF, "binary file (PDF)"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "binary file (ZIP archive or Office document)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary file (gzip archive)"),
        (b"GIF89a\x01\x00\x01\x00", "binary file (GIF image)"),
        (b"plain start\x00\x00\x00then zeros", "binary file (contains NUL bytes)"),
        (bytes(range(1, 32)) * 20 + b"a few letters", "binary file (mostly control characters)"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    with pytest.raises(BinaryInput) as info:
        load_document(path, settings=SETTINGS)
    assert info.value.reason == reason


def test_binary_from_a_url_is_called_a_page() -> None:
    with pytest.raises(BinaryInput) as info:
        document_from_bytes(PNG, origin="https://img.example/x", settings=SETTINGS)
    assert info.value.reason == "binary page (PNG image)"


def test_text_with_a_stray_control_character_is_still_text() -> None:
    assert binary_kind(b"A normal paragraph with one stray bell\x07 character in it.\n") is None
    assert binary_kind("\ufeffText".encode("utf-16")) is None


def test_human_size() -> None:
    assert human_size(10 * 1024 * 1024) == "10 MB"
    assert human_size(int(52.4 * 1024 * 1024)) == "52.4 MB"
    assert human_size(1536) == "1.5 KB"
