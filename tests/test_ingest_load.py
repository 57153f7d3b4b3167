"""load_document's sources: files, stdin, sizes, and the errors a batch reports and skips."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from claimgraph.errors import EmptyInput, InputError, InputTooLarge
from claimgraph.ingest import document_from_bytes, load_document
from claimgraph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()
STORY = b"Quota talks collapse\n\nTalks between the cooperatives and the fisheries board ended on Friday.\n"


def _big_page(path: Path, size: int) -> None:
    sentence = b"The board met again on Friday and the talks went on late into the night. "
    paragraph = b"<p>" + sentence * 20 + b"</p>\n"
    with path.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><head><title>Huge</title></head><body><article>\n")
        written = 0
        while written < size:
            handle.write(paragraph)
            written += len(paragraph)
        handle.write(b"</article></body></html>\n")


def test_fifty_megabyte_page_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    _big_page(path, 50 * 1024 * 1024)
    start = time.monotonic()
    with pytest.raises(InputTooLarge) as info:
        load_document(path, settings=SETTINGS)
    assert time.monotonic() - start < 0.5  # refused on stat, not after reading 50 MB
    assert info.value.reason == "file is 50 MB, over the 10 MB limit"
    assert str(info.value) == f"{path}: file is 50 MB, over the 10 MB limit"


def test_size_limit_comes_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(STORY)
    with pytest.raises(InputTooLarge):
        load_document(path, settings=Settings(max_input_bytes=32))
    assert load_document(path, settings=Settings(max_input_bytes=len(STORY))).title == "Quota talks collapse"


def test_oversized_bytes_and_stdin() -> None:
    data = b"a" * (SETTINGS.max_input_bytes + 1)
    with pytest.raises(InputTooLarge) as info:
        document_from_bytes(data, origin="record-7", settings=SETTINGS)
    assert info.value.reason == "file is 10,485,761 bytes, over the 10,485,760-byte limit"
    with pytest.raises(InputTooLarge) as info:
        load_document("-", settings=SETTINGS, stdin=io.BytesIO(data))
    assert info.value.source == "<stdin>"
    assert info.value.reason == "input is over the 10 MB limit"


def test_stdin() -> None:
    doc = load_document("-", settings=SETTINGS, stdin=io.BytesIO(STORY), url="https://fish.example/a")
    assert doc.title == "Quota talks collapse"
    assert doc.source_format == "text"
    assert doc.url == "https://fish.example/a"


def test_stdin_html_is_sniffed() -> None:
    page = (FIXTURES / "harbour_page.html").read_bytes()
    doc = load_document("-", settings=SETTINGS, stdin=io.BytesIO(page))
    assert doc.source_format == "html"
    assert doc.id == load_document(FIXTURES / "harbour_page.html", settings=SETTINGS).id


def test_empty_stdin() -> None:
    with pytest.raises(EmptyInput) as info:
        load_document("-", settings=SETTINGS, stdin=io.BytesIO(b""))
    assert str(info.value) == "<stdin>: empty input"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_document(tmp_path / "nope.txt", settings=SETTINGS)
    assert info.value.reason == "no such file"
    with pytest.raises(InputError) as info:
        load_document(tmp_path, settings=SETTINGS)
    assert info.value.reason == "is a directory"


def test_path_named_like_stdin_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "-"
    path.write_bytes(STORY)
    assert load_document(path, settings=SETTINGS).title == "Quota talks collapse"


def test_document_id_is_the_hash_of_the_cleaned_text() -> None:
    from claimgraph.model import content_id

    doc = document_from_bytes(STORY, origin="a.txt", settings=SETTINGS)
    assert doc.id == content_id(doc.text)
    assert doc.text == STORY.decode().strip()


def test_errors_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError) as info:
        load_document(path, settings=SETTINGS)
    assert "\n" not in str(info.value)
    assert info.value.__cause__ is None
