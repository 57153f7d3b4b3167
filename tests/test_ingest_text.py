"""Plain-text ingest: headline, dateline, whitespace canon, trailing boilerplate, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import InputError
from claimgraph.ingest import document_from_bytes, load_document
from claimgraph.ingest.text import find_dateline, find_title, normalise
from claimgraph.model import Document
from claimgraph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()

STORY = (
    "Ferry operator cuts late crossing\n"
    "\n"
    "The island ferry will no longer run its last evening crossing from next month, the operator said on"
    " Monday, citing falling passenger numbers.\n"
    "\n"
    "Cannery workers said the change would leave them stranded after late shifts.\n"
)


def _doc(text: str, **kwargs: str) -> Document:
    return document_from_bytes(text.encode("utf-8"), origin="story.txt", settings=SETTINGS, **kwargs)


def test_text_article_title_dateline_and_trailing_blocks() -> None:
    doc = load_document(FIXTURES / "council_vote.txt", settings=SETTINGS)
    assert doc.source_format == "text"
    assert doc.title == "Harbour council delays vote on dredging contract"
    assert doc.published == "2024-06-12"
    # the headline and the dateline stay in the text: they are part of what was published
    assert doc.text.startswith(
        "Harbour council delays vote on dredging contract\n\nPublished: 12 June 2024\n\nThe Saltmere")
    assert doc.text.endswith("a timetable for the first phase of the works.")
    for junk in ("Share this", "Click to share", "Like Loading", "Related posts", "Lighthouse restoration",
                 "Leave a Reply", "Your email address", "Post Comment"):
        assert junk not in doc.text, junk
    assert any("trailing boilerplate" in note and "Share this" in note for note in doc.notes)


def test_mid_article_mentions_survive() -> None:
    doc = load_document(FIXTURES / "council_vote.txt", settings=SETTINGS)
    # a sentence about comments, and a newsletter box with the story going on after it
    assert "Readers sent dozens of comments to the council's consultation page" in doc.text
    assert "\n\nSign up for our newsletter\n\nThe council will meet again on 26 June" in doc.text


def test_line_endings_and_trailing_spaces_do_not_change_the_id() -> None:
    unix = _doc(STORY)
    windows = _doc(STORY.replace("\n", "\r\n"))
    padded = _doc("\n\n" + STORY.replace("\n", "   \n").replace("\n\n", "\n\n\n\n") + "\n\n\t\n")
    old_mac = _doc(STORY.replace("\n", "\r"))
    assert unix.id == windows.id == padded.id == old_mac.id
    assert unix.text == windows.text == padded.text


def test_same_article_twice_is_the_same_document() -> None:
    first = load_document(FIXTURES / "council_vote.txt", settings=SETTINGS)
    second = load_document(FIXTURES / "council_vote.txt", settings=SETTINGS)
    assert first == second


def test_composed_and_decomposed_accents_hash_the_same() -> None:
    composed = _doc("Caf\u00e9 owners welcome the harbour plan, the association said on Monday.")
    decomposed = _doc("Cafe\u0301 owners welcome the harbour plan, the association said on Monday.")
    assert composed.id == decomposed.id


def test_normalise_collapses_blank_runs_and_drops_controls() -> None:
    assert normalise("A\x07 line \n\n\n\n\nB\u200b\x0c C  ") == "A line\n\nB\n C"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ferry operator cuts late crossing\n\nBody text here.", "Ferry operator cuts late crossing"),
        ("Troops withdraw to the U.S.\n\nBody text here.", "Troops withdraw to the U.S."),
        ("Is the ferry worth saving?\n\nBody text here.", "Is the ferry worth saving?"),
        ("The ferry will stop running.\n\nBody text here.", None),  # a sentence, not a headline
        ("Ferry operator cuts late crossing\nBody text right below.", None),  # no blank line
        ("14 March 2024\n\nBody text here.", None),  # a dateline, not a headline
        ("Only one line", None),
    ],
)
def test_find_title(text: str, title: str | None) -> None:
    assert find_title(text, max_chars=200) == title


def test_title_length_comes_from_settings() -> None:
    doc = document_from_bytes(STORY.encode(), origin="s.txt", settings=Settings(max_title_chars=10))
    assert doc.title is None


def test_dateline_prefers_published_over_updated() -> None:
    text = "Headline here\n\nUpdated: 3 April 2024 10:15\nPublished: 1 April 2024\n\nBody."
    assert find_dateline(text) == "2024-04-01"
    assert find_dateline("Headline\n\nUpdated 3 April 2024\n\nBody.") == "2024-04-03"


def test_date_inside_a_sentence_is_not_a_dateline() -> None:
    text = "Headline\n\nThe vote on 14 March 2024 was delayed by a week.\n\nMore text."
    assert find_dateline(text) is None


def test_dateline_further_down_is_ignored() -> None:
    text = "Headline\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\n14 March 2024"
    assert find_dateline(text) is None


def test_weekday_dateline_with_time() -> None:
    doc = _doc("Quota talks collapse\n\nThursday 14 March 2024 09.12 GMT\n\nTalks ended on Friday.")
    assert doc.published == "2024-03-14"


def test_caller_date_wins_and_is_normalised() -> None:
    doc = load_document(FIXTURES / "council_vote.txt", settings=SETTINGS, published="2024-06-13T08:00:00Z")
    assert doc.published == "2024-06-13"


def test_caller_date_that_is_not_a_date() -> None:
    with pytest.raises(InputError) as info:
        load_document(FIXTURES / "council_vote.txt", settings=SETTINGS, published="last Tuesday")
    assert "is not a date" in info.value.reason


def test_text_that_looks_like_markup_is_html_but_extension_decides_first() -> None:
    page = (FIXTURES / "harbour_page.html").read_bytes()
    assert document_from_bytes(page, origin="<stdin>", settings=SETTINGS).source_format == "html"
    assert document_from_bytes(page, origin="page.bin", settings=SETTINGS).source_format == "html"
    as_text = document_from_bytes(page, origin="page.txt", settings=SETTINGS)
    assert as_text.source_format == "text"
    typed = document_from_bytes(page, origin="x.txt", content_type="text/html; charset=utf-8",
                                settings=SETTINGS)
    assert typed.source_format == "html"


def test_byline_gives_author_and_outlet() -> None:
    from claimgraph.ingest.text import find_byline

    assert find_byline("Headline\n\nBy Hina Qazi, Border Wire\n\nJanuary 15, 2025\n\nBody.") == \
        ("Hina Qazi", "Border Wire")
    assert find_byline("Headline\n\nBy Staff Reporter | The Frontier Ledger\n\nBody.") == \
        ("Staff Reporter", "The Frontier Ledger")
    assert find_byline("Headline\n\nBy Hina Qazi\n\nBody.") == ("Hina Qazi", None)
    # a sentence that starts with "by" is not a byline
    assert find_byline("Headline\n\nby the way, the vote was close, officials said.\n\nBody.") == (None, None)
    # only near the top
    assert find_byline("Headline\n\n" + "Line.\n\n" * 6 + "By Hina Qazi, Border Wire\n") == (None, None)
